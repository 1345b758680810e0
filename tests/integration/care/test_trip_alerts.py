"""Issue 14's done-when: publishing a Peru version that raises Huancavelica's level sends
exactly one email to the traveller and one to the approver (a real SMTP server), and the trip
shows its decision reopened. The publication's check runs on the task queue, taken off it
and run here as a worker runs it; the overdue-assessment check too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.accounts.models import Membership
from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.assessments import workflow as versions
from riskatlas.apps.assessments.writer import import_document
from riskatlas.apps.care import alerts
from riskatlas.apps.notifications.models import Notification
from riskatlas.apps.travel.models import ApproverRole, Trip

from .peru_trip import PASSWORD, TODAY, approve, raised_huancavelica, run_queue, set_up_team

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(home_without_store: Path, queue: Any) -> dict[str, Any]:
    return set_up_team()


def _publish_v2(team: dict[str, Any]) -> Any:
    v2 = import_document(raised_huancavelica(team["version"]), team=team["team"]).version
    versions.submit_for_review(v2, team["ana"])
    versions.approve(v2, team["marta"])
    return versions.publish(v2, team["marta"], "Huancavelica raised after the February ambushes.")


def test_publishing_a_raised_level_reopens_the_trip_and_emails_each_once(
    team: dict[str, Any], smtp: Any
) -> None:
    trip = approve(team["trip"], team["ana"], team["marta"])
    assert trip.status == "approved"
    run_queue()  # the check-in plan goes to Rosa
    assert [m["Subject"] for m in smtp.to("rosa.quispe@example.org")] == [
        f"Check-in plan: {trip.title}"
    ]
    smtp.received.clear()

    _publish_v2(team)
    assert smtp.received == []  # nothing is sent inside the request that publishes
    ran = run_queue()
    assert ran[0].endswith("version_published") and any("deliver_task" in n for n in ran)

    to_rosa = smtp.to("rosa.quispe@example.org")
    to_marta = smtp.to("marta@example.org")
    assert len(smtp.received) == 2 and len(to_rosa) == 1 and len(to_marta) == 1
    for message in (to_rosa[0], to_marta[0]):
        assert message["Subject"] == f"Levels changed on {trip.title}: the decision is reopened"
        text = message.get_content()
        assert "pe-2009 v2 was published" in text
        assert "Huancavelica (PE-HUV): level 4 → 5" in text
        assert f"http://localhost:8000/trips/{trip.pk}/" in text  # the trip's page
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REOPENED
    assert "PE-HUV" in trip.reopened_because

    # The trip's page says so, to the traveller and to the approver.
    for user in (team["rosa"], team["marta"]):
        client = Client()
        client.force_login(user)
        page = client.get(f"/care/trips/{trip.pk}/").content.decode()
        assert "Reopened" in page and "level 4 → 5" in page
        assert "Reopened" in client.get(f"/trips/{trip.pk}/").content.decode()
        assert "Levels changed on" in client.get("/notifications/").content.decode()

    # The same publication noticed again: nobody hears twice.
    alerts.after_publication(team["version"].assessment.versions.get(number=2).pk, TODAY)
    run_queue()
    assert len(smtp.received) == 2
    assert Notification.objects.filter(kind="level-changed").count() == 2


def test_a_publication_that_changes_no_level_says_why_the_decision_reopened(
    team: dict[str, Any], smtp: Any
) -> None:
    trip = approve(team["trip"], team["ana"], team["marta"])
    run_queue()
    smtp.received.clear()
    doc = raised_huancavelica(team["version"])
    for area in doc["areas"]:
        if area["code"] == "PE-HUV":
            area.pop("level")
            area.pop("level_reason")
    v2 = import_document(doc, team=team["team"]).version
    versions.submit_for_review(v2, team["ana"])
    versions.approve(v2, team["marta"])
    versions.publish(v2, team["marta"])
    run_queue()
    assert not Notification.objects.filter(kind="level-changed").exists()
    # Version 2 is reviewed until 2027: the stale-assessment rule no longer asks the regional
    # security manager, so the decision is reopened, and said so, without a level changing.
    trip.refresh_from_db()
    assert trip.status == Trip.Status.REOPENED and "level" not in trip.reopened_because
    for address in ("rosa.quispe@example.org", "marta@example.org"):
        [message] = smtp.to(address)
        assert message["Subject"] == f"The decision on {trip.title} is reopened"
        assert "pe-2009 v2 was published: " in message.get_content()


def test_an_overdue_assessment_behind_a_trip_is_told_once(team: dict[str, Any], smtp: Any) -> None:
    # Decided in April 2010, when the Peru assessment (review by 31 May 2010) still held.
    trip = approve(team["trip"], team["ana"], team["marta"], today=dt.date(2010, 4, 30))
    run_queue()
    smtp.received.clear()
    assert alerts.overdue_assessments(TODAY) == 2  # Rosa and Marta: overdue since the decision
    assert alerts.overdue_assessments(TODAY) == 0
    run_queue()
    subjects = {m["Subject"] for _, m in smtp.received}
    assert subjects == {f"pe-2009 v1 is overdue: {trip.title}"}
    assert len(smtp.to("rosa.quispe@example.org")) == 1


def test_an_assessment_overdue_when_decided_is_not_told_again(
    team: dict[str, Any], smtp: Any
) -> None:
    """Decided today, the trip's check already says pe-2009 is out of date (and the regional
    security manager confirmed it): no "overdue" message follows."""
    trip = approve(team["trip"], team["ana"], team["marta"])
    assert trip.check_result["warnings"][0]["kind"] == "stale-assessment"
    run_queue()
    smtp.received.clear()
    assert alerts.overdue_assessments(TODAY) == 0


def test_trip_alerts_go_only_to_who_holds_an_approver_role_now(
    team: dict[str, Any], smtp: Any
) -> None:
    """Marta signed the trip, then handed her approver roles to Jorge; Leo holds one too but
    has left the team: the overdue alert goes to Rosa and Jorge only (a real SMTP server)."""
    trip = approve(team["trip"], team["ana"], team["marta"], today=dt.date(2010, 4, 30))
    run_queue()
    smtp.received.clear()
    users = get_user_model().objects
    for name in ("jorge", "leo"):
        add_user(name, "Field team", "reader", PASSWORD)
        users.filter(username=name).update(email=f"{name}@example.org")
    jorge, leo = users.get(username="jorge"), users.get(username="leo")
    ApproverRole.objects.filter(user=team["marta"]).update(user=jorge)
    role = trip.approvals.filter(superseded=False).values_list("role", flat=True).first()
    ApproverRole.objects.create(team=team["team"], user=leo, role=role)
    Membership.objects.filter(user=leo).delete()
    assert alerts.overdue_assessments(TODAY) == 2
    run_queue()
    told = sorted(address for rcpts, _ in smtp.received for address in rcpts)
    assert told == ["jorge@example.org", "rosa.quispe@example.org"], told
    assert {m["Subject"] for _, m in smtp.received} == {f"pe-2009 v1 is overdue: {trip.title}"}
    # (Marta was asked for each approval step while she held the roles: that is all.)
    after = Notification.objects.exclude(kind="approval-waiting")
    assert not after.filter(user__in=[team["marta"], leo]).exists()
