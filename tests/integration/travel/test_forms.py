"""Entering trips and travellers on the forms: the itinerary checked like a trip file (a place
that cannot be located is named, nothing saved), an edit of a decided trip reopens it, an
analyst edits a profile without ever seeing or wiping its contact details, and an admin gives
approver roles."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.test import Client

from riskatlas.apps.travel import workflow
from riskatlas.apps.travel.models import ApproverRole, Traveller, Trip

from .conftest import TODAY, Peru

pytestmark = pytest.mark.django_db


def _client(peru: Peru, username: str) -> Client:
    client = Client()
    client.force_login(peru.users[username])
    return client


def _text(response: Any) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def _segments(*rows: dict[str, str]) -> dict[str, str]:
    data = {
        "segments-TOTAL_FORMS": str(len(rows)),
        "segments-INITIAL_FORMS": "0",
        "segments-MIN_NUM_FORMS": "1",
        "segments-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"segments-{i}-{k}": v for k, v in row.items()})
    return data


def test_a_trip_entered_on_the_form(peru: Peru):
    analyst = _client(peru, "analyst")
    rosa = Traveller.objects.get(key="rosa-quispe")
    head = {
        "team": "field-team",
        "slug": "cusco-visit",
        "title": "Visit to Cusco",
        "travellers": [rosa.pk],
    }
    lima = {
        "place": "Lima",
        "area": "PE-LMA",
        "start": "2027-04-01",
        "end": "2027-04-01",
        "transport": "none",
    }
    cusco = {"place": "Cusco", "start": "2027-04-02", "end": "2027-04-05", "transport": "air"}
    response = analyst.post("/trips/new/", {**head, **_segments(lima, cusco)})
    assert response.status_code == 400  # refused: the form again, with its problems
    page = _text(response)
    assert "Nothing was saved: 1 problem" in page
    assert "segments[1].area: 'Cusco' is not an ISO 3166-2 code" in page
    assert not Trip.objects.filter(slug="cusco-visit").exists()
    cusco["area"] = "PE-CUS"
    response = analyst.post("/trips/new/", {**head, **_segments(lima, cusco)})
    trip = Trip.objects.get(slug="cusco-visit")
    assert response.status_code == 302 and response.url == f"/trips/{trip.pk}/"
    assert [(s.place, s.area, s.transport) for s in trip.segments.all()] == [
        ("Lima", "PE-LMA", "none"),
        ("Cusco", "PE-CUS", "air"),
    ]
    assert list(trip.travellers.all()) == [rosa]
    assert trip.requested_by == peru.users["analyst"]
    # A reader may not enter trips (no team where they may: 404).
    assert _client(peru, "reader").post("/trips/new/", head).status_code == 404


def test_editing_the_itinerary_of_an_approved_trip_reopens_it(peru: Peru):
    today = dt.date.fromisoformat(TODAY)
    trip = workflow.request(peru.trip, peru.users["analyst"], today)
    for user in ("manager", "focal", "regional"):
        workflow.decide(trip, peru.users[user], "approve", "ok", today=today)
    analyst = _client(peru, "analyst")
    form = analyst.get(f"/trips/{trip.pk}/edit/")
    assert form.status_code == 200
    rows = [
        {k: ("" if v is None else str(v)) for k, v in s.items()}
        for s in (
            {
                "place": seg.place,
                "area": seg.area,
                "lat": seg.lat,
                "lon": seg.lon,
                "start": seg.start,
                "end": seg.end,
                "transport": seg.transport,
                "departs": seg.departs.strftime("%H:%M") if seg.departs else None,
                "via": " ".join(seg.via),
                "accommodation": seg.accommodation,
            }
            for seg in trip.segments.all()
        )
    ]
    rows[1]["night_travel"] = "on"
    rows[2]["night_travel"] = "on"  # the off-road leg now after dark as well
    data = {
        "team": "field-team",
        "title": trip.title,
        "travellers": [t.pk for t in trip.travellers.all()],
        **_segments(*rows),
    }
    response = analyst.post(f"/trips/{trip.pk}/edit/", data)
    assert response.status_code == 302, _text(response)[:3000]
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REOPENED
    assert "itinerary changed" in trip.reopened_because
    page = _text(analyst.get(f"/trips/{trip.pk}/"))
    assert "The decision is reopened" in page


def test_an_analyst_edits_a_profile_without_its_contact_details(peru: Peru):
    rosa = Traveller.objects.get(key="rosa-quispe")
    analyst = _client(peru, "analyst")
    page = _text(analyst.get(f"/travellers/{rosa.pk}/"))
    assert "rosa.quispe@example.org" not in page and "Julio Quispe" not in page
    assert 'name="email"' not in page
    analyst.post(
        f"/travellers/{rosa.pk}/",
        {
            "team": "field-team",
            "key": "rosa-quispe",
            "name": "Rosa Quispe",
            "staff": "national",
            "experience": "experienced",
            "training_text": "basic-security specialised-awareness",
        },
    )
    rosa.refresh_from_db()
    assert rosa.experience == "experienced"
    assert rosa.training == ["basic-security", "specialised-awareness"]
    assert rosa.email == "rosa.quispe@example.org" and rosa.emergency_name == "Julio Quispe"
    assert 'name="email"' in _text(_client(peru, "admin").get(f"/travellers/{rosa.pk}/"))


def test_an_admin_gives_and_takes_approver_roles(peru: Peru):
    admin = _client(peru, "admin")
    reader = peru.users["reader"]
    url = "/teams/field-team/travel-policy/approvers/"
    assert (
        _client(peru, "analyst").post(url, {"user": reader.pk, "role": "line-manager"}).status_code
        == 403
    )
    admin.post(url, {"user": reader.pk, "role": "line-manager"})
    held = ApproverRole.objects.get(user=reader)
    assert held.role == "line-manager"
    # Holding a role, the reader now sees the traveller's contact details.
    trip_page = _text(_client(peru, "reader").get(f"/trips/{peru.trip.pk}/"))
    assert "rosa.quispe@example.org" in trip_page
    admin.post(f"{url}{held.pk}/remove/")
    assert not ApproverRole.objects.filter(user=reader).exists()


def test_an_analyst_enters_a_new_travellers_contact_details_once(peru: Peru):
    """Whoever makes a profile enters its contact details, as in a trip file's new traveller;
    afterwards an analyst neither sees nor changes them."""
    analyst = _client(peru, "analyst")
    assert 'name="email"' in _text(analyst.get("/travellers/new/?team=field-team"))
    response = analyst.post(
        "/travellers/new/",
        {
            "team": "field-team",
            "key": "tomas-rojas",
            "name": "Tomás Rojas",
            "staff": "national",
            "experience": "experienced",
            "email": "tomas.rojas@example.org",
            "emergency_name": "Elena Rojas",
            "emergency_phone": "+51 1 555 0188",
        },
    )
    assert response.status_code == 302, _text(response)[:3000]
    tomas = Traveller.objects.get(team=peru.team, key="tomas-rojas")
    assert (tomas.email, tomas.emergency_name) == ("tomas.rojas@example.org", "Elena Rojas")
    page = _text(analyst.get(f"/travellers/{tomas.pk}/"))
    assert 'name="email"' not in page and "tomas.rojas@example.org" not in page


def _as_a_browser_sends(page: str) -> dict[str, Any]:
    """The form's fields as a browser submits them unchanged: a date input keeps its value
    only when it is YYYY-MM-DD (any other it shows empty, and sends empty)."""
    from html.parser import HTMLParser

    data: dict[str, Any] = {}

    class Fields(HTMLParser):
        select: str | None = None
        textarea: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {k: v or "" for k, v in attrs}
            name = a.get("name", "")
            if tag == "input" and name:
                kind = a.get("type", "text")
                value = a.get("value", "")
                if kind == "checkbox":
                    if "checked" in a:
                        data.setdefault(name, []).append(value or "on")
                elif kind == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    data[name] = ""
                else:
                    data[name] = value
            elif tag == "select":
                self.select = name
            elif tag == "option" and self.select and "selected" in a:
                data[self.select] = a.get("value", "")
            elif tag == "textarea":
                self.textarea = name
                data[name] = ""

        def handle_endtag(self, tag: str) -> None:
            if tag in ("select", "textarea"):
                self.select = self.textarea = None

        def handle_data(self, text: str) -> None:
            if self.textarea:
                data[self.textarea] += text.lstrip("\n") if not data[self.textarea] else text

    Fields().feed(page)
    return data


def test_an_analyst_renames_a_trip_on_its_form_as_the_browser_shows_it(peru: Peru):
    """The edit form shows each segment's dates in its date fields (a date input reads only
    YYYY-MM-DD: '15/03/2027' is shown empty), so saving the form as shown, with a new title,
    keeps the itinerary instead of refusing every segment's start and end."""
    analyst = _client(peru, "analyst")
    url = f"/trips/{peru.trip.pk}/edit/"
    page = analyst.get(url).content.decode()
    assert re.search(r'type="date" name="segments-0-start" value="2027-03-15"', page)
    data = _as_a_browser_sends(page)
    data["title"] = "Andahuaylas and Huancavelica"
    response = analyst.post(url, data)
    assert response.status_code == 302, _text(response)[:2000]
    trip = Trip.objects.get(pk=peru.trip.pk)
    assert trip.title == "Andahuaylas and Huancavelica"
    assert [(str(s.start), str(s.end)) for s in trip.segments.all()] == [
        ("2027-03-15", "2027-03-15"),
        ("2027-03-15", "2027-03-16"),
        ("2027-03-17", "2027-03-17"),
    ]


