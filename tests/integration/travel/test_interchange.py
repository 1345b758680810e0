"""A trip ⇄ the trip file, and itineraries from CSV and iCalendar: what is read, and bad
files refused whole with each problem's file, line and field."""

from __future__ import annotations

import pytest
import yaml

from riskatlas.apps.travel.interchange import dump_trip, export_trip, import_trip_file
from riskatlas.apps.travel.itineraries import segments_from_csv, segments_from_ics
from riskatlas.apps.travel.models import Segment, Traveller, Trip
from riskatlas.document.problems import DocumentError

from .conftest import TRIP_FILE, Peru

pytestmark = pytest.mark.django_db


def test_the_peru_trip_reads_back_as_the_file_it_came_from(peru: Peru):
    original = yaml.safe_load(TRIP_FILE.read_text("utf-8"))
    exported = export_trip(peru.trip)
    assert exported["travellers"] == original["travellers"]
    assert [s["place"] for s in exported["segments"]] == ["Lima", "Andahuaylas", "Huancavelica"]
    for got, want in zip(exported["segments"], original["segments"], strict=True):
        for name in ("area", "lat", "lon", "transport", "via", "accommodation"):
            assert got.get(name, []) == want.get(name, []), name
        assert got["start"] == str(want["start"])
        assert got["night_travel"] == want.get("night_travel", False)
    assert exported["segments"][1]["departs"] == "19:00"
    # Imported again: the same trip, nothing doubled.
    again = import_trip_file(peru.team, dump_trip(peru.trip).encode(), "again.yaml")
    assert again.pk == peru.trip.pk
    assert Segment.objects.filter(trip=again).count() == 3
    assert Traveller.objects.filter(team=peru.team).count() == 1
    # Without personal data: no contact details.
    assert "email" not in export_trip(peru.trip, personal=False)["travellers"][0]


def test_a_bad_trip_file_saves_nothing_and_says_where(peru: Peru):
    text = TRIP_FILE.read_text("utf-8").replace("staff: national", "staff: local")
    text = text.replace("end: 2027-03-17", "end: 2027-03-10")
    before = Trip.objects.count(), Segment.objects.count()
    with pytest.raises(DocumentError) as caught:
        import_trip_file(
            peru.team, text.replace("id: peru-andahuaylas", "id: other").encode(), "t.yaml"
        )
    message = str(caught.value)
    staff_line = text.splitlines().index("    staff: local") + 1
    assert f"t.yaml:{staff_line}: travellers[0].staff:" in message
    assert (Trip.objects.count(), Segment.objects.count()) == before


CSV = """place,area,lat,lon,start,end,departs,transport,night_travel,via,accommodation
Lima,PE-LMA,,,2027-03-15,2027-03-15,,none,no,,Home
Andahuaylas,PE-APU,-13.65,-73.38,2027-03-15,2027-03-16,19:00,road,yes,PE-ICA PE-AYA,Guesthouse
Huancavelica,PE-HUV,,,2027-03-17,2027-03-17,06:00,off-road,,PE-AYA,
"""


def test_a_csv_itinerary_gives_the_segments():
    segments = segments_from_csv(CSV.encode(), "trip.csv")
    assert [s["place"] for s in segments] == ["Lima", "Andahuaylas", "Huancavelica"]
    assert segments[1]["night_travel"] is True
    assert segments[1]["via"] == ["PE-ICA", "PE-AYA"]
    assert segments[1]["lat"] == -13.65
    assert "night_travel" not in segments[2]


def test_bad_csv_rows_are_named_by_line_and_column():
    bad = CSV.replace("-13.65", "south").replace(",yes,", ",maybe,")
    bad = bad.replace("Huancavelica,PE-HUV,,,2027-03-17", "Huancavelica,,,,2027-03-17")
    with pytest.raises(DocumentError) as caught:
        segments_from_csv(bad.encode(), "trip.csv")
    lines = str(caught.value).splitlines()
    assert "trip.csv:3: segments[1].lat: 'south' is not a number" in lines
    assert "trip.csv:3: segments[1].night_travel: 'maybe': write yes or no" in lines
    with pytest.raises(DocumentError) as caught:
        segments_from_csv(CSV.replace("PE-HUV,", ",").encode(), "trip.csv")
    assert str(caught.value).startswith("trip.csv:4: segments[2].area:")
    with pytest.raises(DocumentError, match=r"trip\.csv:1: .*column 'start' is missing"):
        segments_from_csv(b"place,end\nLima,2027-03-15\n", "trip.csv")


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:2@test
SUMMARY:Bus to Andahuaylas
LOCATION:Andahuaylas
GEO:-13.6563;-73.3872
DTSTART:20270315T190000
DTEND:20270316T130000
END:VEVENT
BEGIN:VEVENT
UID:1@test
SUMMARY:Flight to Lima
LOCATION:PE-LMA
DTSTART;VALUE=DATE:20270315
DTEND;VALUE=DATE:20270316
END:VEVENT
END:VCALENDAR
"""


def test_an_ics_itinerary_gives_the_segments_in_time_order():
    segments = segments_from_ics(ICS.encode(), "trip.ics")
    lima, andahuaylas = segments
    assert lima == {
        "place": "PE-LMA",
        "start": "2027-03-15",
        "end": "2027-03-15",
        "transport": "none",
    }
    assert andahuaylas["lat"] == -13.6563 and andahuaylas["lon"] == -73.3872
    assert andahuaylas["start"] == "2027-03-15" and andahuaylas["end"] == "2027-03-16"
    assert andahuaylas["departs"] == "19:00" and andahuaylas["night_travel"] is True
    assert andahuaylas["transport"] == "road"


def test_an_ics_event_that_cannot_be_placed_is_named_by_its_line():
    bad = ICS.replace("GEO:-13.6563;-73.3872\n", "")
    with pytest.raises(DocumentError) as caught:
        segments_from_ics(bad.encode(), "trip.ics")
    assert str(caught.value).startswith("trip.ics:4: segments[1].area: 'Andahuaylas'")
    with pytest.raises(DocumentError, match=r"trip\.ics:1: .*not an iCalendar file"):
        segments_from_ics(b"hello", "trip.ics")
