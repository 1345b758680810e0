"""Check-ins of the Peru trip: planned from the decision when it is approved, the links emailed
to the traveller (a real SMTP server), one check-in per signed link without signing in, a
missed one escalated to the approver once; checking in from the web app; the trip's calendar
file; and who may see any of it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from icalendar import Calendar

from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.care import checkins
from riskatlas.apps.notifications.models import Notification, Webhook
from riskatlas.apps.travel.models import ApproverRole, CheckIn

from .peru_trip import LIMA, LINK, PASSWORD, approved_trip, browser, run_queue

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def approved(home_without_store: Path, smtp: Any, queue: Any) -> dict[str, Any]:
    team = approved_trip("Daylight road travel only.")
    team["smtp"] = smtp
    return team


def test_approval_plans_the_check_ins_and_emails_the_links(approved: dict[str, Any]) -> None:
    trip = approved["trip"]
    assert trip.status == "approved-with-conditions"
    due = [c.due_at for c in CheckIn.objects.filter(trip=trip).order_by("due_at")]
    assert due == [
        dt.datetime(2027, 3, day, hour, tzinfo=LIMA) for day in (15, 16, 17) for hour in (8, 20)
    ]  # every 12 hours (level 4 in the default policy), 08:00 first day to 20:00 last, in
    # Peru's time (UTC-5): the first is due at 13:00 UTC
    assert due[0] == dt.datetime(2027, 3, 15, 13, tzinfo=dt.UTC)
    [message] = approved["smtp"].to("rosa.quispe@example.org")
    text = message.get_content()
    assert "Conditions: Daylight road travel only." in text
    assert "Mon 15 Mar 2027 08:00 (America/Lima)" in text and len(LINK.findall(text)) == 6
    # Approving again (a save of the approved trip) plans nothing twice, emails nobody twice.
    trip.save()
    run_queue()
    assert CheckIn.objects.filter(trip=trip).count() == 6
    assert len(approved["smtp"].to("rosa.quispe@example.org")) == 1


def test_one_check_in_per_link_without_signing_in(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    clock(dt.datetime(2027, 3, 15, 8, 5, tzinfo=LIMA))  # the first check-in is open
    [message] = approved["smtp"].to("rosa.quispe@example.org")
    first, second = LINK.findall(message.get_content())[:2]
    phone = browser()
    page = phone.get(first)
    assert page.status_code == 200
    assert "Rosa Quispe, check-in due" in page.content.decode()
    done = phone.post(first, {"note": "Arrived at the bus terminal", "lat": "-12.05", "lon": "x"})
    recorded = "your check-in for Mon 15 Mar 2027 08:00 (America/Lima) is recorded"
    assert recorded in done.content.decode()
    row = CheckIn.objects.get(due_at=dt.datetime(2027, 3, 15, 8, tzinfo=LIMA))
    assert (row.source, row.note, row.lat, row.lon) == ("link", "Arrived at the bus terminal",
                                                       -12.05, None)  # fmt: skip
    again = phone.post(first, {"note": "twice"})
    assert "You checked in already" in again.content.decode()
    row.refresh_from_db()
    assert row.note == "Arrived at the bus terminal"
    assert "check-in due" in phone.get(second).content.decode()  # the next link still works

    forged = first.replace("/check-in/", "/check-in/x")
    assert phone.get(forged).status_code == 410
    other_purpose = "/check-in/" + signing.dumps(str(row.pk)) + "/"  # signed, not for this
    refused = phone.get(other_purpose)
    assert refused.status_code == 410 and "not a valid check-in link" in refused.content.decode()


def test_an_expired_link_is_refused(approved: dict[str, Any], settings: Any) -> None:
    [message] = approved["smtp"].to("rosa.quispe@example.org")
    first = LINK.findall(message.get_content())[0]
    settings.CHECK_IN_LINK_DAYS = -1
    response = browser().post(first)
    assert response.status_code == 410 and "has expired" in response.content.decode()
    assert not CheckIn.objects.filter(done_at__isnull=False).exists()


def test_a_missed_check_in_escalates_to_the_approver_once(approved: dict[str, Any]) -> None:
    trip, smtp = approved["trip"], approved["smtp"]
    smtp.received.clear()
    first = CheckIn.objects.filter(trip=trip).order_by("due_at").first()
    assert first is not None
    checkins.record(first, "web")
    second_due = dt.datetime(2027, 3, 15, 20, tzinfo=LIMA)
    assert checkins.escalate(second_due + dt.timedelta(minutes=59)) == []  # within the grace
    [late] = checkins.escalate(second_due + dt.timedelta(minutes=61))
    assert late.due_at == second_due
    assert checkins.escalate(second_due + dt.timedelta(minutes=90)) == []
    run_queue()
    [email] = smtp.to("marta@example.org")
    assert email["Subject"] == f"Missed check-in: Rosa Quispe on {trip.title}"
    assert "did not check in at Mon 15 Mar 2027 20:00 (America/Lima)" in email.get_content()
    assert smtp.to("rosa.quispe@example.org") == []
    page = browser(approved["marta"]).get(f"/care/trips/{trip.pk}/").content.decode()
    assert "missed — escalated" in page and "checked in" in page
    assert Notification.objects.filter(kind="check-in-missed").count() == 1


def test_a_check_in_after_an_escalation_tells_the_approver_she_is_safe(
    approved: dict[str, Any],
) -> None:
    """Marta was told Rosa missed 20:00 and to follow the missed check-in procedure; when Rosa
    checks in after all (late, or at her next check-in), Marta hears it, once."""
    trip, smtp = approved["trip"], approved["smtp"]
    rows = list(CheckIn.objects.filter(trip=trip).order_by("due_at"))
    checkins.record(rows[0], "web")
    second_due = dt.datetime(2027, 3, 15, 20, tzinfo=LIMA)
    checkins.escalate(second_due + dt.timedelta(minutes=61))
    run_queue()
    smtp.received.clear()
    late = second_due + dt.timedelta(hours=2)
    checkins.record(rows[1], "link", now=late)
    run_queue()
    [email] = smtp.to("marta@example.org")
    assert email["Subject"] == f"Checked in after a missed check-in: Rosa Quispe on {trip.title}"
    text = email.get_content()
    assert "Rosa Quispe checked in at Mon 15 Mar 2027 22:00 (America/Lima)" in text
    assert "after the missed check-in due Mon 15 Mar 2027 20:00 (America/Lima)" in text
    assert smtp.to("rosa.quispe@example.org") == []
    # Her next check-in says nothing more: Marta knows already.
    smtp.received.clear()
    checkins.record(rows[2], "link", now=late + dt.timedelta(hours=10))
    run_queue()
    assert smtp.to("marta@example.org") == []


def test_the_next_check_in_after_an_escalation_is_the_sign_of_life(
    approved: dict[str, Any],
) -> None:
    trip, smtp = approved["trip"], approved["smtp"]
    rows = list(CheckIn.objects.filter(trip=trip).order_by("due_at"))
    checkins.escalate(rows[0].due_at + dt.timedelta(minutes=61))  # 08:00 missed
    run_queue()
    smtp.received.clear()
    checkins.record(rows[1], "web", now=rows[1].due_at)  # 20:00 done; 08:00 never will be
    run_queue()
    [email] = smtp.to("marta@example.org")
    assert "after the missed check-in due Mon 15 Mar 2027 08:00 (America/Lima)" in (
        email.get_content()
    )


def test_a_missed_check_in_goes_to_the_approvers_now_with_the_phone(
    approved: dict[str, Any], webhook_server: Any
) -> None:
    """The escalation goes to the approver roles' holders now, with the traveller's phone
    (they call her), as the trip alerts (``people.approvers_now``): one who signed the trip
    but holds no approver role any more hears nothing (not the traveller's name, trip and
    time); the team's webhook is told without the phone (``access.sees_personal_data``)."""
    trip, smtp, marta = approved["trip"], approved["smtp"], approved["marta"]
    add_user("jorge", "Field team", "reader", PASSWORD)
    get_user_model().objects.filter(username="jorge").update(email="jorge@example.org")
    jorge = get_user_model().objects.get(username="jorge")
    ApproverRole.objects.filter(user=marta).update(user=jorge)  # marta signed, jorge holds
    Webhook.objects.create(team=approved["team"], url=webhook_server.url, secret="s3cret")
    smtp.received.clear()
    second_due = dt.datetime(2027, 3, 15, 20, tzinfo=LIMA)
    CheckIn.objects.filter(trip=trip, due_at__lt=second_due).update(done_at=second_due)
    assert len(checkins.escalate(second_due + dt.timedelta(minutes=61))) == 1
    run_queue()
    phone = "+51 1 555 0142"
    [to_jorge] = smtp.to("jorge@example.org")
    assert f"Phone: {phone}." in to_jorge.get_content()
    assert to_jorge["Subject"] == f"Missed check-in: Rosa Quispe on {trip.title}"
    assert "did not check in at Mon 15 Mar 2027 20:00" in to_jorge.get_content()
    assert smtp.to("marta@example.org") == []
    [payload] = webhook_server.bodies()
    assert payload["kind"] == "check-in-missed" and "555" not in json.dumps(payload)
    told = Notification.objects.filter(kind="check-in-missed").order_by("pk")
    assert [(m.user, m.webhook is not None, phone in m.body) for m in told] == [
        (jorge, False, True), (None, True, False)
    ]  # fmt: skip
    # Marta's in-app list has nothing of it.
    listed = browser(marta).get("/notifications/").content.decode()
    assert "Missed check-in" not in listed and "Rosa Quispe" not in listed