def test_a_renamed_or_retrained_trip_is_reopened_saying_what_changed(peru: Peru):
    """Renaming an approved trip on its form reopens it saying so, not 'the policy or an
    assessment behind the decision changed' (neither did); so does a change to a
    traveller's profile, naming her."""
    today = dt.date.fromisoformat(TODAY)
    trip = workflow.request(peru.trip, peru.users["analyst"], today)
    for user in ("manager", "focal", "regional"):
        workflow.decide(trip, peru.users[user], "approve", "ok", today=today)
    analyst = _client(peru, "analyst")
    url = f"/trips/{trip.pk}/edit/"
    data = _as_a_browser_sends(analyst.get(url).content.decode())
    data["title"] = "Andahuaylas and Huancavelica"
    data["essential"] = "on"
    page = _text(analyst.post(url, data, follow=True))
    assert (
        "The decision is reopened: the trip's title changed; the trip is now marked essential."
        in page
    )
    trip.refresh_from_db()
    workflow.request(trip, peru.users["analyst"], today)
    # Her basic-security course struck off her profile.
    Traveller.objects.filter(key="rosa-quispe").update(training=[])
    assert workflow.reopen_if_changed(trip, today)
    trip.refresh_from_db()
    assert trip.reopened_because == "Rosa Quispe's profile changed"


