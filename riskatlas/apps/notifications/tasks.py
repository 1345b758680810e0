"""The queue's tasks for notifications (Huey, decision 0006): delivery right after an event,
a sweep for messages whose queue message was lost or whose delivery failed, and the daily
digest. A worker imports this module (``riskatlas worker``); the web only enqueues."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from riskatlas.apps.notifications import sending


@db_task()
def deliver_task(ids: list[int]) -> None:
    sending.deliver(ids)


@db_periodic_task(crontab(minute="*/5"))
def deliver_waiting() -> None:
    sending.deliver(sending.waiting())


@db_periodic_task(crontab(hour="7", minute="0"))
def daily_digest() -> None:
    sending.send_digests()
