"""The traveller's side of the Peru trip in a real browser: the check-in link from the email
(a real SMTP server) opened on a phone without signing in, one tap, checked in; the same link
again says so; a missed check-in escalates and the approver sees it on the trip's page and
under the header's bell; "I need help" on the phone reaches the approver, who sees it on the
trip's page and marks it handled."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from riskatlas.apps.care import checkins
from riskatlas.apps.travel.models import CheckIn
from tests.integration.care.peru_trip import approve, run_queue, set_up_team

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"http://localhost:8000(/check-in/[^/\s]+/)")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def smtp_inbox(settings: Any) -> Iterator[list[Any]]:
    import email
    import email.policy
    import socket

    from aiosmtpd.controller import Controller

    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    try:
        yield received
    finally:
        controller.stop()


@pytest.fixture
def trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, smtp_inbox: list[Any]) -> Any:
    from huey.contrib.djhuey import HUEY
    from huey.storage import SqliteStorage

    monkeypatch.setattr(HUEY, "storage", SqliteStorage("riskatlas", str(tmp_path / "q.db")))
    monkeypatch.setenv("RISKATLAS_HOME", str(tmp_path))
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "no-store.duckdb"))
    team = set_up_team()
    approved = approve(team["trip"], team["ana"], team["marta"], "Daylight road travel only.")
    run_queue()  # the worker's part: the plan emailed to Rosa
    # Marta was asked for each approval step by email too: the tests read what follows.
    smtp_inbox[:] = [m for m in smtp_inbox if m["To"] == "rosa.quispe@example.org"]
    return approved


def test_check_in_from_the_emailed_link_on_a_phone_and_escalation(
    trip: Any, smtp_inbox: list[Any], browser: Any, live_server: Any, new_page: Any,
    screenshot: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from django.utils import timezone

    opened = dt.datetime(2027, 3, 15, 8, 5, tzinfo=ZoneInfo("America/Lima"))
    monkeypatch.setattr(timezone, "now", lambda: opened)  # the first check-in is open
    [plan] = smtp_inbox
    assert plan["To"] == "rosa.quispe@example.org"
    first = LINK.findall(plan.get_content())[0]
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = phone.new_page()
        page.set_default_timeout(30000)
        page.goto(live_server.url + first)
        assert page.locator("h1").inner_text().startswith("Check in: Field visit")
        button = page.locator("button:has-text('I am safe — check in')")
        box = button.bounding_box()
        assert box is not None and box["width"] > 300  # a thumb-sized button on a phone
        page.fill("textarea[name=note]", "On the bus to Ayacucho")
        screenshot(page, "check-in-phone")
        button.click()
        page.wait_for_selector("text=is recorded at")
        screenshot(page, "check-in-phone-done")
        page.goto(live_server.url + first)  # the same link again
        assert "You checked in already" in page.content()
    finally:
        phone.close()
    done = CheckIn.objects.get(done_at__isnull=False)
    assert (done.source, done.note) == ("link", "On the bus to Ayacucho")

    # The next check-in is missed: the worker's five-minute run escalates it.
    second_due = dt.datetime(2027, 3, 15, 20, tzinfo=ZoneInfo("America/Lima"))
    [missed] = checkins.escalate(second_due + dt.timedelta(hours=2))
    run_queue()
    assert [m["Subject"] for m in smtp_inbox[1:]] == [
        f"Missed check-in: Rosa Quispe on {trip.title}"
    ]
    approver = new_page("marta")
    assert approver.locator("a.bell .badge").inner_text() == "1"
    approver.click("a.bell")
    approver.click("button:has-text('Missed check-in: Rosa Quispe')")
    approver.wait_for_url(f"{live_server.url}/care/trips/{trip.pk}/")
    row = approver.locator("tr", has_text="Mon 15 Mar 2027 20:00")
    assert "missed — escalated" in row.inner_text()
    assert "checked in" in approver.locator("tr", has_text="08:00").first.inner_text()
    screenshot(approver, "check-ins-escalated")
    assert missed.due_at == second_due


def test_i_need_help_on_a_phone_and_the_approver_sees_it_on_the_trip_page(
    trip: Any, smtp_inbox: list[Any], browser: Any, live_server: Any, new_page: Any,
    screenshot: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from django.utils import timezone

    now = dt.datetime(2027, 3, 16, 10, 15, tzinfo=ZoneInfo("America/Lima"))
    monkeypatch.setattr(timezone, "now", lambda: now)  # on the road, the third check-in open
    link = LINK.findall(smtp_inbox[0].get_content())[2]
    phone = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, permissions=["geolocation"],
        geolocation={"latitude": -13.52012, "longitude": -73.72345},
    )  # fmt: skip
    try:
        page = phone.new_page()
        page.set_default_timeout(30000)
        page.goto(live_server.url + link)
        button = page.locator("button:has-text('I need help')")
        box = button.bounding_box()
        assert box is not None and box["width"] > 300  # as large as "I am safe"
        page.fill("textarea[name=message]", "Car accident, the driver is hurt")
        page.fill("input[name=where]", "Km 40 on the road to Chincheros")
        form = page.locator("#help-form")
        form.get_by_label("Share my location with the call for help").check()
        # The phone's position, asked for when the box is ticked. (Waited for through a locator:
        # a script string to evaluate may be refused by the page's Content Security Policy.)
        expect(form.locator("input[name=lat]")).not_to_have_value("", timeout=30000)
        screenshot(page, "need-help-phone", full_page=True)
        button.click()
        sent = page.locator("#help-sent")
        assert sent.inner_text().startswith("Your call for help is sent: the trip's approvers")
        screenshot(page, "need-help-phone-sent", full_page=True)
    finally:
        phone.close()
    run_queue()  # the worker's part: the email
    [alert] = smtp_inbox[1:]
    assert alert["To"] == "marta@example.org"
    assert alert["Subject"] == f"Needs help: Rosa Quispe on {trip.title}"

    approver = new_page("marta")
    approver.goto(f"{live_server.url}/trips/{trip.pk}/")
    panel = approver.locator("#needs-help")
    text = panel.inner_text()
    assert "Rosa Quispe needs help — since Tue 16 Mar 2027 10:15 (America/Lima)" in text
    assert "Car accident, the driver is hurt" in text and "Km 40 on the road" in text
    location = panel.locator("a.help-location")
    assert location.inner_text() == "-13.52012, -73.72345 (map)"
    assert "mlat=-13.52012&mlon=-73.72345" in (location.get_attribute("href") or "")
    assert "Her phone's location: -13.52012, -73.72345" in alert.get_content()
    screenshot(approver, "needs-help-trip-page")
    panel.locator("input[name=note]").fill("Called Rosa; ambulance on its way")
    panel.locator("button:has-text('Mark handled')").click()
    approver.wait_for_selector("text=call for help marked handled")
    assert approver.locator("#needs-help").count() == 0


@pytest.mark.parametrize(
    "viewport", [{"width": 1366, "height": 900}, PHONE], ids=["desktop", "phone"]
)
def test_duty_of_care_pages_have_no_serious_axe_violation(
    trip: Any, smtp_inbox: list[Any], browser: Any, live_server: Any, viewport: dict[str, int]
) -> None:
    """axe-core (from node_modules, as tests/e2e/test_accessibility.py loads it) on the
    check-in link page, the check-ins page, who is where and the notifications page."""
    from tests.e2e.test_accessibility import AXE, RUN_AXE

    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed at {AXE}")
    first = LINK.findall(smtp_inbox[0].get_content())[0]
    checkins.escalate(dt.datetime(2027, 3, 16, 0, tzinfo=dt.UTC))  # something to list
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    found = {}
    try:
        page = context.new_page()
        page.set_default_timeout(30000)
        pages = [first]
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "marta")
        page.fill("#id_password", "a-long-test-password-1")
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        pages += [
            f"/care/trips/{trip.pk}/",
            "/care/who-is-where/?date=2027-03-16&near=Andahuaylas&km=50",
            "/notifications/",
        ]
        for url in pages:
            page.goto(live_server.url + url)
            page.add_script_tag(path=str(AXE))
            problems = list(page.evaluate(RUN_AXE))
            if problems:
                found[url] = problems
    finally:
        context.close()
    assert found == {}, found


def test_rosa_signed_in_on_her_phone_calls_for_help_from_the_check_ins_page(
    trip: Any, smtp_inbox: list[Any], new_page: Any, live_server: Any, screenshot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The web app's check-ins page has the link page's "I need help", location included."""
    from django.utils import timezone

    now = dt.datetime(2027, 3, 16, 10, 15, tzinfo=ZoneInfo("America/Lima"))
    monkeypatch.setattr(timezone, "now", lambda: now)
    page = new_page(
        "rosa",
        permissions=["geolocation"],
        geolocation={"latitude": -13.6556, "longitude": -73.3872},
    )
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/care/trips/{trip.pk}/")
    form = page.locator("#help-form")
    form.locator("textarea[name=message]").fill("Car accident near Chincheros")
    form.get_by_label("Share my location with the call for help").check()
    expect(form.locator("input[name=lat]")).not_to_have_value("", timeout=30000)
    screenshot(page, "need-help-check-ins-phone", full_page=True)
    form.locator("button:has-text('I need help')").click()
    page.wait_for_selector("text=Your call for help is sent")
    assert "Rosa Quispe needs help" in page.locator("#needs-help").inner_text()
    assert page.locator("a.help-location").inner_text() == "-13.65560, -73.38720 (map)"
    assert page.locator("#help-form button").inner_text() == "Add to my call for help"
    screenshot(page, "need-help-check-ins-phone-sent", full_page=True)
    run_queue()
    [alert] = smtp_inbox[1:]
    assert alert["Subject"] == f"Needs help: Rosa Quispe on {trip.title}"
