"""The approval of the Peru trip: the approvals the default policy asks for, in its order, four
eyes, a decision with conditions, and the decision reopened when the itinerary or a level on it
changes."""

from __future__ import annotations

import datetime as dt

import pytest

from riskatlas.apps.audit.models import AuditEntry
from riskatlas.apps.travel import workflow
from riskatlas.apps.travel.models import Segment, Trip
from riskatlas.apps.travel.workflow import TripWorkflowError

from .conftest import TODAY, Peru

pytestmark = pytest.mark.django_db
today = dt.date.fromisoformat(TODAY)


def test_the_request_lays_out_the_policys_approvals_with_their_reasons(peru: Peru):
    trip = workflow.request(peru.trip, peru.users["analyst"], today)
    assert trip.status == Trip.Status.REQUESTED
    steps = workflow.current_approvals(trip)
    roles = [s.role for s in steps]
    # Level 4 asks the line manager and the regional security manager; new to the region
    # adds the focal point; the overdue Peru assessment makes the regional manager confirm it.
    assert roles == ["line-manager", "security-focal-point", "regional-security-manager"]
    focal = steps[1]
    assert "new-to-region" in focal.why
    assert "review-by" in steps[2].why or "stale" in steps[2].why
    check = trip.check_result
    assert check["fingerprint"] == trip.fingerprint
    assert [w["kind"] for w in check["warnings"]].count("stale-assessment") == 1
    broken = [m for m in check["measures"] if m["id"] == "no-road-travel-after-dark"]
    assert broken and broken[0]["broken_by"] == [2]


def test_four_eyes_and_the_order_of_the_steps(peru: Peru):
    trip = workflow.request(peru.trip, peru.users["analyst"], today)
    # The regional manager cannot sign before the line manager and the focal point.
    with pytest.raises(TripWorkflowError, match="by the Line manager"):
        workflow.decide(trip, peru.users["regional"], "approve", "fine", today=today)
    # The traveller may not approve her own trip, even holding the role.
    from riskatlas.apps.travel.models import ApproverRole

    ApproverRole.objects.create(team=peru.team, user=peru.users["rosa"], role="line-manager")
    with pytest.raises(TripWorkflowError, match="you travel on this trip"):
        workflow.decide(trip, peru.users["rosa"], "approve", "fine", today=today)
    ApproverRole.objects.create(team=peru.team, user=peru.users["analyst"], role="line-manager")
    with pytest.raises(TripWorkflowError, match="you requested this trip"):
        workflow.decide(trip, peru.users["analyst"], "approve", "fine", today=today)
    with pytest.raises(TripWorkflowError, match="only members"):
        workflow.decide(trip, peru.users["b-admin"], "approve", "fine", today=today)
    with pytest.raises(TripWorkflowError, match="reason"):
        workflow.decide(trip, peru.users["manager"], "approve", "  ", today=today)
    assert workflow.next_step(trip).role == "line-manager"


def test_approved_with_conditions_after_every_step_and_audited(peru: Peru):
    trip = workflow.request(peru.trip, peru.users["analyst"], today)
    workflow.decide(trip, peru.users["manager"], "approve", "The visit is needed.", today=today)
    assert trip.status == Trip.Status.REQUESTED
    workflow.decide(
        trip,
        peru.users["focal"],
        "approve-with-conditions",
        "Briefed her.",
        "Travel by day from Lima: take the morning bus, not the overnight one.",
        today=today,
    )
    workflow.decide(
        trip, peru.users["regional"], "approve", "The assessment still holds.", today=today
    )
    trip.refresh_from_db()
    assert trip.status == Trip.Status.APPROVED_WITH_CONDITIONS
    assert "morning bus" in trip.conditions
    assert trip.decided_by == peru.users["regional"]
    signed = AuditEntry.objects.filter(team=peru.team, object_type="approval", action="changed")
    assert {e.username for e in signed} == {"manager", "focal", "regional"}


def test_a_refusal_decides_at_once(peru: Peru):
    trip = workflow.request(peru.trip, peru.users["analyst"], today)
    workflow.decide(trip, peru.users["manager"], "refuse", "Not essential now.", today=today)
    assert trip.status == Trip.Status.REFUSED
    assert trip.reason == "Not essential now."
    assert workflow.next_step(trip) is None


def test_an_itinerary_change_reopens_the_decision(peru: Peru):
    trip = workflow.request(peru.trip, peru.users["analyst"], today)
    for user in ("manager", "focal", "regional"):
        workflow.decide(trip, peru.users[user], "approve", "ok", today=today)
    assert trip.status == Trip.Status.APPROVED
    assert not workflow.reopen_if_changed(trip, today)  # nothing changed: stays approved
    Segment.objects.filter(trip=trip, order=3).update(night_travel=True)
    assert workflow.reopen_if_changed(trip, today)
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REOPENED
    assert "itinerary changed" in trip.reopened_because
    assert workflow.current_approvals(trip) == []
    workflow.request(trip, peru.users["analyst"], today)
    assert trip.status == Trip.Status.REQUESTED
    assert len(workflow.current_approvals(trip)) == 3


def test_a_published_version_that_raises_a_level_on_the_route_reopens_the_decision(
    peru: Peru, peru_yaml
):
    from riskatlas.apps.assessments.interchange import import_document
    from riskatlas.document import load_document

    trip = workflow.request(peru.trip, peru.users["analyst"], today)
    for user in ("manager", "focal", "regional"):
        workflow.decide(trip, peru.users[user], "approve", "ok", today=today)
    huv = next(
        a for s in trip.check_result["segments"] for a in s["areas"] if a["code"] == "PE-HUV"
    )
    assert huv["level"] < 5
    doc = load_document(peru_yaml)
    doc["assessment"]["review_by"] = "2027-12-31"  # reviewed: publication needs it
    for area in doc["areas"]:
        if area["code"] == "PE-HUV":
            area["level"] = 5
            area["level_reason"] = "Armed groups moved west of the Mantaro."
    version = import_document(doc, team=peru.team).version  # version 2, a draft
    from riskatlas.apps.assessments import workflow as assessing

    assessing.submit_for_review(version, peru.users["analyst"])
    assessing.approve(version, peru.users["manager"])
    assessing.publish(version, peru.users["manager"])
    assert workflow.reopen_changed_trips(peru.team, today) == [trip]
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REOPENED
    assert f"Huancavelica (PE-HUV): level {huv['level']} → 5" in trip.reopened_because