def test_the_traveller_checks_in_from_the_web_app(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    clock(dt.datetime(2027, 3, 15, 8, 5, tzinfo=LIMA))  # the first check-in is open
    trip = approved["trip"]
    rosa = browser(approved["rosa"])
    page = rosa.get(f"/care/trips/{trip.pk}/").content.decode()
    assert "Check in now (due Mon 15 Mar 2027 08:00 (America/Lima))" in page
    first = CheckIn.objects.filter(trip=trip).order_by("due_at").first()
    assert first is not None
    response = rosa.post(f"/care/trips/{trip.pk}/check-in/{first.pk}", {"note": "ok"}, follow=True)
    assert "Checked in at" in response.content.decode()
    first.refresh_from_db()
    assert first.source == "web" and first.done_at is not None
    # The approver sees it but does not check in for her.
    second = CheckIn.objects.filter(trip=trip, done_at__isnull=True).order_by("due_at").first()
    assert second is not None
    marta = browser(approved["marta"])
    assert marta.post(f"/care/trips/{trip.pk}/check-in/{second.pk}").status_code == 403


def test_the_trip_calendar(approved: dict[str, Any]) -> None:
    trip = approved["trip"]
    response = browser(approved["rosa"]).get(f"/care/trips/{trip.pk}/calendar.ics")
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    stays = [e for e in events if not str(e["SUMMARY"]).startswith("Check in")]
    assert [str(e["LOCATION"]) for e in stays] == [
        "Lima (PE-LMA)", "Andahuaylas (PE-APU)", "Huancavelica (PE-HUV)",
    ]  # fmt: skip
    assert stays[1].decoded("DTSTART") == dt.date(2027, 3, 15)
    assert stays[1].decoded("DTEND") == dt.date(2027, 3, 17)  # all day, the 15th and 16th
    assert "Travel after dark" in str(stays[1]["DESCRIPTION"])
    check_ins = [e for e in events if str(e["SUMMARY"]).startswith("Check in")]
    assert len(check_ins) == 6
    assert check_ins[0].decoded("DTSTART") == dt.datetime(2027, 3, 15, 8, tzinfo=LIMA)
    # The reminder leads to the check-in: its link (as emailed to Rosa) in the event.
    url = str(check_ins[0]["URL"])
    assert url.startswith("http://localhost:8000/check-in/") and url in str(
        check_ins[0]["DESCRIPTION"]
    )
    page = browser().get(url.removeprefix("http://localhost:8000")).content.decode()
    assert "Rosa Quispe, check-in due <strong>Mon 15 Mar 2027 08:00 (America/Lima)" in page
    # Her approver's calendar has her check-ins without her links (they record as her).
    theirs = browser(approved["marta"]).get(f"/care/trips/{trip.pk}/calendar.ics").content
    assert b"/check-in/" not in theirs and b"Check in: Rosa Quispe" in theirs


def test_travellers_are_invisible_to_readers_and_other_teams(approved: dict[str, Any]) -> None:
    add_user("reader", "Field team", "reader", "a-long-test-password-1")
    reader = get_user_model().objects.get(username="reader")
    trip = approved["trip"]
    for user in (reader, approved["outsider"]):
        client = browser(user)
        for url in (f"/care/trips/{trip.pk}/", f"/care/trips/{trip.pk}/calendar.ics"):
            assert client.get(url).status_code == 404, (user, url)
    assert browser(reader).get("/care/who-is-where/").status_code == 404
    assert "Who is where" not in browser(reader).get("/notifications/").content.decode()
    # The other team's admin sees their own team's travellers: nobody.
    theirs = browser(approved["outsider"]).get("/care/who-is-where/?date=2027-03-16")
    assert "Rosa" not in theirs.content.decode() and "Nobody" in theirs.content.decode()
    assert browser().get(f"/care/trips/{trip.pk}/").status_code == 302  # to sign in


def test_a_trip_approved_on_its_first_day_plans_no_check_in_already_past(
    home_without_store: Path, smtp: Any, queue: Any, clock: Callable[[dt.datetime], None]
) -> None:
    # Approved at 10:30 on the first day: the 08:00 check-in was never asked of Rosa (no link
    # before it was due); planned, it would be "missed" and escalated to Marta at once.
    from .peru_trip import approve, set_up_team

    approved_at = dt.datetime(2027, 3, 15, 10, 30, tzinfo=LIMA)
    clock(approved_at)
    team = set_up_team()
    trip = approve(team["trip"], team["ana"], team["marta"], today=approved_at.date())
    run_queue()
    due = [c.due_at for c in CheckIn.objects.filter(trip=trip).order_by("due_at")]
    assert due[0] == dt.datetime(2027, 3, 15, 20, tzinfo=LIMA) and len(due) == 5
    [plan] = smtp.to("rosa.quispe@example.org")
    assert "Mon 15 Mar 2027 08:00" not in plan.get_content()
    assert checkins.escalate(approved_at + dt.timedelta(hours=2)) == []
