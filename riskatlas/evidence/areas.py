"""Countries and ISO 3166-2 areas from the names and coordinates that sources use.

Names are matched after normalising (accents, case, punctuation and generic words such as
"Province" or "Governorate" removed), then through the alias table ``data/area_aliases.csv``
("Lima Province" -> PE-LMA), then fuzzily within the country. Coordinates fall back to the
nearest populated place in ``reverse_geocoder``'s GeoNames table and its admin-1 name.

When one name fits several subdivisions of a country (Maputo: MZ-L the province and MZ-MPM
the city; Toshkent: UZ-TO the region and UZ-TK the city), the choice is fixed, never left to
the order pycountry happens to list them in: a first-level area before a lower one; then, if
the source's own name says it is a city ("Maputo City", "Tashkent City"), the city, else the
wider area (province, region, county) that sources mean by a bare admin-1 name; then the
lowest code.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import pycountry

from riskatlas.evidence._data import load_table

GENERIC_WORDS = {
    "province", "provincia", "region", "departamento", "department", "departement", "state",
    "estado", "governorate", "oblast", "county", "district", "municipality", "prefecture",
    "division", "territory", "capital", "autonomous", "republic", "of", "de", "del", "la",
    "el", "the", "city", "federal", "wilayah", "vilayet", "muhafazat", "kray", "krai", "zone",
}  # fmt: skip


def simplify(name: str) -> str:
    """Lower case, no accents, no punctuation: "Región de Junín" -> "region de junin"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"['\u2019\u02bc`]", "", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def normalise(name: str) -> str:
    """``simplify`` and drop generic words: "Región de Junín" -> "junin"."""
    text = simplify(name)
    words = [w for w in text.split() if w not in GENERIC_WORDS]
    return " ".join(words) or text


@cache
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                index[normalise(value)] = c.alpha_3
        index[c.alpha_2.lower()] = c.alpha_3
        index[c.alpha_3.lower()] = c.alpha_3
        index[c.numeric.lstrip("0")] = c.alpha_3
    for row in load_table("country_aliases.csv"):
        index[normalise(row["name"])] = row["iso3"]
    return index


def country_iso3(name_or_code: str | int | None) -> str | None:
    """ISO 3166-1 alpha-3 for a country name, alpha-2/alpha-3 code or numeric code; or None."""
    if name_or_code is None:
        return None
    text = str(name_or_code).strip()
    if not text:
        return None
    if re.fullmatch(r"\d{1,9}(\.0+)?", text):  # a numeric code (longer digits are no code)
        return _country_index().get(str(int(text.split(".")[0])))
    index = _country_index()
    found = index.get(text.lower()) or index.get(normalise(text))
    if found is None and "(" in text:  # "Burma (Myanmar)": try each spelling
        outer, inner = text.split("(", 1)
        found = country_iso3(outer) or country_iso3(inner.rstrip(") "))
    return found


@cache
def country_alpha2(iso3: str) -> str | None:
    country = pycountry.countries.get(alpha_3=iso3)
    return country.alpha_2 if country else None


@dataclass(frozen=True)
class AreaMatch:
    code: str | None
    method: str  # exact | alias | fuzzy | coordinates | none


# Words in a source's admin-1 name saying it means the city (normalising removes them).
CITY_WORDS = {"city", "capital", "ciudad", "cidade", "town", "municipality"}
# Words in a pycountry subdivision type that make it a city ("City with county rights",
# "Capital district", "Urban municipality"), unless the type also says "rural".
CITY_TYPE_WORDS = {"city", "capital", "town", "urban", "borough", "municipality"}


@dataclass(frozen=True)
class _Subdivision:
    """What choosing between same-named subdivisions needs to know of one."""

    code: str
    first_level: bool
    is_city: bool


def _is_city(subdivision_type: str) -> bool:
    words = set(simplify(subdivision_type).split())
    return bool(words & CITY_TYPE_WORDS) and "rural" not in words


