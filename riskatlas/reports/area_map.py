"""The areas on a map: which level fills each admin-1 outline, as GeoJSON features for the web
map and as an SVG map for the report (offline: outlines from ``riskatlas maps build``).

Every admin-1 area is filled once, by the most particular area of the assessment that names
it: itself when the assessment lists it, else the custom area it is part of (the highest
ranked if several), else the country. A custom area is drawn as an outline over the regions
it is made of (dashed; thick and dark red when no-go), not as a fill: filling the whole of
five regions for the VRAE would hide what is particular to each of them. Each feature carries
both the level and the specific level (``riskatlas.reports.areas``), so a map can colour by
either.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

from riskatlas.geography import iso_area
from riskatlas.method import AreaLevel
from riskatlas.reports.areas import AreaView
from riskatlas.reports.charts import MUTED, _svg, _text

NONE_COLOUR = "#9aa5b1"  # not assessed
COUNTRY_WIDE_COLOUR = "#e4e7eb"  # no specific level: only country-wide risks
ONLY_COUNTRY_WIDE = "only country-wide risks"
NO_GO_STROKE = "#7f1d1d"
STROKE = "#334e68"


def _level_properties(prefix: str, level: AreaLevel, empty: str, colour: str) -> dict[str, Any]:
    lv = level.level
    return {
        f"{prefix}level": lv.value if lv else None,
        f"{prefix}level_name": lv.name if lv else empty,
        f"{prefix}colour": lv.colour if lv else colour,
    }


def _drivers(risks: Iterable[Any]) -> str:
    return "; ".join(f"{r.label} {r.title}" for r in risks)


def _specific_text(area: AreaView) -> str:
    if area.specific.overridden:
        return "set by the analyst"
    if area.specific.level:
        return _drivers(area.specific_driving)
    return ONLY_COUNTRY_WIDE if area.risks else "no risk recorded"


def _properties(area: AreaView, part: str, name: str, outline: bool) -> dict[str, Any]:
    return {
        "kind": "area",
        "code": area.code,
        "name": name,
        "part": part,
        "custom": area.is_custom,
        "outline": outline,
        **_level_properties("", area.level, "not assessed", NONE_COLOUR),
        **_level_properties("specific_", area.specific, ONLY_COUNTRY_WIDE, COUNTRY_WIDE_COLOUR),
        "driver": _drivers(area.driving) if not area.level.overridden else "set by the analyst",
        "specific_driver": _specific_text(area),
        "no_go": area.no_go,
        "hot_spot": area.hot_spot,
    }


def _feature(geometry: Any, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def _polygons(geometry: dict[str, Any]) -> list[Any]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def map_features(
    areas: list[AreaView],
    shapes: dict[str, Any],
    country: str,
    part_names: dict[str, str],
) -> list[dict[str, Any]]:
    """The admin-1 outlines of ``shapes`` (ISO code → geometry), each filled by the area that
    names it most particularly, then the custom areas as outlines. ``areas`` come ranked
    (``area_views``); ``part_names`` names the admin-1 areas (ISO names)."""
    by_code = {a.code: a for a in areas}
    country_view = by_code.get(country)
    features = []
    for code, geometry in shapes.items():
        own = by_code.get(code)
        if own is not None:
            features.append(_feature(geometry, _properties(own, code, own.name, False)))
            continue
        holder = next((a for a in areas if a.is_custom and code in a.part_codes), None)
        if holder is not None:
            name = f"{holder.name} ({part_names.get(code, code)})"
            features.append(_feature(geometry, _properties(holder, code, name, False)))
        elif country_view is not None:
            name = part_names.get(code, code)
            features.append(_feature(geometry, _properties(country_view, code, name, False)))
    for area in reversed(areas):  # the highest ranked outline is drawn last, on top
        polygons = [
            p for code in area.part_codes if code in shapes for p in _polygons(shapes[code])
        ]
        if area.is_custom and polygons:
            geometry = {"type": "MultiPolygon", "coordinates": polygons}
            features.append(_feature(geometry, _properties(area, area.code, area.name, True)))
    return features


# The report's map: the same features drawn as SVG, one map per colouring.

WIDTH = 240.0
TITLE = 18.0  # room for the map's title above it


def _rings(geometry: dict[str, Any]) -> Iterator[list[list[float]]]:
    for polygon in _polygons(geometry):
        yield from polygon


def _projection(features: list[dict[str, Any]], top: float) -> tuple[Any, float]:
    """Equirectangular, scaled by the cosine of the middle latitude: lon/lat → x/y from
    ``top`` down; and the map's height."""
    points = [pt for f in features for ring in _rings(f["geometry"]) for pt in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    stretch = math.cos(math.radians((south + north) / 2))
    scale = WIDTH / max((east - west) * stretch, 1e-9)
    height = (north - south) * scale

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) * stretch * scale, top + (north - lat) * scale

    return project, height


