"""Delivering notifications by email and webhook, in a worker (``tasks.py``).

``deliver`` claims each message (one worker sends it, whatever the queue delivers twice),
sends it and records when, or why not; ``waiting`` finds the messages to try again;
``send_digests`` sends each user's daily digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.request
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.utils import timezone

from riskatlas.apps.notifications.models import Channel, Notification

log = logging.getLogger(__name__)

#: A message claimed this long ago but not sent: its worker stopped; another may take it.
CLAIM_SECONDS = 300
#: Tries before a message is given up (the error stays on it).
ATTEMPTS = 5


def absolute(link: str) -> str:
    if not link or "://" in link:
        return link
    return settings.RISKATLAS_SITE_URL.rstrip("/") + link


def _claim(pk: int, now: dt.datetime) -> Notification | None:
    stale = now - dt.timedelta(seconds=CLAIM_SECONDS)
    taken = (
        Notification.objects.filter(pk=pk, deliver=True, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .filter(attempts__lt=ATTEMPTS)
        .update(claimed_at=now)
    )
    if not taken:
        return None
    return Notification.objects.select_related("user", "webhook", "team").get(pk=pk)


def _email(message: Notification) -> None:
    text = message.body.rstrip()
    if message.link:
        text += f"\n\n{absolute(message.link)}"
    EmailMessage(
        subject=message.subject, body=text + "\n", to=[message.address],
        from_email=settings.DEFAULT_FROM_EMAIL,
    ).send()  # fmt: skip


def signature(secret: str, body: bytes) -> str:
    """The value of X-Riskatlas-Signature for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_body(message: Notification) -> bytes:
    payload = {
        "kind": message.kind,
        "key": message.key,
        "subject": message.subject,
        "body": message.body,
        "link": absolute(message.link),
        "team": message.team.slug if message.team else None,
        "created": message.created_at.isoformat(),
    }
    return json.dumps(payload, sort_keys=True).encode()


def _post(message: Notification) -> None:
    hook = message.webhook
    assert hook is not None
    body = webhook_body(message)
    request = urllib.request.Request(
        hook.url, data=body, method="POST",
        headers={"Content-Type": "application/json",
                 "X-Riskatlas-Signature": signature(hook.secret, body),
                 "X-Riskatlas-Event": message.kind},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
        if response.status >= 300:
            raise OSError(f"the webhook answered {response.status}")


def deliver(ids: Iterable[int], now: dt.datetime | None = None) -> list[Notification]:
    """Send each message that still waits (what a worker runs); returns those sent."""
    sent: list[Notification] = []
    for pk in ids:
        now = now or timezone.now()
        message = _claim(pk, now)
        if message is None:
            continue
        try:
            if message.channel == Channel.WEBHOOK:
                _post(message)
            elif message.address:
                _email(message)
            message.sent_at, message.error = timezone.now(), ""
            sent.append(message)
        except Exception as error:  # the message keeps the reason; a later run tries again
            log.warning("notification %s not delivered: %s", message.pk, error)
            message.error = f"{type(error).__name__}: {error}"[:2000]
            message.claimed_at = None
        message.attempts += 1
        message.save(update_fields=["sent_at", "error", "claimed_at", "attempts"])
    return sent


def waiting(now: dt.datetime | None = None) -> list[int]:
    """Messages to send now that no worker is sending: queued ones whose queue message was
    lost, and failed ones with tries left."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=CLAIM_SECONDS)
    return list(
        Notification.objects.filter(deliver=True, digest=False, sent_at__isnull=True)
        .filter(attempts__lt=ATTEMPTS, created_at__lt=now - dt.timedelta(seconds=60))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .values_list("pk", flat=True)
    )


def send_digests(now: dt.datetime | None = None) -> int:
    """One email per user holding digest messages not sent yet; returns the emails sent."""
    now = now or timezone.now()
    pending = (
        Notification.objects.filter(deliver=True, digest=True, sent_at__isnull=True)
        .select_related("user")
        .order_by("user_id", "created_at")
    )
    by_user: dict[int, list[Notification]] = {}
    for message in pending:
        if message.user_id is not None and message.address:
            by_user.setdefault(message.user_id, []).append(message)
    sent = 0
    connection = get_connection()
    for messages in by_user.values():
        ids = [m.pk for m in messages]
        if not Notification.objects.filter(pk__in=ids, claimed_at__isnull=True).update(
            claimed_at=now
        ):
            continue
        lines = []
        for m in messages:
            lines.append(f"- {m.subject}\n  {m.body.strip()}\n  {absolute(m.link)}".rstrip())
        subject = f"riskatlas: {len(messages)} notification{'s' if len(messages) > 1 else ''}"
        try:
            EmailMessage(
                subject=subject, body="\n\n".join(lines) + "\n", to=[messages[0].address],
                from_email=settings.DEFAULT_FROM_EMAIL, connection=connection,
            ).send()  # fmt: skip
        except Exception as error:  # tried again with the next digest
            log.warning("digest for user %s not sent: %s", messages[0].user_id, error)
            Notification.objects.filter(pk__in=ids).update(
                claimed_at=None, error=f"{type(error).__name__}: {error}"[:2000]
            )
            continue
        Notification.objects.filter(pk__in=ids).update(sent_at=timezone.now(), attempts=1)
        sent += 1
    return sent
