"""The queue's tasks for duty of care (Huey, decision 0006): a published version checked
against upcoming trips, and the scheduled checks — missed check-ins (every 5 minutes),
overdue assessments, raised official advice, recent events, hazard alerts and outbreaks
recorded by the feeds, and watch items dated within a trip (hourly)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from riskatlas.apps.care import alerts, checkins


@db_task()
def version_published(version_id: int) -> None:
    alerts.after_publication(version_id)


@db_periodic_task(crontab(minute="*/5"))
def escalate_missed_check_ins() -> None:
    checkins.escalate()


@db_periodic_task(crontab(minute="17"))
def scheduled_trip_checks() -> None:
    alerts.overdue_assessments()
    alerts.raised_advice()
    alerts.events_on_trips()
    alerts.hazards_on_trips()
    alerts.watch_items_on_trips()


@db_task()
def trip_checks_after_feeds() -> None:
    """A feed refresh recorded changes: the checks that read them, at once."""
    alerts.raised_advice()
    alerts.hazards_on_trips()


@db_task()
def note_advice(trip_id: int) -> None:
    """The official advice held when a trip is approved: what later advice is compared with."""
    from riskatlas.apps.travel.models import Trip

    alerts.raised_advice(Trip.objects.filter(pk=trip_id))
