"""Who hears of a trip's approval: each step's approvers when it comes to them (not before,
not the requester nor a traveller who holds the role), and the requester of the decision."""

from __future__ import annotations

import datetime as dt

import pytest

from riskatlas.apps.notifications.models import Notification
from riskatlas.apps.travel import workflow
from riskatlas.apps.travel.models import ApproverRole

from .conftest import TODAY, Peru

pytestmark = pytest.mark.django_db
today = dt.date.fromisoformat(TODAY)


def _told(peru: Peru, kind: str) -> list[str]:
    return sorted(
        n.user.username for n in Notification.objects.filter(kind=kind).select_related("user")
    )


def test_each_step_tells_its_approvers_when_it_comes_to_them(peru: Peru):
    users = peru.users
    # Rosa travels on the trip: holding the line manager's role, she is still not asked.
    ApproverRole.objects.create(team=peru.team, user=users["rosa"], role="line-manager")
    trip = workflow.request(peru.trip, users["analyst"], today)
    assert _told(peru, "approval-waiting") == ["manager"]
    notice = Notification.objects.get(kind="approval-waiting")
    assert "Line manager" in notice.body and trip.title in notice.subject
    assert notice.link == f"/trips/{trip.pk}/"

    workflow.decide(trip, users["manager"], "approve", "Needed.", "", today)
    assert _told(peru, "approval-waiting") == ["focal", "manager"]
    notice.refresh_from_db()
    assert notice.read_at is not None  # signed: nothing waits for the manager any more
    workflow.decide(trip, users["focal"], "approve", "Briefed.", "", today)
    assert _told(peru, "approval-waiting") == ["focal", "manager", "regional"]
    assert _told(peru, "trip-decided") == []
    workflow.decide(trip, users["regional"], "approve", "Still holds.", "", today)
    assert _told(peru, "approval-waiting") == ["focal", "manager", "regional"]
    assert _told(peru, "trip-decided") == ["analyst"]
    assert "approved" in Notification.objects.get(kind="trip-decided").subject.lower()


def test_a_refusal_tells_the_requester_with_the_reason(peru: Peru):
    users = peru.users
    trip = workflow.request(peru.trip, users["analyst"], today)
    workflow.decide(trip, users["manager"], "refuse", "The night bus breaks the policy.", "", today)
    decided = Notification.objects.get(kind="trip-decided", user=users["analyst"])
    assert "refused" in decided.subject.lower()
    assert "The night bus breaks the policy." in decided.body
    assert _told(peru, "approval-waiting") == ["manager"]  # the focal point is not asked now


def test_the_times_of_the_notices_and_of_the_decision_say_their_zone(peru: Peru):
    # The messages speak of local times ("02:40 (America/Lima)"); the list's own column and
    # the decision's time were UTC without saying so, read as local by the approver.
    from django.test import Client

    users = peru.users
    trip = workflow.request(peru.trip, users["analyst"], today)
    workflow.decide(trip, users["manager"], "refuse", "Not now.", "", today)
    manager = Client()
    manager.force_login(users["manager"])
    listed = manager.get("/notifications/").content.decode()
    notice = Notification.objects.get(user=users["manager"])
    assert f"{notice.created_at:%-d %b %Y %H:%M} UTC</time>" in listed
    page = manager.get(f"/trips/{trip.pk}/").content.decode()
    trip.refresh_from_db()
    assert f"— manager, {trip.decided_at:%-d %b %Y %H:%M} UTC" in page


def test_a_cancelled_or_reopened_trip_waits_for_no_one(peru: Peru):
    users = peru.users
    trip = workflow.request(peru.trip, users["analyst"], today)
    workflow.cancel(trip, users["analyst"])
    waiting = Notification.objects.filter(kind="approval-waiting")
    assert waiting.count() == 1 and not waiting.filter(read_at__isnull=True).exists()

    trip.status = "draft"
    trip.save()
    trip = workflow.request(trip, users["analyst"], today)
    assert waiting.filter(read_at__isnull=True).count() == 1  # the new request's first step
    trip.segments.filter(order=3).update(transport="road")  # was off-road
    assert workflow.reopen_if_changed(trip, today)
    assert not waiting.filter(read_at__isnull=True).exists()


def test_a_refusal_or_a_cancellation_tells_the_traveller_not_to_travel(peru: Peru):
    users = peru.users
    trip = workflow.request(peru.trip, users["analyst"], today)
    workflow.decide(trip, users["manager"], "refuse", "Replan by day.", "", today)
    assert _told(peru, "trip-decided") == ["analyst", "rosa"]
    to_rosa = Notification.objects.get(kind="trip-decided", user=users["rosa"])
    assert "Replan by day." in to_rosa.body and "Do not travel" in to_rosa.body

    trip = workflow.request(trip, users["analyst"], today)
    for who in ("manager", "focal", "regional"):
        workflow.decide(trip, users[who], "approve", "Needed.", "", today)
    workflow.cancel(trip, users["analyst"])
    assert set(_told(peru, "trip-cancelled")) == {"rosa"}  # not the analyst, who cancelled it
    cancelled = Notification.objects.filter(kind="trip-cancelled", user=users["rosa"]).first()
    assert cancelled is not None and "Do not travel on it" in cancelled.body