@cache
def _subdivisions(
    alpha2: str,
) -> tuple[dict[str, tuple[_Subdivision, ...]], dict[str, tuple[_Subdivision, ...]]]:
    """(normalised name -> subdivisions so named) for top-level subdivisions, and for all.

    pycountry gives a set, whose order changes from run to run: it is sorted by code here,
    and ``_choose`` decides between subdivisions that share a name.
    """
    top: dict[str, list[_Subdivision]] = {}
    every: dict[str, list[_Subdivision]] = {}
    found = pycountry.subdivisions.get(country_code=alpha2) or ()
    for sub in sorted(found, key=lambda sub: str(sub.code)):
        key = normalise(sub.name)
        entry = _Subdivision(str(sub.code), sub.parent_code is None, _is_city(str(sub.type)))
        every.setdefault(key, []).append(entry)
        if sub.parent_code is None:
            top.setdefault(key, []).append(entry)
    return (
        {key: tuple(subs) for key, subs in top.items()},
        {key: tuple(subs) for key, subs in every.items()},
    )


def _choose(subdivisions: tuple[_Subdivision, ...], admin1: str) -> str:
    """The code of the one subdivision ``admin1`` means among those sharing its name.

    A first-level area before a lower one (Dhaka the division before Dhaka the district);
    a city only if the source's name says so ("Maputo City" -> MZ-MPM), otherwise the wider
    area ("Maputo" -> MZ-L, Maputo Province); then the lowest code.
    """
    wants_city = bool(set(simplify(admin1).split()) & CITY_WORDS)
    return min(
        subdivisions, key=lambda sub: (not sub.first_level, sub.is_city != wants_city, sub.code)
    ).code


@cache
def _aliases() -> dict[tuple[str, str], str]:
    return {
        (r["country"], simplify(r["name"])): r["area_code"] for r in load_table("area_aliases.csv")
    }


@cache
def area_from_name(iso3: str, admin1: str | None) -> AreaMatch:
    """The ISO 3166-2 code of a first-level area named ``admin1`` in country ``iso3``."""
    alpha2 = country_alpha2(iso3)
    if not admin1 or not alpha2:
        return AreaMatch(None, "none")
    alias = _aliases().get((alpha2, simplify(admin1)))
    if alias:
        return AreaMatch(alias, "alias")
    key = normalise(admin1)
    top, every = _subdivisions(alpha2)
    for table in (top, every):
        if key in table:
            return AreaMatch(_choose(table[key], admin1), "exact")
    for table in (top, every):
        close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.85)
        if close:
            return AreaMatch(_choose(table[close[0]], admin1), "fuzzy")
        # "Kharkiv" for "Kharkivska": one name starts the other, and only one area fits.
        starts = {
            _choose(subs, admin1)
            for name, subs in table.items()
            if len(key) >= 4 and len(name) >= 4 and (name.startswith(key) or key.startswith(name))
        }
        if len(starts) == 1:
            return AreaMatch(starts.pop(), "fuzzy")
    return AreaMatch(None, "none")


def areas_from_coordinates(points: list[tuple[float, float]]) -> list[tuple[str | None, AreaMatch]]:
    """(country iso3, area) for each (lat, lon), from the nearest GeoNames populated place."""
    if not points:
        return []
    import contextlib
    import io

    import reverse_geocoder

    def on_earth(point: tuple[float, float]) -> bool:
        return -90 <= point[0] <= 90 and -180 <= point[1] <= 180  # False for NaN too

    usable = [p for p in points if on_earth(p)]
    with contextlib.redirect_stdout(io.StringIO()):
        found = iter(reverse_geocoder.search(usable, mode=1) if usable else [])
    result: list[tuple[str | None, AreaMatch]] = []
    for point in points:
        if not on_earth(point):  # the geocoder's tree indexes past its list for these
            result.append((None, AreaMatch(None, "none")))
            continue
        place = next(found)
        iso3 = country_iso3(place.get("cc"))
        match = area_from_name(iso3, place.get("admin1")) if iso3 else AreaMatch(None, "none")
        method = "coordinates" if match.code else "none"
        result.append((iso3, AreaMatch(match.code, method)))
    return result


def area_name(code: str) -> str:
    """The name of an ISO 3166-2 area or ISO 3166-1 country code."""
    sub = pycountry.subdivisions.get(code=code)
    if sub:
        return str(sub.name)
    country = pycountry.countries.get(alpha_3=code) or pycountry.countries.get(alpha_2=code)
    return str(country.name) if country else code
