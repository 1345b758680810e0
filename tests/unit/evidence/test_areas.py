from collections.abc import Iterator

import pycountry
import pytest

from riskatlas.evidence import areas
from riskatlas.evidence.areas import area_from_name, areas_from_coordinates, country_iso3, normalise


def test_normalise_drops_accents_case_and_generic_words():
    assert normalise("Región de Junín") == "junin"
    assert normalise("Kharkivs'ka Oblast'") == "kharkivska"


def test_countries_from_names_and_codes():
    assert country_iso3("Peru") == country_iso3("604") == country_iso3("PE") == "PER"
    assert country_iso3("Democratic Republic of Congo") == "COD"
    assert country_iso3("Burma (Myanmar)") == "MMR"
    assert country_iso3("Atlantis") is None


def test_first_level_areas_by_name_alias_and_fuzzy_match():
    assert area_from_name("PER", "Junin").code == "PE-JUN"
    assert area_from_name("PER", "Lima").code == "PE-LIM"
    lima_province = area_from_name("PER", "Lima Province")
    assert (lima_province.code, lima_province.method) == ("PE-LMA", "alias")
    assert area_from_name("PER", "Huanuco").code == "PE-HUC"
    assert area_from_name("PER", "Nowhere Special").code is None


def test_area_from_coordinates():
    [(iso3, match)] = areas_from_coordinates([(-13.16, -74.22)])  # Ayacucho city
    assert (iso3, match.code, match.method) == ("PER", "PE-AYA", "coordinates")


def test_every_alias_names_a_real_area_of_its_country():
    import pycountry

    from riskatlas.evidence._data import load_table

    areas, countries = load_table("area_aliases.csv"), load_table("country_aliases.csv")
    assert len(areas) >= 100 and len(countries) >= 100
    for row in areas:
        assert pycountry.subdivisions.get(code=row["area_code"]) is not None, row
        assert row["area_code"].startswith(row["country"] + "-"), row
    for row in countries:
        assert row["iso3"] == "XKX" or pycountry.countries.get(alpha_3=row["iso3"]), row


# Names that two subdivisions of one country share once "City", "Province"… are dropped.
SHARED_NAMES = [
    ("MOZ", "Maputo", "MZ-L"),  # Maputo Province, not Maputo City
    ("MOZ", "Maputo City", "MZ-MPM"),
    ("UZB", "Tashkent", "UZ-TO"),  # Toshkent Region (fuzzy), not Toshkent City
    ("UZB", "Tashkent City", "UZ-TK"),
    ("TWN", "Hsinchu", "TW-HSQ"),  # Hsinchu County
    ("TWN", "Hsinchu City", "TW-HSZ"),
    ("HUN", "Veszprem", "HU-VE"),  # the county, not the city with county rights
    ("BGD", "Dhaka", "BD-C"),  # the division, not the district within it
    ("LAO", "Viangchan", "LA-VI"),  # province and prefecture, neither a city: lowest code
]


@pytest.fixture
def fresh_area_tables() -> Iterator[None]:
    """Forget the cached subdivision tables before and after a test that changes them."""
    areas._subdivisions.cache_clear()
    area_from_name.cache_clear()
    yield
    areas._subdivisions.cache_clear()
    area_from_name.cache_clear()


@pytest.mark.parametrize(("iso3", "admin1", "code"), SHARED_NAMES)
def test_a_shared_name_means_the_wider_area_unless_the_source_says_city(iso3, admin1, code):
    assert area_from_name(iso3, admin1).code == code


@pytest.mark.parametrize("order", ["by code", "reversed"])
def test_shared_names_resolve_the_same_whatever_order_pycountry_gives(
    order: str, fresh_area_tables: None, monkeypatch: pytest.MonkeyPatch
):
    """pycountry hands a country's subdivisions over as a set, whose order varies by run."""
    every = pycountry.subdivisions.get

    def listed(**kw: str) -> list[object]:
        found = sorted(every(**kw) or (), key=lambda sub: sub.code)
        return found[::-1] if order == "reversed" else found

    monkeypatch.setattr(pycountry.subdivisions, "get", listed)
    assert [area_from_name(iso3, admin1).code for iso3, admin1, _ in SHARED_NAMES] == [
        code for _, _, code in SHARED_NAMES
    ]


def test_a_huge_number_is_no_country_code_and_no_crash():
    # Found by benchmarks/fuzz.py: int(float("999…")) overflowed to infinity.
    from riskatlas.evidence.areas import country_iso3

    assert country_iso3("9" * 400) is None
    assert country_iso3("604") == "PER" and country_iso3("604.0") == "PER"


def test_points_off_the_earth_get_no_area_and_do_not_stop_the_others():
    found = areas_from_coordinates([(1e43, 5.0), (-13.16, -74.22), (float("nan"), 0.0)])
    assert [(iso3, m.code) for iso3, m in found] == [(None, None), ("PER", "PE-AYA"), (None, None)]
