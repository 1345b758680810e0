// The check-in page: with the traveller's consent, the phone's position goes with the check-in.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const share = document.getElementById("share-location");
    if (!share || !navigator.geolocation) { if (share) share.disabled = true; return; }
    share.addEventListener("change", function () {
      const lat = document.getElementById("check-in-lat");
      const lon = document.getElementById("check-in-lon");
      if (!share.checked) { lat.value = ""; lon.value = ""; return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(5);
        lon.value = position.coords.longitude.toFixed(5);
      }, function () { share.checked = false; }, { timeout: 15000 });
    });
  });
})();
