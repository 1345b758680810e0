"""The scheduled refresh of the live feeds: each source named in
``settings.FEED_REFRESH`` (``RISKATLAS_FEED_REFRESH``) fetched and imported in turn, as
``riskatlas data import SOURCE --fetch`` does; what changed is recorded by the import, and
a refresh that recorded changes sends ``signals.feeds_changed`` (the trip alerts). One
feed that fails (unreachable, changed shape, store busy) is logged with the reason and does
not stop the others."""

from __future__ import annotations

import logging

from django.conf import settings

from riskatlas.apps.assessments.tasks import evidence_store_changed
from riskatlas.apps.feeds.signals import feeds_changed
from riskatlas.evidence.fetch import FetchError, fetch_source
from riskatlas.evidence.operations import download_path, import_into_store
from riskatlas.evidence.store import StoreBusy

log = logging.getLogger(__name__)


def refresh_feeds(sources: list[str] | None = None) -> dict[str, str]:
    """Fetch and import each feed; returns {source: what happened, in words}."""
    done: dict[str, str] = {}
    recorded = 0
    for source in settings.FEED_REFRESH if sources is None else sources:
        try:
            path = fetch_source(source, download_path(source))
            result = import_into_store(source, path)
        except (FetchError, StoreBusy, ValueError, FileNotFoundError) as exc:
            log.warning("feed refresh %s failed: %s", source, exc)
            done[source] = f"failed: {exc}"
            continue
        changes = getattr(result, "changes_recorded", 0)
        recorded += changes
        done[source] = f"{result.rows_seen} read, {result.rows_added} new, {changes} changes"
        log.info("feed refresh %s: %s", source, done[source])
    if any(not outcome.startswith("failed") for outcome in done.values()):
        # The store changed: the evidence beside assessments computed again in the background.
        evidence_store_changed()
    if recorded:  # the trip alerts that read the changes, now rather than within the hour
        feeds_changed.send(sender=refresh_feeds, changes=recorded)
    return done
