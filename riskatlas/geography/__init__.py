"""Areas: ISO 3166-1 countries and ISO 3166-2 subdivisions (from pycountry), custom areas
made of several subdivisions, and named places with coordinates. Pure Python."""

from riskatlas.geography.iso import (
    IsoArea,
    area_label,
    country_code_of,
    is_country_code,
    is_iso_code,
    iso_area,
    subdivisions_of,
)

__all__ = [
    "IsoArea",
    "area_label",
    "country_code_of",
    "is_country_code",
    "is_iso_code",
    "iso_area",
    "subdivisions_of",
]
