"""A place's time zone from its country and coordinates (zone.tab's principal cities)."""

from riskatlas.geography.timezones import zone_of, zones_by_country


def test_a_country_with_one_zone() -> None:
    assert zone_of("PE") == "America/Lima"
    assert zone_of("pe", -13.6563, -73.3872) == "America/Lima"  # Andahuaylas


def test_the_zone_nearest_the_place_in_a_country_with_several() -> None:
    assert zone_of("US", 39.74, -104.99) == "America/Denver"  # Denver
    assert zone_of("US", 40.71, -74.0) == "America/New_York"
    assert zone_of("BR", -3.1, -60.0) == "America/Manaus"
    assert len(zones_by_country()["US"]) > 10


def test_an_unknown_country_has_none() -> None:
    assert zone_of("XX") is None
    assert zone_of("") is None
