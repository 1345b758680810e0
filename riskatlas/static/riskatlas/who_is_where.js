// Who is where: the travellers of the table on a Leaflet map, and the circle asked about.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const element = document.getElementById("who-map");
    if (!element || typeof L === "undefined") return;
    const map = L.map(element, { zoomSnap: 0.25 });
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 12, attribution: element.dataset.attribution || "" }).addTo(map);
    }
    map.setView([0, 0], 1);
    fetch(element.dataset.url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        const layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            if (feature.properties.needs_help) {  // a traveller whose call for help is open
              return L.circleMarker(latlng, { radius: 9, color: "#7a271a", weight: 2, fillColor: "#b42318", fillOpacity: 1 });
            }
            return L.circleMarker(latlng, { radius: 6, color: "#102a43", weight: 1.5, fillColor: "#f0b429", fillOpacity: 1 });
          },
          onEachFeature: function (feature, marker) {
            const p = feature.properties;
            const text = document.createElement("span");
            text.textContent = p.traveller + " — " + p.place + " (" + p.trip + ")"
              + (p.needs_help ? " — needs help " + p.needs_help : "");
            marker.bindTooltip(text);
          },
        }).addTo(map);
        const bounds = layer.getBounds();
        if (data.centre) {
          const circle = L.circle([data.centre.lat, data.centre.lon], { radius: data.centre.km * 1000, color: "#b42318", weight: 1, fillOpacity: 0.05 }).addTo(map);
          bounds.extend(circle.getBounds());
        }
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 9 });
        element.dataset.ready = String(layer.getLayers().length);
      });
  });
})();
