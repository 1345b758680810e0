"""Notifications as people get them: one email per person per event through a real SMTP
server, a signed JSON POST to a team webhook on a real HTTP server, the bell and the list in
the web app, the daily digest, and a failed delivery tried again. Delivery runs through the
function a worker's task calls (``sending.deliver``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.notifications import notifying, sending
from riskatlas.apps.notifications.models import Notification, Preference, Webhook

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def people(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("RISKATLAS_HOME", str(tmp_path))
    add_user("rosa", "Field team", "reader", PASSWORD)
    add_user("marta", "Field team", "reviewer", PASSWORD)
    users = get_user_model().objects
    users.filter(username="rosa").update(email="rosa.quispe@example.org")
    users.filter(username="marta").update(email="marta@example.org")
    return {"team": ensure_team("Field team"), "rosa": users.get(username="rosa"),
            "marta": users.get(username="marta")}  # fmt: skip


def _queued() -> tuple[list[list[int]], Any]:
    calls: list[list[int]] = []
    return calls, calls.append


def test_one_email_per_person_for_one_event(people: dict[str, Any], smtp: Any) -> None:
    calls, enqueue = _queued()
    recipients = [people["rosa"], people["marta"], "rosa.quispe@example.org", "driver@example.org"]
    made = notifying.notify(
        recipients, "level-changed", "trip:1:level:PE-HUV:5", "Huancavelica is now level 5",
        "The Peru assessment v2 raised PE-HUV.", "/trips/1/", team=people["team"],
        enqueue=enqueue,
    )  # fmt: skip
    # Rosa named twice (as a user and by her address) is one recipient.
    assert sorted(m.recipient for m in made) == sorted(
        [f"user:{people['rosa'].pk}", f"user:{people['marta'].pk}", "email:driver@example.org"]
    )
    assert calls == [[m.pk for m in made]]  # queued for a worker once the transaction commits
    assert smtp.received == []  # nothing sent inside the call

    # The same event noticed again (a second check, another worker): no new message.
    again = notifying.notify(
        recipients, "level-changed", "trip:1:level:PE-HUV:5", "Huancavelica is now level 5",
        enqueue=enqueue,
    )  # fmt: skip
    assert again == [] and len(calls) == 1

    sent = sending.deliver(calls[0])
    assert len(sent) == 3
    assert sending.deliver(calls[0]) == []  # the queue delivering twice sends nothing twice
    assert len(smtp.received) == 3
    for address in ("rosa.quispe@example.org", "marta@example.org", "driver@example.org"):
        [message] = smtp.to(address)
        assert message["Subject"] == "Huancavelica is now level 5"
        text = message.get_content()
        assert "raised PE-HUV" in text and "http://localhost:8000/trips/1/" in text


def test_email_off_keeps_the_message_in_the_app(people: dict[str, Any], smtp: Any) -> None:
    Preference.objects.create(user=people["rosa"], email=False)
    calls, enqueue = _queued()
    [made] = notifying.notify([people["rosa"]], "overdue", "k1", "Peru is overdue", enqueue=enqueue)
    assert not made.deliver and calls == []
    assert smtp.received == []

    client = Client()
    client.force_login(people["rosa"])
    page = client.get("/notifications/").content.decode()
    assert "Peru is overdue" in page and "1 unread" in page
    assert 'aria-label="Notifications: 1 unread"' in page  # the bell in the header
    response = client.post(f"/notifications/{made.pk}/open")
    assert response.status_code == 302
    assert 'aria-label="Notifications"' in client.get("/notifications/").content.decode()
    # Another person cannot open it.
    other = Client()
    other.force_login(people["marta"])
    assert other.post(f"/notifications/{made.pk}/open").status_code == 404


def test_daily_digest_sends_one_email(people: dict[str, Any], smtp: Any) -> None:
    client = Client()
    client.force_login(people["marta"])
    client.post("/notifications/preferences", {"email": "on", "digest": "daily"})
    calls, enqueue = _queued()
    for n in (1, 2):
        notifying.notify([people["marta"]], "overdue", f"k{n}", f"Event {n}", enqueue=enqueue)
    assert calls == []  # digest messages wait for the daily run
    assert sending.send_digests() == 1
    [message] = smtp.to("marta@example.org")
    assert message["Subject"] == "riskatlas: 2 notifications"
    assert "Event 1" in message.get_content() and "Event 2" in message.get_content()
    assert sending.send_digests() == 0


def test_webhook_gets_signed_json(people: dict[str, Any], webhook_server: Any) -> None:
    hook = Webhook.objects.create(team=people["team"], url=webhook_server.url, secret="s3cret")
    calls, enqueue = _queued()
    made = notifying.notify(
        [], "check-in-missed", "checkin:7:missed", "Rosa missed a check-in", "Due 09:00.",
        "/trips/1/", team=people["team"], enqueue=enqueue,
    )  # fmt: skip
    assert [m.channel for m in made] == ["webhook"]
    sending.deliver(calls[0])
    [(headers, body)] = webhook_server.received
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["x-riskatlas-signature"] == expected
    assert headers["content-type"] == "application/json"
    [payload] = webhook_server.bodies()
    assert payload["kind"] == "check-in-missed" and payload["team"] == "field-team"
    assert payload["subject"] == "Rosa missed a check-in"
    assert Notification.objects.get(webhook=hook).sent_at is not None


def test_a_failed_delivery_keeps_why_and_is_tried_again(
    people: dict[str, Any], webhook_server: Any
) -> None:
    Webhook.objects.create(team=people["team"], url=webhook_server.url, secret="x")
    webhook_server.status = 500
    calls, enqueue = _queued()
    [made] = notifying.notify([], "overdue", "k", "Overdue", team=people["team"], enqueue=enqueue)
    assert sending.deliver(calls[0]) == []
    made.refresh_from_db()
    assert made.sent_at is None and "500" in made.error and made.attempts == 1
    # The sweep a worker runs every few minutes finds it again once it is a minute old.
    later = timezone.now() + dt.timedelta(minutes=2)
    assert sending.waiting(later) == [made.pk]
    webhook_server.status = 204
    assert [m.pk for m in sending.deliver(sending.waiting(later))] == [made.pk]
    assert len(webhook_server.received) == 2


def test_team_admins_manage_the_webhooks(people: dict[str, Any]) -> None:
    add_user("boss", "Field team", "admin", PASSWORD)
    add_user("other", "Other team", "admin", PASSWORD)
    users = get_user_model().objects
    admin, other = Client(), Client()
    admin.force_login(users.get(username="boss"))
    other.force_login(users.get(username="other"))
    url = "/teams/field-team/webhooks/"
    assert f'href="{url}">Webhooks of Field team' in admin.get("/notifications/").content.decode()
    refused = admin.post(url, {"url": "ftp://example.org/x"}, follow=True)
    assert "is not an http(s) address" in refused.content.decode()
    admin.post(url, {"url": "https://hooks.example.org/riskatlas"})
    hook = Webhook.objects.get(team=people["team"])
    assert len(hook.secret) >= 32  # made for the admin
    assert hook.secret in admin.get(url).content.decode()
    reviewer = Client()
    reviewer.force_login(people["marta"])
    assert reviewer.get(url).status_code == 403
    assert other.get(url).status_code == 404
    assert other.post(url + "remove", {"webhook": hook.pk}).status_code == 404
    admin.post(url + "remove", {"webhook": hook.pk})
    assert not Webhook.objects.exists()
