"""The care pages keep travellers' contact details to those who may see them (docs/travel.md,
``travel.access.sees_personal_data``): those who follow a trip's whereabouts without that right
— the trip's requester (an analyst), a reviewer holding no approver role — see the traveller's
name, never her email, phone or emergency contact, on the check-ins page, its calendar file,
who is where (page, CSV, map points) and in their notifications; the audit log, which holds
them, is the team's admins'. These tests pin the rule: a contact field added to what they see
fails them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.care import checkins
from riskatlas.apps.notifications.models import Notification
from riskatlas.apps.travel.models import CheckIn

from .peru_trip import PASSWORD, approved_trip, browser, run_queue

pytestmark = pytest.mark.django_db(transaction=True)

# Rosa's contact details as examples/trips/peru-andahuaylas.yaml stores them.
CONTACTS = ("rosa.quispe@example.org", "555 0142", "555 0177", "Julio Quispe", "brother")


@pytest.fixture
def approved(home_without_store: Path, smtp: Any, queue: Any) -> dict[str, Any]:
    team = approved_trip()
    add_user("rene", "Field team", "reviewer", PASSWORD)
    team["rene"] = get_user_model().objects.get(username="rene")
    team["smtp"] = smtp
    return team


def _care_pages(client: Client, trip: Any) -> dict[str, str]:
    """Each care page and export the client may open, by URL (404s left out)."""
    day = {"date": "2027-03-16"}
    asks: list[tuple[str, dict[str, str]]] = [
        (f"/care/trips/{trip.pk}/", {}),
        (f"/care/trips/{trip.pk}/calendar.ics", {}),
        ("/care/who-is-where/", day),
        ("/care/who-is-where/", {**day, "format": "csv"}),
        ("/care/who-is-where/", {**day, "format": "geojson"}),
        ("/care/who-is-where/", {**day, "near": "Andahuaylas", "km": "50"}),
        ("/notifications/", {}),
    ]
    out = {}
    for url, query in asks:
        response = client.get(url, query)
        if response.status_code != 404:
            assert response.status_code == 200, (url, query, response.status_code)
            out[f"{url}?{query}"] = response.content.decode()
    return out


def test_contacts_are_stored_and_shown_to_an_approver(approved: dict[str, Any]) -> None:
    """The control: the details are there, and the trip's page shows them to its approver."""
    trip = approved["trip"]
    rosa = trip.travellers.get()
    assert (rosa.email, rosa.phone, rosa.emergency_name) == (
        "rosa.quispe@example.org", "+51 1 555 0142", "Julio Quispe",
    )  # fmt: skip
    page = browser(approved["marta"]).get(f"/trips/{trip.pk}/").content.decode()
    assert [value for value in CONTACTS if value not in page] == []
    analyst = browser(approved["ana"]).get(f"/trips/{trip.pk}/").content.decode()
    assert not any(value in analyst for value in CONTACTS)


@pytest.mark.parametrize("who", ["ana", "rene"])
def test_care_pages_show_no_contacts_to_followers_who_may_not_see_them(
    approved: dict[str, Any], who: str
) -> None:
    trip = approved["trip"]
    # A check-in done with a note, one missed and escalated: every state the page shows.
    first, second = CheckIn.objects.filter(trip=trip).order_by("due_at")[:2]
    checkins.record(first, "web", -13.65, -73.38, "At the office.")
    checkins.escalate(second.due_at + dt.timedelta(minutes=61))
    run_queue()
    pages = _care_pages(browser(approved[who]), trip)
    expected = {f"/care/trips/{trip.pk}/?{{}}", f"/care/trips/{trip.pk}/calendar.ics?{{}}"}
    assert expected <= set(pages)
    if who == "rene":  # a reviewer follows who is where; the requester her trip only
        assert len(pages) == 7
    for url, text in pages.items():
        if "notifications" not in url:
            assert "Rosa Quispe" in text, url
        leaked = [value for value in CONTACTS if value in text]
        assert not leaked, (who, url, leaked)


def test_a_travellers_own_check_in_plan_is_hers(approved: dict[str, Any]) -> None:
    """The check-in plan goes to the traveller herself; no alert to anyone who may not see
    her contact details carries them (here: every message made for the trip so far)."""
    [plan] = approved["smtp"].to("rosa.quispe@example.org")
    assert "Check in at each of these times" in plan.get_content()
    second = CheckIn.objects.filter(trip=approved["trip"]).order_by("due_at")[1]
    checkins.escalate(second.due_at.astimezone(ZoneInfo("UTC")) + dt.timedelta(minutes=61))
    for message in Notification.objects.exclude(user=approved["marta"]):
        assert not any(value in message.body + message.subject for value in CONTACTS[1:])


def test_the_audit_log_holds_contacts_for_the_teams_admins_only(approved: dict[str, Any]) -> None:
    """A profile's entry keeps its contact details as changed: the team's admin reads them in
    the audit log; an analyst, a reviewer and an approver without the admin role get 403, and
    another team's admin does not see the entry."""
    rosa = approved["trip"].travellers.get()
    rosa.phone = "+51 1 555 0199"
    rosa.save()
    add_user("boss", "Field team", "admin", PASSWORD)
    boss = get_user_model().objects.get(username="boss")
    log = browser(boss).get("/audit/", {"type": "traveller"}).content.decode()
    assert "555 0142" in log and "555 0199" in log
    # The page's intro says it holds travel records too, not only assessments.
    intro = log.split('<p class="muted">', 1)[1].split("</p>", 1)[0]
    assert "traveller profiles with their contact details" in intro, intro
    for who in ("ana", "rene", "marta", "rosa"):
        assert browser(approved[who]).get("/audit/").status_code == 403, who
    theirs = browser(approved["outsider"]).get("/audit/").content.decode()
    assert "555 01" not in theirs and "Rosa Quispe" not in theirs
