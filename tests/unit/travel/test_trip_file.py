"""The trip file: a bad trip is refused with every problem located by line and field."""

from __future__ import annotations

from riskatlas.travel.trip_file import check_trip_text, normalise_trip

GOOD = """\
riskatlas_trip: 1
trip: {id: visit, title: A visit}
travellers:
  - {id: ana, name: Ana, staff: international}
segments:
  - {place: PE-LMA, start: 2027-01-10, end: 2027-01-11}
"""


def test_a_minimal_trip_is_read_with_its_defaults():
    result = check_trip_text(GOOD, "trip.yaml")
    assert result.problems == []
    trip = normalise_trip(result.content())
    assert trip["travellers"][0]["group"] == "international-staff"
    assert trip["travellers"][0]["experience"] == "experienced"
    assert trip["segments"][0]["area"] == "PE-LMA"
    assert trip["segments"][0]["transport"] == "none"


def test_every_problem_is_located_by_line_and_field():
    text = """\
riskatlas_trip: 1
trip: {id: visit, title: A visit}
travellers:
  - {id: ana, name: Ana, staff: international}
  - {id: ana, name: Ana B, staff: national}
segments:
  - place: Lima
    start: 2027-01-10
    end: 2027-01-11
  - place: PE-CUS
    start: 2027-01-12
    end: 2027-01-09
  - place: Puno
    lat: -15.8
    start: 2027-01-13
    end: 2027-01-13
"""
    result = check_trip_text(text, "trip.yaml")
    shown = [p.format("trip.yaml") for p in result.problems]
    assert "trip.yaml:5: travellers[1].id: 'ana' is used twice" in shown
    assert any(
        s.startswith("trip.yaml:7: segments[0].area: 'Lima' is not an ISO 3166-2 code")
        for s in shown
    )
    assert "trip.yaml:12: segments[1].end: 2027-01-09 is before the start 2027-01-12" in shown
    assert "trip.yaml:13: segments[2].lon: give both lat and lon, or neither" in shown


def test_schema_problems_name_the_field():
    text = GOOD.replace("staff: international", "staff: consultant").replace(
        "2027-01-10", "10/01/2027"
    )
    shown = [p.format("t.yaml") for p in check_trip_text(text, "t.yaml").problems]
    assert (
        "t.yaml:4: travellers[0].staff: 'consultant' is not one of: national, international"
        in shown
    )
    assert any(
        s.startswith("t.yaml:6: segments[0].start: '10/01/2027' is not in the expected form")
        for s in shown
    )


def test_not_yaml_and_not_a_mapping_are_refused_with_a_line():
    assert check_trip_text("trip: [", "t.yaml").problems[0].line is not None
    assert check_trip_text("- a list", "t.yaml").problems[0].message == "the file must be a mapping"
