"""'I need help' from the Peru trip's check-in link (no sign-in): the approver is emailed at once
(a real SMTP server), with the traveller, the trip, where the plan puts her, her words and a
link to the trip, and nobody else is; a second press records its words without a second
email; the trip page, the check-ins page, who is where and the API show the traveller as
needing help until the approver marks it handled with a note; a forged or expired link is
refused and records nothing."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import signing
from django.test import Client

from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.audit.models import AuditEntry
from riskatlas.apps.care import checkins
from riskatlas.apps.care.models import HelpCall
from riskatlas.apps.notifications.models import Notification, Preference, Webhook
from riskatlas.apps.travel.models import CheckIn, Trip

from .peru_trip import LIMA, LINK, PASSWORD, approved_trip, browser, run_queue

pytestmark = pytest.mark.django_db(transaction=True)

#: Before the first check-in opens (07:00 on the 15th): "I am safe" is not offered yet.
EARLY = dt.datetime(2027, 3, 15, 3, 30, tzinfo=LIMA)
SUBJECT = "Needs help: Rosa Quispe on Field visit to the Andahuaylas project and the " \
    "Huancavelica partner"  # fmt: skip


@pytest.fixture
def approved(home_without_store: Path, smtp: Any, queue: Any) -> dict[str, Any]:
    team = approved_trip("Daylight road travel only.")
    [plan] = smtp.to("rosa.quispe@example.org")
    team["links"] = LINK.findall(plan.get_content())
    add_user("reader", "Field team", "reader", PASSWORD)
    users = get_user_model().objects
    users.filter(username="ana").update(email="ana@example.org")
    users.filter(username="reader").update(email="reader@example.org")
    users.filter(username="outsider").update(email="outsider@example.org")
    team["reader"] = users.get(username="reader")
    smtp.received.clear()
    team["smtp"] = smtp
    return team


def _everyone(smtp: Any) -> list[str]:
    return sorted(address for rcpts, _ in smtp.received for address in rcpts)


def test_i_need_help_emails_the_approver_at_once_and_once(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    clock(EARLY)  # before the check-in opens: a call for help is taken all the same
    smtp, trip = approved["smtp"], approved["trip"]
    # Marta takes a daily digest: a call for help is emailed at once all the same.
    Preference.objects.create(user=approved["marta"], digest=Preference.Digest.DAILY)
    phone = browser()
    first_link = approved["links"][0]
    page = phone.get(first_link).content.decode()
    assert "This check-in opens at" in page and "I am safe" not in page
    assert "I need help" in page
    sent = phone.post(
        first_link + "help/",
        {"message": "Road blocked by a strike, crowd is angry", "where": "Bus terminal, Ica"},
    ).content.decode()
    assert "Your call for help is sent: the trip&#x27;s approvers (1 person) were alerted at " \
        "Mon 15 Mar 2027 03:30 (America/Lima) and have your phone number." in sent  # fmt: skip
    run_queue()
    assert _everyone(smtp) == ["marta@example.org"]  # not Rosa, Ana (requester), a reader...
    [email] = smtp.to("marta@example.org")
    assert email["Subject"] == SUBJECT
    text = email.get_content()
    assert 'Rosa Quispe pressed "I need help" at Mon 15 Mar 2027 03:30 (America/Lima)' in text
    assert "Message: Road blocked by a strike, crowd is angry. Where: Bus terminal, Ica." in text
    assert (
        "Expected at: Lima (PE-LMA), 15 Mar 2027 or Andahuaylas (PE-APU), 15 Mar – 16 Mar 2027,"
        " by road after dark." in text
    )
    assert "Phone: +51 1 555 0142." in text
    assert f"http://localhost:8000/trips/{trip.pk}/" in text

    # A second press, with new words, from another link: recorded, nobody emailed again.
    again = phone.post(
        approved["links"][3] + "help/", {"message": "Now hiding in a shop", "where": ""}
    ).content.decode()
    assert "Your message is added to your call for help" in again
    # The same words again (a double tap): nothing more.
    phone.post(approved["links"][3] + "help/", {"message": "Now hiding in a shop"})
    run_queue()
    assert len(smtp.received) == 1
    assert [c.message for c in HelpCall.objects.order_by("at", "pk")] == [
        "Road blocked by a strike, crowd is angry", "Now hiding in a shop",
    ]  # fmt: skip
    assert Notification.objects.filter(kind="help-needed", user=approved["marta"]).count() == 1
    audited = AuditEntry.objects.filter(object_type="help call", action="created")
    assert audited.count() == 2 and audited.first().team_id == approved["team"].pk
    assert not CheckIn.objects.filter(done_at__isnull=False).exists()  # nobody is "safe"


def test_needs_help_shows_until_the_approver_marks_it_handled(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    clock(dt.datetime(2027, 3, 16, 10, 15, tzinfo=LIMA))
    trip, smtp = approved["trip"], approved["smtp"]
    link = approved["links"][2]  # due 16 Mar 08:00: open, and Rosa checks in first
    phone = browser()
    phone.post(link, {"note": "fine so far"})
    phone.post(link + "help/", {"message": "Car accident, driver hurt", "where": "km 40"})
    marta, ana, reader = (browser(approved[n]) for n in ("marta", "ana", "reader"))
    page = marta.get(f"/trips/{trip.pk}/").content.decode()
    assert "Rosa Quispe needs help" in page
    assert "since Tue 16 Mar 2027 10:15 (America/Lima)" in page
    assert "“Car accident, driver hurt”" in page and "where: km 40" in page
    assert "Expected at: Andahuaylas (PE-APU), 15 Mar – 16 Mar 2027" in page
    assert "Mark handled" in page
    assert "Rosa Quispe needs help" in marta.get(f"/care/trips/{trip.pk}/").content.decode()
    who = marta.get("/care/who-is-where/", {"date": "2027-03-16"}).content.decode()
    assert 'needs help</span><div class="small needs-help-since">since Tue 16 Mar 2027 10:15' in who
    csv = marta.get("/care/who-is-where/", {"date": "2027-03-16", "format": "csv"})
    header, row = csv.content.decode().splitlines()[:2]
    assert header.endswith(",needs_help")
    assert row.endswith(
        ',"since Tue 16 Mar 2027 10:15 (America/Lima): ""Car accident, driver hurt""'
        ' — where: km 40"'
    )
    # Ana requested the trip: she follows it and sees the call, but marks nothing handled; a
    # reader of the team sees nothing of it.
    assert "Rosa Quispe needs help" in ana.get(f"/trips/{trip.pk}/").content.decode()
    url = f"/care/trips/{trip.pk}/help/{trip.travellers.get().pk}/handled"
    assert ana.post(url, {"note": "ok"}).status_code == 403
    assert "needs help" not in reader.get(f"/trips/{trip.pk}/").content.decode()
    # The API: the check-in carries the call.
    api = marta.get(f"/api/v1/check-ins/{CheckIn.objects.get(note='fine so far').pk}/").json()
    [call] = api["help_calls"]
    assert (call["message"], call["where"], call["alerted"], call["handled_at"]) == (
        "Car accident, driver hurt", "km 40", 1, None,
    )  # fmt: skip
    # Handled needs a note; with one, the call is closed, and the page no longer shows it.
    refused = marta.post(url, {"note": " "}, follow=True).content.decode()
    assert "Say what was done" in refused and "Rosa Quispe needs help" in refused
    done = marta.post(url, {"note": "Called Rosa: ambulance on its way"}, follow=True)
    assert "Rosa Quispe&#x27;s call for help marked handled." in done.content.decode()
    assert "needs help" not in done.content.decode()
    call = marta.get(f"/api/v1/check-ins/{api['id']}/").json()["help_calls"][0]
    assert (call["handled_by"], call["handled_note"]) == (
        "marta", "Called Rosa: ambulance on its way"
    )  # fmt: skip
    listed = marta.get(f"/care/trips/{trip.pk}/").content.decode()
    assert listed.count("Calls for help handled") == 1 and "needs help" not in listed
    assert "Called Rosa: ambulance on its way" in listed and "Car accident, driver hurt" in listed
    handled = AuditEntry.objects.get(object_type="help call", action="changed")
    assert handled.username == "marta" and handled.after["handled_note"].startswith("Called")
    # A new call after it was handled alerts again.
    run_queue()
    smtp.received.clear()
    phone.post(link + "help/", {"message": "Police stopped us"})
    run_queue()
    assert [m["Subject"] for m in smtp.to("marta@example.org")] == [SUBJECT]


def test_help_after_the_trip_when_the_check_in_has_closed(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None], webhook_server: Any
) -> None:
    """Taken after the check-in closed; the team's webhook is told too, without the phone."""
    Webhook.objects.create(team=approved["team"], url=webhook_server.url, secret="s3cret")
    clock(dt.datetime(2027, 3, 20, 9, 0, tzinfo=LIMA))  # every check-in closed
    page = browser().get(approved["links"][0]).content.decode()
    assert "This check-in has closed" in page and "I need help" in page
    browser().post(approved["links"][0] + "help/", {"message": "Passport stolen"})
    run_queue()
    [email] = approved["smtp"].to("marta@example.org")
    text = email.get_content()
    assert "Expected at: no segment planned on 20 Mar 2027 (the trip runs 15 Mar – 17 Mar 2027)." \
        in text  # fmt: skip
    assert "Phone: +51 1 555 0142." in text
    [payload] = webhook_server.bodies()
    assert payload["kind"] == "help-needed" and payload["subject"] == SUBJECT
    assert "Passport stolen" in payload["body"] and "555" not in json.dumps(payload)


