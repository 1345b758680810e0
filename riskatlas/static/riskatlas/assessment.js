// The assessment page: matrix cells filter the register, the register sorts and filters,
// and the map draws areas coloured by security level with places and incidents.
// Written for riskatlas; no framework. Leaflet (from its npm package) draws the map.
(function () {
  "use strict";

  const table = document.getElementById("register-table");
  const rows = table ? Array.from(table.tBodies[0].rows) : [];
  const filters = { category: "", area: "", level: "", text: "", cell: null };
  const counter = document.querySelector("[data-count]");
  const clearButton = document.querySelector("[data-clear]");

  function applyFilters() {
    let shown = 0;
    for (const row of rows) {
      const d = row.dataset;
      let ok = (!filters.category || d.category === filters.category) &&
        (!filters.area || d.area === filters.area) &&
        (!filters.level || d.level === filters.level) &&
        (!filters.text || row.textContent.toLowerCase().includes(filters.text));
      if (ok && filters.cell) {
        ok = d[filters.cell.kind] === filters.cell.key;
      }
      row.hidden = !ok;
      if (ok) shown += 1;
    }
    if (counter) counter.textContent = shown + " of " + rows.length + " risks";
    if (clearButton) clearButton.hidden = !filters.cell;
    document.querySelectorAll("td.cell").forEach((td) => {
      const selected = filters.cell && td.dataset.kind === filters.cell.kind &&
        td.dataset.likelihood + "-" + td.dataset.impact === filters.cell.key;
      td.classList.toggle("selected", Boolean(selected));
    });
  }

  document.querySelectorAll("[data-filter]").forEach((input) => {
    input.addEventListener("input", () => {
      filters[input.dataset.filter] = input.value.trim().toLowerCase() === "" ? "" :
        (input.dataset.filter === "text" ? input.value.trim().toLowerCase() : input.value);
      applyFilters();
    });
  });

  document.querySelectorAll("td.cell.has-risks").forEach((td) => {
    td.addEventListener("click", () => {
      const key = td.dataset.likelihood + "-" + td.dataset.impact;
      const same = filters.cell && filters.cell.key === key && filters.cell.kind === td.dataset.kind;
      filters.cell = same ? null : { kind: td.dataset.kind, key: key };
      applyFilters();
      if (!same) document.getElementById("register").scrollIntoView({ behavior: "smooth" });
    });
  });
  if (clearButton) clearButton.addEventListener("click", () => { filters.cell = null; applyFilters(); });

  document.querySelectorAll("[data-matrix]").forEach((button) => {
    button.addEventListener("click", () => {
      document.querySelectorAll("[data-matrix]").forEach((b) => b.classList.toggle("active", b === button));
      document.querySelectorAll("table.matrix").forEach((t) => { t.hidden = t.dataset.kind !== button.dataset.matrix; });
      filters.cell = null;
      applyFilters();
    });
  });

  // Sorting: click a heading; click again to reverse.
  if (table) {
    Array.from(table.tHead.rows[0].cells).forEach((th, index) => {
      if (!th.dataset.sort) return;
      th.classList.add("sortable-heading");
      th.addEventListener("click", () => {
        const descending = th.dataset.direction !== "desc";
        Array.from(table.tHead.rows[0].cells).forEach((c) => { delete c.dataset.direction; });
        th.dataset.direction = descending ? "desc" : "asc";
        const value = (row) => {
          const cell = row.cells[index];
          const raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
          return th.dataset.sort === "number" ? parseFloat(raw) || 0 : raw.toLowerCase();
        };
        rows.sort((a, b) => {
          const x = value(a), y = value(b);
          const order = x < y ? -1 : x > y ? 1 : 0;
          return descending ? -order : order;
        });
        rows.forEach((row) => table.tBodies[0].appendChild(row));
      });
    });
    applyFilters();
  }

  // The map.
  const mapElement = document.getElementById("map");
  function drawMap() {
    if (!mapElement) return;
    const note = document.getElementById("map-note");
    if (typeof L === "undefined") {
      mapElement.classList.add("map-missing");
      mapElement.textContent = "The map library is not installed (run the set-up script with npm available).";
      return;
    }
    const map = L.map(mapElement, { zoomSnap: 0.25, attributionControl: true });
    if (navigator.onLine) {
      // Tiles when online; the areas and points below work without them.
      L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
        maxZoom: 12, attribution: "© OpenStreetMap contributors", opacity: 0.6,
      }).addTo(map);
    }
    fetch(mapElement.dataset.url, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((data) => {
        const layer = L.geoJSON(data, {
          style: (feature) => ({
            color: feature.properties.no_go ? "#7f1d1d" : "#334e68",
            weight: feature.properties.no_go ? 2.5 : 0.8,
            dashArray: feature.properties.custom ? "4 3" : null,
            fillColor: feature.properties.colour,
            fillOpacity: 0.65,
          }),
          pointToLayer: (feature, latlng) => feature.properties.kind === "incident"
            ? L.marker(latlng, { icon: L.divIcon({ className: "incident-icon", html: "▲", iconSize: [16, 16] }) })
            : L.circleMarker(latlng, { radius: 5, color: "#102a43", weight: 1.5, fillColor: "#fff", fillOpacity: 1 }),
          onEachFeature: (feature, lyr) => {
            const p = feature.properties;
            let html = "<strong>" + escapeHtml(p.name) + "</strong>";
            if (p.kind === "area") html += "<br>Level " + (p.level || "–") + " · " + escapeHtml(p.level_name) + (p.no_go ? "<br><b>No-go area</b>" : "");
            if (p.kind === "incident") html += "<br>" + escapeHtml(p.date) + " · " + escapeHtml(p.categories.join(", "));
            if (p.kind === "place" && p.description) html += "<br>" + escapeHtml(p.description);
            lyr.bindPopup(html);
            if (p.kind === "area") lyr.bindTooltip(p.name + " · " + p.level_name, { sticky: true });
          },
        }).addTo(map);
        // Legend: the levels on this map, and the symbols.
        const levels = new Map();
        data.features.forEach((f) => {
          if (f.properties.kind === "area" && f.properties.level) {
            levels.set(f.properties.level, [f.properties.level_name, f.properties.colour]);
          }
        });
        const legend = L.control({ position: "bottomleft" });
        legend.onAdd = () => {
          const div = L.DomUtil.create("div", "map-legend");
          const rows = Array.from(levels.entries()).sort((a, b) => b[0] - a[0]).map(([value, [name, colour]]) =>
            '<div><span class="swatch" style="background:' + escapeHtml(colour) + '"></span>' + value + " · " + escapeHtml(name) + "</div>");
          rows.push('<div><span class="swatch nogo"></span>no-go outline</div>');
          rows.push("<div>● place &nbsp; <span class=\"incident-icon\">▲</span> incident</div>");
          div.innerHTML = "<strong>Security level</strong>" + rows.join("");
          return div;
        };
        legend.addTo(map);
        const bounds = layer.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
        else map.setView([0, 0], 2);
        if (!data.boundaries && note) note.textContent = "Area outlines are not installed (run the set-up script with npm); places and incidents only.";
        mapElement.dataset.ready = String(layer.getLayers().length);
      })
      .catch(() => { if (note) note.textContent = "The map data could not be loaded."; });
  }
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }
  drawMap();
})();
