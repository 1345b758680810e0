"""A check-in opens ``CHECK_IN_EARLY_MINUTES`` (60) before it is due: the Peru trip's first
check-in, due Mon 15 Mar 2027 08:00 in Lima, cannot be recorded on 4 Dec 2026 from its
emailed link, the web app or the API (nothing is recorded, nothing audited), and its page says
when it opens; from 07:00 it records as before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from riskatlas.apps.audit.models import AuditEntry
from riskatlas.apps.travel.models import CheckIn

from .peru_trip import LIMA, LINK, approved_trip, browser

pytestmark = pytest.mark.django_db(transaction=True)

DUE = dt.datetime(2027, 3, 15, 8, tzinfo=LIMA)
OPENS = "This check-in opens at Mon 15 Mar 2027 07:00 (America/Lima), 60 minutes before it is due"
BUTTON = "I am safe"


@pytest.fixture
def approved(home_without_store: Path, smtp: Any, queue: Any) -> dict[str, Any]:
    team = approved_trip()
    [message] = smtp.to("rosa.quispe@example.org")
    team["first_link"] = LINK.findall(message.get_content())[0]
    team["first"] = CheckIn.objects.get(trip=team["trip"], due_at=DUE)
    return team


def test_a_link_tapped_months_early_records_nothing(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    clock(dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC))
    audited = AuditEntry.objects.count()
    page = Client().get(approved["first_link"]).content.decode()
    assert OPENS in page and BUTTON not in page
    posted = Client().post(approved["first_link"], {"note": "safe", "lat": "-12", "lon": "-77"})
    text = posted.content.decode()
    assert OPENS in text and "Thank you" not in text and BUTTON not in text
    # Nor from the web app, whose page offers no button yet and says when it opens.
    trip = approved["trip"]
    rosa = browser(approved["rosa"])
    mine = rosa.get(f"/care/trips/{trip.pk}/").content.decode()
    assert "Check in now" not in mine
    assert "Your next check-in, due Mon 15 Mar 2027 08:00 (America/Lima), opens at " in mine
    url = f"/care/trips/{trip.pk}/check-in/{approved['first'].pk}"
    refused = rosa.post(url, {"note": "safe"}, follow=True).content.decode()
    assert OPENS in refused and "Checked in at" not in refused
    # The API says when each check-in opens, and records none.
    api = f"/api/v1/check-ins/{approved['first'].pk}/"
    opens = dt.datetime.fromisoformat(rosa.get(api).json()["opens_at"])
    assert opens == DUE - dt.timedelta(hours=1)
    assert rosa.post(api, {"done_at": "2026-12-04"}).status_code == 405
    assert list(CheckIn.objects.filter(done_at__isnull=False)) == []
    assert AuditEntry.objects.count() == audited


def test_a_minute_before_it_opens_is_still_early(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    clock(DUE - dt.timedelta(minutes=61))
    text = Client().post(approved["first_link"], {"note": "early"}).content.decode()
    assert OPENS in text
    approved["first"].refresh_from_db()
    assert approved["first"].done_at is None


@pytest.mark.parametrize(
    "after_opening", [dt.timedelta(0), dt.timedelta(minutes=59), dt.timedelta(hours=49)]
)
def test_inside_the_window_the_link_records_as_before(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None], after_opening: dt.timedelta
) -> None:
    """From 07:00 (opening) through 08:00 (due) to 48 hours after (closing: unchanged)."""
    now = DUE - dt.timedelta(hours=1) + after_opening
    clock(now)
    page = Client().get(approved["first_link"]).content.decode()
    assert BUTTON in page and "opens at" not in page
    done = Client().post(approved["first_link"], {"note": "Arrived"}).content.decode()
    assert "your check-in for Mon 15 Mar 2027 08:00 (America/Lima) is recorded" in done
    approved["first"].refresh_from_db()
    assert (approved["first"].done_at, approved["first"].note) == (now, "Arrived")


def test_after_closing_the_link_is_refused_as_before(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    clock(DUE + dt.timedelta(hours=48, minutes=1))
    text = Client().post(approved["first_link"]).content.decode()
    assert "This check-in has closed; call your focal point." in text and BUTTON not in text
    approved["first"].refresh_from_db()
    assert approved["first"].done_at is None


def test_the_web_app_checks_in_once_open(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    clock(DUE - dt.timedelta(minutes=30))
    trip = approved["trip"]
    rosa = browser(approved["rosa"])
    page = rosa.get(f"/care/trips/{trip.pk}/").content.decode()
    assert "Check in now (due Mon 15 Mar 2027 08:00" in page
    url = f"/care/trips/{trip.pk}/check-in/{approved['first'].pk}"
    assert "Checked in at" in rosa.post(url, follow=True).content.decode()
    approved["first"].refresh_from_db()
    assert approved["first"].source == "web"


def test_check_in_now_offers_the_check_in_due_now_not_an_older_missed_one(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    # Rosa missed 08:00 (still within its 48 hours); at 20:05 "Check in now" is for 20:00:
    # recording 08:00 instead would leave 20:00 to be escalated to her approvers at 21:00.
    evening = DUE + dt.timedelta(hours=12)
    clock(evening + dt.timedelta(minutes=5))
    trip, rosa = approved["trip"], browser(approved["rosa"])
    mine = rosa.get(f"/care/trips/{trip.pk}/").content.decode()
    assert "Check in now (due Mon 15 Mar 2027 20:00 (America/Lima))" in mine
    now_row = CheckIn.objects.get(trip=trip, due_at=evening)
    assert f"/check-in/{now_row.pk}" in mine
    # Once she checked in for 20:00, the missed 08:00 is not offered in its place.
    rosa.post(f"/care/trips/{trip.pk}/check-in/{now_row.pk}", {"note": "safe"})
    assert "Check in now" not in rosa.get(f"/care/trips/{trip.pk}/").content.decode()


def test_a_late_check_ins_link_says_the_approvers_were_told(
    approved: dict[str, Any], clock: Callable[[dt.datetime], None]
) -> None:
    from riskatlas.apps.care import checkins

    later = DUE + dt.timedelta(hours=2)
    clock(later)
    checkins.escalate(later)
    page = " ".join(Client().get(approved["first_link"]).content.decode().split())
    assert (
        "This check-in is late: your approvers were told at Mon 15 Mar 2027 10:00 "
        "(America/Lima) that you missed it. Check in now to tell them you are safe." in page
    )
    assert BUTTON in page
