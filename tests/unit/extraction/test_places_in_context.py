"""Places resolve to the most specific area: capital districts and cities that are
first-level areas themselves, parts of a city to their city, and a shared town name to the
town in the area the line names."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.extraction.districts import core_name
from riskatlas.extraction.places import find_places


def _codes(text: str) -> dict[str, tuple[str, str]]:
    return {m.text: (m.place.iso_3166, m.place.kind) for m in find_places(text)}


def test_capital_districts_and_cities_that_are_areas() -> None:
    codes = _codes(
        "In Colombia, armed robbery is common in Bogotá. In Mexico, Mexico City sees "
        "kidnappings. Protests in Buenos Aires, Argentina. Shelling hit Kyiv, Ukraine."
    )
    assert codes["Bogotá"] == ("CO-DC", "city")
    assert codes["Mexico City"] == ("MX-CMX", "city")
    assert codes["Buenos Aires"] == ("AR-C", "city")  # the city, not the province (AR-B)
    assert codes["Kyiv"] == ("UA-30", "city")
    assert core_name("Distrito Capital de Bogotá") == core_name("Bogota D.C.") == "bogota"


def test_a_part_of_a_city_is_placed_in_that_city() -> None:
    text = (
        "Colombia: tourists were robbed in the La Candelaria area of Bogotá and in the "
        "Poblado district of Medellín."
    )
    found = {m.text: m for m in find_places(text)}
    candelaria = found["La Candelaria"]
    assert (candelaria.place.iso_3166, candelaria.place.kind) == ("CO-DC", "neighbourhood")
    assert candelaria.match == "within"
    bogota = found["Bogotá"].place
    assert (candelaria.place.lat, candelaria.place.lon) == (bogota.lat, bogota.lon)
    # Not in any gazetteer, still a part of Medellín.
    assert found["Poblado"].place.iso_3166 == "CO-ANT"


def test_a_shared_town_name_takes_the_area_the_line_names() -> None:
    # Two towns called Candelaria in Colombia: Atlántico (CO-ATL), Valle del Cauca (CO-VAC).
    assert _codes("Colombia: floods hit Candelaria in Atlántico.")["Candelaria"][0] == "CO-ATL"
    assert _codes("Colombia: floods hit Candelaria in Valle del Cauca.")["Candelaria"][0] == (
        "CO-VAC"
    )


FCDO_COLOMBIA = (
    Path(__file__).resolve().parents[3].parent
    / "shared/data/advisories/unitedkingdom/Colombia/Safety and security.md"
)


def test_fcdo_colombia_bogota_and_candelaria() -> None:
    if not FCDO_COLOMBIA.is_file():
        pytest.skip(f"the FCDO's Colombia page is not at {FCDO_COLOMBIA} (../shared/data)")
    codes = _codes(FCDO_COLOMBIA.read_text(encoding="utf-8"))
    assert codes["Bogotá"] == ("CO-DC", "city")
    assert codes["Candelaria"] == ("CO-DC", "neighbourhood")  # not Valle del Cauca's town
    assert codes["Buenaventura"][0] == "CO-VAC"
