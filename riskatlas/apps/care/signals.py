"""What this app does when the travel and assessment apps change things (connected in
``CareConfig.ready``): an approved trip gets its check-ins and its travellers the links; a
published version is checked against upcoming trips by a worker; a feed refresh that recorded
changes has the trips checked for raised advice and hazards at once."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save


def _trip_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from riskatlas.apps.care import checkins

    if instance.status not in checkins.APPROVED:
        return
    pk = instance.pk

    def plan() -> None:
        from riskatlas.apps.travel.models import Trip

        trip = Trip.objects.select_related("team").filter(pk=pk).first()
        if trip is not None and trip.status in checkins.APPROVED:
            checkins.schedule(trip)
            checkins.send_links(trip)
            from riskatlas.apps.care.tasks import note_advice

            note_advice(trip.pk)

    transaction.on_commit(plan)


def _comment_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created or instance.step != "published":
        return
    version_id = instance.version_id

    def queue() -> None:
        from riskatlas.apps.care.tasks import version_published

        version_published(version_id)

    transaction.on_commit(queue)


def _feeds_changed(sender: Any, **kwargs: Any) -> None:
    from riskatlas.apps.care.tasks import trip_checks_after_feeds

    trip_checks_after_feeds()


def connect() -> None:
    from riskatlas.apps.assessments.models import ReviewComment
    from riskatlas.apps.feeds.signals import feeds_changed
    from riskatlas.apps.travel.models import Trip

    post_save.connect(_trip_saved, sender=Trip, dispatch_uid="care-trip-approved")
    post_save.connect(_comment_saved, sender=ReviewComment, dispatch_uid="care-published")
    feeds_changed.connect(_feeds_changed, dispatch_uid="care-feeds-changed")
