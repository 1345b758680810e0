// The assessment page: matrix cells filter the register, the register sorts and filters,
// and the map draws areas coloured by their specific level or their security level (a switch)
// with places and incidents.
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
      document.querySelectorAll("[data-matrix]").forEach((b) => {
        b.classList.toggle("active", b === button);
        b.setAttribute("aria-pressed", String(b === button));
      });
      document.querySelectorAll("table.matrix").forEach((t) => { t.hidden = t.dataset.kind !== button.dataset.matrix; });
      filters.cell = null;
      applyFilters();
    });
  });

  // Sorting: click a heading (a button inside it, for the keyboard); click again to reverse.
  if (table) {
    Array.from(table.tHead.rows[0].cells).forEach((th, index) => {
      if (!th.dataset.sort) return;
      th.classList.add("sortable-heading");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent;
      th.replaceChildren(button);
      th.addEventListener("click", () => {
        const descending = th.dataset.direction !== "desc";
        Array.from(table.tHead.rows[0].cells).forEach((c) => {
          delete c.dataset.direction;
          c.removeAttribute("aria-sort");
        });
        th.dataset.direction = descending ? "desc" : "asc";
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
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
  // Colour the areas by their specific level (the risks particular to each) or by their
  // security level; the buttons above the map switch.
  let mode = "specific";
  function drawMap() {
    if (!mapElement) return;
    const note = document.getElementById("map-note");
    if (typeof L === "undefined") {
      mapElement.classList.add("map-missing");
      mapElement.textContent = "The map library is not installed (run the set-up script with npm available).";
      return;
    }
    const map = L.map(mapElement, { zoomSnap: 0.25, attributionControl: true });
    // Tiles only from a tile server the operator configured (RISKATLAS_MAP_TILES); the areas
    // and points below are drawn without them, offline.
    if (mapElement.dataset.tiles) {
      // Leaflet shows the attribution as HTML: hand it the operator's text escaped.
      const attribution = document.createElement("span");
      attribution.textContent = mapElement.dataset.attribution || "";
      L.tileLayer(mapElement.dataset.tiles, { maxZoom: 12, attribution: attribution.innerHTML, opacity: 0.6 }).addTo(map);
    }
    const fill = (p) => colour(mode === "specific" ? p.specific_colour : p.colour);
    const style = (feature) => {
      const p = feature.properties;
      if (p.outline) {
        return { color: p.no_go ? "#7f1d1d" : "#102a43", weight: p.no_go ? 3 : 1.5,
          dashArray: "6 4", fill: false };
      }
      return { color: "#ffffff", weight: 0.8, fillColor: fill(p), fillOpacity: 0.75 };
    };
    fetch(mapElement.dataset.url, { credentials: "same-origin" })
      .then((response) => response.json())
      .then((data) => {
        const layer = L.geoJSON(data, {
          style: style,
          pointToLayer: (feature, latlng) => feature.properties.kind === "incident"
            ? L.marker(latlng, { icon: L.divIcon({ className: "incident-icon", html: "▲", iconSize: [16, 16] }) })
            : L.circleMarker(latlng, { radius: 5, color: "#102a43", weight: 1.5, fillColor: "#fff", fillOpacity: 1 }),
          onEachFeature: (feature, lyr) => {
            lyr.bindPopup(() => popup(feature.properties));
            if (feature.properties.kind === "area") lyr.bindTooltip(() => tooltip(feature.properties), { sticky: true });
          },
        }).addTo(map);
        let legend = legendControl(data.features, mode).addTo(map);
        document.querySelectorAll("[data-map-colour]").forEach((button) => {
          button.addEventListener("click", () => {
            mode = button.dataset.mapColour;
            document.querySelectorAll("[data-map-colour]").forEach((b) => {
              b.classList.toggle("active", b === button);
              b.setAttribute("aria-pressed", String(b === button));
            });
            layer.setStyle(style);
            const wasOpen = legend.getContainer().open;
            legend.remove();
            legend = legendControl(data.features, mode, wasOpen).addTo(map);
            mapElement.dataset.colour = mode;
          });
        });
        mapElement.dataset.colour = mode;
        const bounds = layer.getBounds();
        if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
        else map.setView([0, 0], 2);
        if (!data.boundaries && note) note.textContent = "Area outlines are not installed (run the set-up script with npm); places and incidents only.";
        mapElement.dataset.ready = String(layer.getLayers().length);
      })
      .catch(() => { if (note) note.textContent = "The map data could not be loaded."; });
  }
  // Everything from the assessment reaches the map as text nodes, never as HTML: an area
  // or place name is data an analyst (or an imported file) typed.
  function node(tag, text, className) {
    const element = document.createElement(tag);
    if (text !== undefined && text !== null) element.textContent = String(text);
    if (className) element.className = className;
    return element;
  }
  function colour(value) {
    return /^#[0-9a-fA-F]{6}$/.test(value || "") ? value : undefined;
  }
  function levelText(value, name) {
    return value ? value + " · " + name : name;
  }
  function popup(p) {
    const box = node("div");
    box.append(node("strong", p.name));
    const line = (text) => { box.append(node("br"), text); };
    if (p.kind === "area") {
      line("Specific level " + levelText(p.specific_level, p.specific_level_name || "") +
        (p.specific_level ? ": " + (p.specific_driver || "") : ""));
      line("Level " + levelText(p.level, p.level_name || "") + ": " + (p.driver || ""));
      if (p.no_go) { box.append(node("br"), node("b", "No-go area")); }
    }
    if (p.kind === "incident") line((p.date || "") + " · " + (p.categories || []).join(", "));
    if (p.kind === "place" && p.description) line(p.description);
    return box;
  }
  function tooltip(p) {
    const text = mode === "specific"
      ? levelText(p.specific_level, p.specific_level_name || "")
      : levelText(p.level, p.level_name || "");
    return node("span", p.name + " · " + text);
  }
  // Legend: the levels filling this map (in the chosen colouring), and the symbols. Folded to
  // its title on a phone, where open it would cover a third of the map; a tap opens it.
  const PHONE = window.matchMedia("(max-width: 40rem)");
  function legendControl(features, chosen, open) {
    const prefix = chosen === "specific" ? "specific_" : "";
    const levels = new Map();
    const noGo = new Map();
    features.forEach((f) => {
      const p = f.properties;
      if (p.kind !== "area") return;
      const entry = [p[prefix + "level_name"], p[prefix + "colour"]];
      if (p.outline) { if (p.no_go) noGo.set(p[prefix + "level"] || 0, entry[0]); }
      else levels.set(p[prefix + "level"] || 0, entry);
    });
    const legend = L.control({ position: "bottomright" });
    legend.onAdd = () => {
      const div = L.DomUtil.create("details", "map-legend");
      div.open = open === undefined ? !PHONE.matches : open;
      const title = node("summary");
      title.append(node("strong", chosen === "specific" ? "Specific level" : "Security level"));
      div.append(title);
      L.DomEvent.disableClickPropagation(div);
      Array.from(levels.entries()).sort((a, b) => b[0] - a[0]).forEach(([value, [name, fill]]) => {
        const swatch = node("span", null, "swatch");
        if (colour(fill)) swatch.style.backgroundColor = colour(fill);
        const row = node("div");
        row.append(swatch, levelText(value, name));
        div.append(row);
      });
      Array.from(noGo.entries()).forEach(([value, name]) => {
        const row = node("div");
        row.append(node("span", null, "swatch nogo"), "no-go outline, " + levelText(value, name));
        div.append(row);
      });
      const symbols = node("div");
      symbols.append("● place \u00a0 ", node("span", "▲", "incident-icon"), " incident");
      div.append(symbols);
      return div;
    };
    return legend;
  }
  drawMap();
})();