def test_a_profile_edit_says_beforehand_and_after_that_it_reopens_her_trip(peru: Peru):
    """Rosa's profile, while her trip is approved, says a change reopens it; saved with her
    role corrected, the page says the decision on the trip is reopened (it was reopened
    silently). The training field names the policy's courses."""
    today = dt.date.fromisoformat(TODAY)
    trip = workflow.request(peru.trip, peru.users["analyst"], today)
    for user in ("manager", "focal", "regional"):
        workflow.decide(trip, peru.users[user], "approve", "ok", today=today)
    rosa = Traveller.objects.get(key="rosa-quispe")
    analyst = _client(peru, "analyst")
    page = _text(analyst.get(f"/travellers/{rosa.pk}/"))
    assert "Rosa Quispe is on a requested or decided trip (" in page
    assert "a change to this profile's id, name, role, staff, group, experience or training" in (
        page
    )
    assert "basic-security (Basic security training)" in page
    data = _as_a_browser_sends(analyst.get(f"/travellers/{rosa.pk}/").content.decode())
    data["role"] = "Senior agronomist"
    page = _text(analyst.post(f"/travellers/{rosa.pk}/", data, follow=True))
    assert "Rosa Quispe's profile is saved." in page
    assert f"The decision is reopened on 1 trip: {trip.title}. Request approval again." in page
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REOPENED