def _path(geometry: dict[str, Any], project: Any) -> str:
    out = []
    for ring in _rings(geometry):
        xy = [project(lon, lat) for lon, lat, *_ in ring]
        out.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy) + "Z")
    return "".join(out)


def area_map_svg(
    features: list[dict[str, Any]],
    specific: bool,
    title: str,
    route: list[tuple[float, float, str]] | None = None,
) -> str:
    """One map of ``features`` (from :func:`map_features`) coloured by the specific level
    (``specific``) or by the level, with its legend below; empty without features. ``route``:
    (lon, lat, label) stops drawn as a line with numbered points (a traveller brief's)."""
    if not features:
        return ""
    project, height = _projection(features, TITLE)
    prefix = "specific_" if specific else ""
    body = [_text(0, 11, title, 9, font_weight="bold")]
    for f in features:
        p = f["properties"]
        d = _path(f["geometry"], project)
        if p["outline"]:
            stroke, width = (NO_GO_STROKE, 2.2) if p["no_go"] else ("#102a43", 0.9)
            body.append(
                f'<path d="{d}" fill="none" stroke="{stroke}" stroke-width="{width}" '
                f'stroke-dasharray="3 2" fill-rule="evenodd"/>'
            )
        else:
            body.append(
                f'<path d="{d}" fill="{p[prefix + "colour"]}" stroke="#ffffff" '
                f'stroke-width="0.5" fill-rule="evenodd"/>'
            )
    body += _route(route or [], project)
    legend, bottom = _legend(features, prefix, TITLE + height + 8)
    return _svg(WIDTH, bottom, body + legend, title)


def _route(stops: list[tuple[float, float, str]], project: Any) -> list[str]:
    """A route's stops joined by a line, each a numbered dot."""
    if not stops:
        return []
    xy = [(*project(lon, lat), label) for lon, lat, label in stops]
    out = []
    if len(xy) > 1:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in xy)
        out.append(f'<polyline points="{points}" fill="none" stroke="#102a43" stroke-width="1.6"/>')
    for x, y, label in xy:
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#102a43" stroke="#ffffff"/>')
        out.append(_text(x - 2.6, y + 3, label, 7, fill="#ffffff", font_weight="bold"))
    return out


def _legend(features: list[dict[str, Any]], prefix: str, top: float) -> tuple[list[str], float]:
    """One line per level filling the map (highest first), then one per kind of outline: the
    no-go areas with their levels, the other custom areas; and the bottom of the legend."""
    fills: dict[int, tuple[str, str]] = {}
    no_go: dict[int, str] = {}
    custom = False
    for f in features:
        p = f["properties"]
        value = p[prefix + "level"] or 0
        if not p["outline"]:
            fills[value] = (p[prefix + "level_name"], p[prefix + "colour"])
        elif p["no_go"]:
            no_go[value] = p[prefix + "level_name"]
        else:
            custom = True
    out, y = [], top
    for value, (name, colour) in sorted(fills.items(), key=lambda item: -item[0]):
        out.append(f'<rect x="0" y="{y:.1f}" width="9" height="9" fill="{colour}"/>')
        out.append(_text(13, y + 8, f"{value} · {name}" if value else name, 8))
        y += 12
    lines = [(NO_GO_STROKE, 2.2, f"no-go area, level {v} · {n}") for v, n in sorted(no_go.items())]
    if custom:
        lines.append(("#102a43", 0.9, "other area drawn round the regions it spans"))
    for stroke, width, label in lines:
        out.append(
            f'<line x1="0" y1="{y + 4:.1f}" x2="9" y2="{y + 4:.1f}" stroke="{stroke}" '
            f'stroke-width="{width}" stroke-dasharray="3 2"/>'
        )
        out.append(_text(13, y + 8, label, 8, fill=MUTED))
        y += 12
    return out, y


def country_shapes(country: str) -> dict[str, Any]:
    """The admin-1 outlines of ``country`` by ISO 3166-2 code, from the boundaries built at
    set-up (``riskatlas maps build``); {} when they are not installed."""
    from riskatlas.config import boundaries_dir
    from riskatlas.geography.boundaries import load_boundaries

    boundaries = load_boundaries(boundaries_dir(), country) or {"features": []}
    return {f["properties"]["code"]: f["geometry"] for f in boundaries["features"]}


def iso_names(codes: Iterable[str]) -> dict[str, str]:
    """The ISO 3166 name of each code (the code itself when it has none)."""
    out = {}
    for code in codes:
        area = iso_area(code)
        out[code] = area.name if area else code
    return out


def report_maps(areas: list[AreaView], country: str) -> dict[str, str]:
    """The report's two maps (``level`` and ``specific``) as SVG; empty strings when the
    boundaries are not installed."""
    shapes = country_shapes(country)
    features = map_features(areas, shapes, country, iso_names(shapes))
    return {
        "level": area_map_svg(features, False, "Security level"),
        "specific": area_map_svg(features, True, "Specific level"),
    }
