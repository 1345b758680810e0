"""The queue's task for the live feeds (Huey, decision 0006): every hour, at minute 23,
the feeds named in ``RISKATLAS_FEED_REFRESH`` are fetched and imported (none by default: a
worker reaches the internet only when told to)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from riskatlas.apps.feeds.refreshing import refresh_feeds


@db_periodic_task(crontab(minute="23"))
def refresh_live_feeds() -> None:
    refresh_feeds()
