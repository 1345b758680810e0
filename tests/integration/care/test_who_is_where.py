"""Who is where with the approved Peru trip: "who is within 50 km of Andahuaylas on day 2"
gives Rosa; places named as in the assessment (and by the field notes' spelling), by
coordinates or by an incident; the table, the map's points and the CSV say the same."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from riskatlas.apps.care.who_is_where import haversine_km

from .peru_trip import TODAY, approve, run_queue, set_up_team

pytestmark = pytest.mark.django_db(transaction=True)

URL = "/care/who-is-where/"


@pytest.fixture
def marta(home_without_store: Path, queue: Any) -> Client:
    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"])
    run_queue()
    client = Client()
    client.force_login(team["marta"])
    return client


def test_haversine() -> None:
    # A degree along the equator, and a quarter of a meridian, on the mean Earth radius.
    assert haversine_km(0, 0, 0, 1) == pytest.approx(111.195, abs=0.001)
    assert haversine_km(0, 30, 90, -100) == pytest.approx(10007.5, abs=0.1)
    assert haversine_km(-13.6563, -73.3872, -13.6563, -73.3872) == 0


def test_within_50_km_of_andahuaylas_on_day_2(marta: Client) -> None:
    page = marta.get(URL, {"date": "2027-03-16", "near": "Andahuaylas", "km": "50"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Within 50 km of <strong>Andahuaylas</strong>" in text
    assert "1 traveller stay." in text and "Rosa Quispe" in text
    assert 'href="/care/who-is-where/">Who is where</a>' in text  # in the header

    rows = list(csv.DictReader(io.StringIO(
        marta.get(URL, {"date": "2027-03-16", "near": "Andahuaylas", "km": "50",
                        "format": "csv"}).content.decode()
    )))  # fmt: skip
    assert [(r["traveller"], r["place"], r["area"], r["distance_km"]) for r in rows] == [
        ("Rosa Quispe", "Andahuaylas", "PE-APU", "0.0")
    ]
    features = json.loads(
        marta.get(URL, {"date": "2027-03-16", "near": "Handahuaylas", "format": "geojson"}).content
    )
    assert [f["properties"]["traveller"] for f in features["features"]] == ["Rosa Quispe"]
    assert features["centre"]["name"] == "Andahuaylas"  # the field notes' spelling


def test_nobody_near_lima_on_day_2_and_everyone_listed_without_a_place(marta: Client) -> None:
    near_lima = marta.get(URL, {"date": "2027-03-16", "near": "Lima", "km": "50"})
    assert "Rosa" not in near_lima.content.decode() and "Nobody within 50 km" in (
        near_lima.content.decode()
    )
    # By coordinates (Huancavelica's), 300 km reach Andahuaylas (about 197 km away)...
    wide = marta.get(URL, {"date": "2027-03-16", "near": "-12.7864, -74.9758", "km": "300"})
    assert "Rosa Quispe" in wide.content.decode()
    # ...and on day 1 she is in Lima and on the road to Andahuaylas: both stays listed.
    day_1 = list(csv.DictReader(io.StringIO(
        marta.get(URL, {"date": "2027-03-15", "format": "csv"}).content.decode()
    )))  # fmt: skip
    assert [(r["place"], r["transport"], r["night_travel"]) for r in day_1] == [
        ("Lima", "none", "no"), ("Andahuaylas", "road", "yes"),
    ]  # fmt: skip


def test_an_unknown_place_says_what_to_give(marta: Client) -> None:
    page = marta.get(URL, {"date": "2027-03-16", "near": "Atlantis"})
    assert page.status_code == 400
    assert "&#x27;Atlantis&#x27; is not a place of your assessments or trips" in (
        page.content.decode()
    )
    bad_day = marta.get(URL, {"date": "16/03/2027"})
    assert bad_day.status_code == 400 and "is not a day (YYYY-MM-DD)" in bad_day.content.decode()


def test_a_stay_without_coordinates_is_placed_at_its_areas_centre(
    marta: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskatlas.apps.accounts.users import ensure_team
    from riskatlas.apps.travel import workflow
    from riskatlas.apps.travel.interchange import save_trip

    boundaries = tmp_path / "boundaries"
    boundaries.mkdir()
    square = [[-73.0, -14.0], [-71.0, -14.0], [-71.0, -12.0], [-73.0, -12.0], [-73.0, -14.0]]
    (boundaries / "PE.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "PE-CUS", "name": "Cusco"},
         "geometry": {"type": "Polygon", "coordinates": [square]}},
    ]}))  # fmt: skip
    monkeypatch.setenv("RISKATLAS_BOUNDARIES", str(boundaries))
    from django.contrib.auth import get_user_model

    trip = save_trip(ensure_team("Field team"), {
        "riskatlas_trip": 1,
        "trip": {"id": "cusco", "title": "Cusco visit"},
        "travellers": [{"id": "zara", "name": "Zara Traveller", "staff": "international"}],
        "segments": [{"place": "PE-CUS", "start": "2027-03-16", "end": "2027-03-18"}],
    })  # fmt: skip
    workflow.request(trip, get_user_model().objects.get(username="ana"), TODAY)
    rows = list(csv.DictReader(io.StringIO(
        marta.get(URL, {"date": "2027-03-16", "near": "PE-CUS", "km": "5", "format": "csv"})
        .content.decode()
    )))  # fmt: skip
    assert [(r["traveller"], r["lat"], r["lon"], r["located"], r["distance_km"]) for r in rows] == [
        ("Zara Traveller", "-13.0", "-72.0", "area centre", "0.0")
    ]
    # Andahuaylas lies about 165 km west of that centre (-13.0, -72.0): 200 km take in both.
    both = marta.get(URL, {"date": "2027-03-16", "near": "-13.0, -72.0", "km": "200"})
    assert "Zara Traveller" in both.content.decode() and "Rosa Quispe" in both.content.decode()
