"""A feed refresh that records an orange earthquake alert and a yellow-fever outbreak in Peru
tells the traveller and the approver of the approved Peru trip, once each; a cyclone in the
Philippines tells nobody."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from riskatlas.apps.care import alerts
from riskatlas.apps.notifications.models import Notification
from riskatlas.evidence.changes import import_feed
from riskatlas.evidence.store import connect
from tests.integration.care.peru_trip import approve, set_up_team

pytestmark = pytest.mark.django_db

FEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "evidence" / "recorded" / "feeds"
TODAY = dt.date(2026, 12, 1)  # the trip (March 2027) is upcoming


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    connect(db).close()
    return db


def _refresh(db: Path, source: str, name: str, when: dt.datetime) -> None:
    con = connect(db)
    try:
        import_feed(con, source, FEEDS / name, now=when)
    finally:
        con.close()


def test_new_hazard_alert_and_outbreak_told_once_to_the_trips_people(store: Path) -> None:
    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"], today=TODAY)
    Notification.objects.all().delete()
    # Recorded before the last TRIP_EVENTS_DAYS (7): an orange earthquake in Peru, not told.
    _refresh(store, "usgs", "usgs-4.5_week.geojson", dt.datetime(2026, 11, 20, tzinfo=dt.UTC))
    assert alerts.hazards_on_trips(TODAY) == 0

    # GDACS: the same orange earthquake in Peru and a red cyclone in the Philippines.
    _refresh(store, "gdacs", "gdacs-events.geojson", dt.datetime(2026, 11, 29, tzinfo=dt.UTC))
    assert alerts.hazards_on_trips(TODAY) == 2  # Rosa and Marta, about Peru only
    assert alerts.hazards_on_trips(TODAY) == 0  # once
    # The flood in Cusco raised to orange, and yellow fever reported in Peru.
    _refresh(store, "gdacs", "gdacs-events-newer.geojson", dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    _refresh(store, "who-don", "who-don.json", dt.datetime(2026, 11, 30, tzinfo=dt.UTC))
    assert alerts.hazards_on_trips(TODAY) == 4
    told = sorted((n.user.username, n.kind, n.subject) for n in Notification.objects.all())
    trip = team["trip"].title
    assert told == [
        ("marta", "feed-hazard-alert", f"earthquake: Earthquake in Peru: {trip}"),
        ("marta", "feed-hazard-alert", f"flood: Flood in Peru: {trip}"),
        ("marta", "feed-outbreak", f"Yellow fever - Peru: {trip}"),
        ("rosa", "feed-hazard-alert", f"earthquake: Earthquake in Peru: {trip}"),
        ("rosa", "feed-hazard-alert", f"flood: Flood in Peru: {trip}"),
        ("rosa", "feed-outbreak", f"Yellow fever - Peru: {trip}"),
    ]
    flood = Notification.objects.filter(user__username="rosa", subject__startswith="flood").get()
    assert flood.body.startswith("GDACS reports an orange alert in Cusco (2026-11-20)")