def test_a_forged_or_expired_link_raises_no_alert(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None], settings: Any
) -> None:
    clock(EARLY)
    first = approved["links"][0]
    forged = first.replace("/check-in/", "/check-in/x")
    response = browser().post(forged + "help/", {"message": "help"})
    assert response.status_code == 410 and "not a valid check-in link" in response.content.decode()
    settings.CHECK_IN_LINK_DAYS = -1
    expired = browser().post(first + "help/", {"message": "help"})
    assert expired.status_code == 410 and "has expired" in expired.content.decode()
    run_queue()
    assert not HelpCall.objects.exists()
    assert not Notification.objects.filter(kind="help-needed").exists()
    assert approved["smtp"].received == []
    assert browser().get(first + "help/").status_code == 405


def _token(link: str) -> str:
    return link.split("/")[2]


def test_the_link_of_a_check_in_the_schedule_removed_still_takes_i_need_help(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    clock(dt.datetime(2027, 3, 15, 8, 10, tzinfo=LIMA))  # the first check-in is open...
    trip, smtp, links = approved["trip"], approved["smtp"], approved["links"]
    second = checkins.from_token(_token(links[1]))
    # ... when the trip's schedule changes: its two check-ins of the 15th are no longer planned.
    plan = trip.check_result["check_in"]
    plan["times"] = plan["times"][2:]
    Trip.objects.filter(pk=trip.pk).update(check_result=trip.check_result)
    trip.refresh_from_db()
    checkins.schedule(trip)
    assert CheckIn.objects.filter(trip=trip).count() == 4
    phone = browser()
    page = phone.get(links[0])
    text = page.content.decode()
    assert page.status_code == 200 and "I need help" in text and "I am safe" not in text
    assert "This check-in was rescheduled: the trip&#x27;s schedule changed" in text
    assert "Your next check-in is due <strong>Tue 16 Mar 2027 08:00 (America/Lima)</strong>" \
        in text  # fmt: skip
    [next_link] = re.findall(r'href="(/check-in/[^"]+/)">its link', text)
    assert checkins.from_token(_token(next_link)).due_at == dt.datetime(2027, 3, 16, 8, tzinfo=LIMA)
    # "I am safe" sent all the same (a page open since before the change) records nothing.
    safe = phone.post(links[0], {"note": "fine"}).content.decode()
    assert "This check-in was rescheduled" in safe
    assert not CheckIn.objects.filter(done_at__isnull=False).exists()
    sent = phone.post(
        links[0] + "help/",
        {"message": "Robbed at the terminal", "lat": "-12.0464", "lon": "-77.0428"},
    ).content.decode()
    assert "Your call for help is sent: the trip&#x27;s approvers (1 person) were alerted" in sent
    run_queue()
    [email] = smtp.to("marta@example.org")
    assert email["Subject"] == SUBJECT
    assert "Message: Robbed at the terminal" in email.get_content()
    call = HelpCall.objects.get()
    assert (call.trip, call.traveller, call.check_in) == (trip, trip.travellers.get(), None)
    # A link sent before links said whose they were (the check-in's number alone) is known by
    # the audit log's record of the removal: it takes "I need help" too.
    old_link = "/check-in/" + signing.TimestampSigner(salt=checkins.SALT).sign(str(second.pk)) + "/"
    assert "This check-in was rescheduled" in phone.get(old_link).content.decode()
    phone.post(old_link + "help/", {"message": "Still at the terminal"})
    assert [c.message for c in HelpCall.objects.order_by("pk")][-1] == "Still at the terminal"
    # The trip deleted: the link is refused, nothing is recorded.
    trip.delete()
    gone = phone.post(links[0] + "help/", {"message": "help"})
    assert gone.status_code == 410 and "no longer planned" in gone.content.decode()
    assert not HelpCall.objects.exists()


MAP = "https://www.openstreetmap.org/?mlat=-13.65432&amp;mlon=-73.38765#map=16/-13.65432/-73.38765"


def test_rosa_signed_in_says_she_needs_help_on_the_check_ins_page_with_her_location(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    clock(dt.datetime(2027, 3, 16, 10, 15, tzinfo=LIMA))
    trip, smtp = approved["trip"], approved["smtp"]
    url = f"/care/trips/{trip.pk}/"
    rosa, marta = browser(approved["rosa"]), browser(approved["marta"])
    page = rosa.get(url).content.decode()
    assert f'action="{url}help"' in page and ">I need help</button>" in page
    assert "Share my location with the call for help" in page
    # Her approver follows the page but is no traveller of the trip: no button, refused.
    assert ">I need help</button>" not in marta.get(url).content.decode()
    assert marta.post(url + "help", {"message": "x"}).status_code == 403
    # Without the form's CSRF token (another site's form): refused, nothing recorded.
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(approved["rosa"])
    assert forged.post(url + "help", {"message": "x"}).status_code == 403
    assert not HelpCall.objects.exists()
    done = rosa.post(
        url + "help",
        {"message": "Car accident", "where": "km 40", "lat": "-13.654321", "lon": "-73.387654"},
        follow=True,
    ).content.decode()
    assert "Your call for help is sent: the trip&#x27;s approvers (1 person) were alerted at " \
        "Tue 16 Mar 2027 10:15 (America/Lima) and have your phone number." in done  # fmt: skip
    assert "Rosa Quispe needs help" in done and ">Add to my call for help</button>" in done
    run_queue()
    [email] = smtp.to("marta@example.org")
    text = email.get_content()
    assert "Message: Car accident" in text and "Where: km 40." in text
    assert "Her phone's location: -13.65432, -73.38765 (" + MAP.replace("&amp;", "&") + ")." \
        in text  # fmt: skip
    trip_page = marta.get(f"/trips/{trip.pk}/").content.decode()
    assert f'<a href="{MAP}" rel="noopener noreferrer" target="_blank" class="help-location">' \
        "-13.65432, -73.38765 (map)</a>" in trip_page  # fmt: skip
    # Out of range, the position is left out; the call is recorded with her words.
    rosa.post(url + "help", {"message": "Moved to the clinic", "lat": "95", "lon": "10"})
    assert [(c.message, c.lat, c.lon) for c in HelpCall.objects.order_by("pk")] == [
        ("Car accident", -13.654321, -73.387654), ("Moved to the clinic", None, None),
    ]  # fmt: skip
    assert HelpCall.objects.get(message="Car accident").check_in is None


def test_who_is_where_gives_where_she_says_she_is_and_her_phones_location(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    # The security manager looks up who is where: Rosa's stay is the itinerary's, but where
    # she says she is and the position her phone shared are what she needs to act on.
    clock(dt.datetime(2027, 3, 16, 10, 15, tzinfo=LIMA))
    rosa, marta = browser(approved["rosa"]), browser(approved["marta"])
    url = f"/care/trips/{approved['trip'].pk}/help"
    post = {"message": "Car accident", "where": "km 40", "lat": "-13.654321", "lon": "-73.387654"}
    rosa.post(url, post)
    rosa.post(url, {"message": "Moved to the clinic"})  # the latest words, no new position
    who = marta.get("/care/who-is-where/", {"date": "2027-03-16"}).content.decode()
    assert '"Moved to the clinic" — where: km 40 — her phone\'s location:' in who.replace(
        "&quot;", '"').replace("&#x27;", "'")  # fmt: skip
    assert f'<a href="{MAP}" rel="noopener noreferrer" target="_blank">-13.65432, -73.38765 ' \
        "(map)</a>" in who  # fmt: skip
    csv = marta.get("/care/who-is-where/", {"date": "2027-03-16", "format": "csv"})
    assert (
        csv.content.decode()
        .splitlines()[1]
        .endswith(
            '""Moved to the clinic"" — where: km 40 — her phone\'s location: -13.65432, -73.38765"'
        )
    )
