"""Recording notifications: ``notify`` runs wherever an event is noticed (a request, a
worker's scheduled check). It only writes rows and, once the transaction commits, asks the
queue to deliver the email and webhook ones (``tasks.deliver_task``); digest messages wait
for the daily run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from riskatlas.apps.notifications.models import Channel, Notification, Preference, Webhook


def _recipient(who: Any) -> tuple[str, Any, str]:
    """(recipient key, user or None, address) for a user or an email address. An address
    that belongs to a user is that user: one person, one message."""
    if isinstance(who, str):
        address = who.strip().lower()
        user = get_user_model().objects.filter(email__iexact=address).order_by("pk").first()
        if user is None:
            return f"email:{address}", None, address
        who = user
    return f"user:{who.pk}", who, ""


def preference(user: Any) -> Preference:
    found = Preference.objects.filter(user=user).first()
    return found or Preference(user=user)


def notify(
    recipients: Iterable[Any],
    kind: str,
    key: str,
    subject: str,
    body: str = "",
    link: str = "",
    team: Any = None,
    enqueue: Callable[[list[int]], Any] | None = None,
    webhooks: bool = True,
    urgent: bool = False,
) -> list[Notification]:
    """One message per recipient (a user or an email address) for the event ``key``, and one
    per active webhook of ``team`` (unless not ``webhooks``: a text only for its recipients);
    those already told about ``key`` are skipped. Returns the messages made now. Email and
    webhooks are queued for a worker after the commit. An ``urgent`` one (a traveller asking
    for help) is emailed at once to those who take a daily digest too (not to those who turned
    email off: they have it in the app)."""
    made: list[Notification] = []
    # One line: a subject is an email header (a feed's title over two lines would have the
    # message refused by the mail library, and the alert never sent by email).
    subject = " ".join(subject.split())[:300]
    common = {"kind": kind, "subject": subject, "body": body, "link": link, "team": team}
    with transaction.atomic():
        seen: set[str] = set()
        for who in recipients:
            if not who:
                continue
            name, user, address = _recipient(who)
            if name in seen:
                continue
            seen.add(name)
            fields: dict[str, Any] = {**common, "user": user, "email": address}
            if user is not None:
                wanted = preference(user)
                fields["channel"] = Channel.IN_APP
                fields["deliver"] = wanted.email and bool(user.email)
                fields["digest"] = not urgent and wanted.digest == Preference.Digest.DAILY
            else:
                fields.update(channel=Channel.EMAIL, deliver=True)
            message, created = Notification.objects.get_or_create(
                recipient=name, key=key[:300], defaults=fields
            )
            if created:
                made.append(message)
        if team is not None and webhooks:
            for hook in Webhook.objects.filter(team=team, active=True):
                message, created = Notification.objects.get_or_create(
                    recipient=f"webhook:{hook.pk}", key=key[:300],
                    defaults={**common, "webhook": hook, "channel": Channel.WEBHOOK,
                              "deliver": True},
                )  # fmt: skip
                if created:
                    made.append(message)
        now_ids = [m.pk for m in made if m.deliver and not m.digest]
        if now_ids:
            send = enqueue or _queue
            transaction.on_commit(lambda: send(now_ids))
    return made


def _queue(ids: list[int]) -> None:
    from riskatlas.apps.notifications.tasks import deliver_task

    deliver_task(ids)
