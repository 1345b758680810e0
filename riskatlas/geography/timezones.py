"""The time zone of a place: the IANA zone of its country (ISO 3166-1 alpha-2) whose principal
city is nearest the place's coordinates (Lima for Peru; New York or Denver across the United
States), read from the time zone database's ``zone.tab`` (the system's, else the ``tzdata``
package's). None when the country is unknown there."""

from __future__ import annotations

import math
import re
import zoneinfo
from functools import lru_cache
from pathlib import Path

_COORD = re.compile(r"^([+-]\d{4,6})([+-]\d{5,7})$")


def _degrees(text: str, width: int) -> float:
    sign = -1.0 if text[0] == "-" else 1.0
    digits = text[1:]
    whole, rest = int(digits[:width]), digits[width:]
    minutes = int(rest[:2]) if rest else 0
    seconds = int(rest[2:4]) if len(rest) > 2 else 0
    return sign * (whole + minutes / 60 + seconds / 3600)


def _zone_tab_text() -> str:
    for folder in zoneinfo.TZPATH:
        path = Path(folder) / "zone.tab"
        if path.is_file():
            return path.read_text("utf-8")
    try:
        from importlib.resources import files

        return files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return ""


@lru_cache(maxsize=1)
def zones_by_country() -> dict[str, list[tuple[float, float, str]]]:
    """{country: [(lat, lon, zone), ...]} from zone.tab."""
    out: dict[str, list[tuple[float, float, str]]] = {}
    for line in _zone_tab_text().splitlines():
        if not line or line.startswith("#"):
            continue
        fields = line.split("\t")
        match = _COORD.match(fields[1]) if len(fields) >= 3 else None
        if match is None:
            continue
        lat, lon = _degrees(match[1], 2), _degrees(match[2], 3)
        out.setdefault(fields[0].upper(), []).append((lat, lon, fields[2]))
    return out


def zone_of(country: str, lat: float | None = None, lon: float | None = None) -> str | None:
    """The zone name for a place in ``country``, nearest its coordinates when given."""
    candidates = zones_by_country().get(country.upper()[:2], [])
    if not candidates:
        return None
    if lat is None or lon is None or len(candidates) == 1:
        return candidates[0][2]

    def distance(entry: tuple[float, float, str]) -> float:
        dlat = math.radians(entry[0] - lat)
        dlon = math.radians(entry[1] - lon) * math.cos(math.radians(lat))
        return dlat * dlat + dlon * dlon

    return min(candidates, key=distance)[2]
