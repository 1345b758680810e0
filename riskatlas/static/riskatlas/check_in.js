// Check-in and "I need help" forms: with the traveller's consent (a "share my location" box),
// the phone's position goes with what the form sends (its hidden lat and lon).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-share-location]").forEach(function (share) {
      const form = share.form;
      const lat = form.querySelector("input[name=lat]");
      const lon = form.querySelector("input[name=lon]");
      if (!navigator.geolocation) { share.disabled = true; return; }
      share.addEventListener("change", function () {
        if (!share.checked) { lat.value = ""; lon.value = ""; return; }
        navigator.geolocation.getCurrentPosition(function (position) {
          lat.value = position.coords.latitude.toFixed(5);
          lon.value = position.coords.longitude.toFixed(5);
        }, function () { share.checked = false; }, { timeout: 15000 });
      });
    });
  });
})();
