"""The changes a feed refresh records reach the trip's people on that refresh, not at the next
hourly run of the scheduled trip checks (minute 17, the refresh being at minute 23: nearly an
hour later): the refresh queues the trip checks that read them."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from riskatlas.apps.feeds import refreshing
from riskatlas.apps.notifications.models import Notification
from riskatlas.evidence.changes import import_feed
from riskatlas.evidence.store import connect

from .peru_trip import approve, run_queue, set_up_team

pytestmark = pytest.mark.django_db(transaction=True)

FEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "evidence" / "recorded" / "feeds"
NOW = dt.datetime(2026, 11, 30, 9, 23, tzinfo=dt.UTC)
SERVED = {"gdacs": "gdacs-events.geojson", "us-advice": "us-advisories.xml"}


@pytest.fixture
def feeds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, queue: Any, clock: Any) -> Path:
    """The store of this test, and feeds "fetched" from the recorded responses in SERVED."""
    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_HOME", str(tmp_path))
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    connect(db).close()
    clock(NOW)

    def fetch(source: str, path: Path) -> Path:
        (tmp_path / "fetched").mkdir(exist_ok=True)
        served = FEEDS / SERVED[source]  # a name of the recorded responses, or a path
        return Path(shutil.copy(served, tmp_path / "fetched" / served.name))

    def import_now(source: str, path: Path) -> Any:
        con = connect(db)
        try:
            return import_feed(con, source, path, now=NOW)
        finally:
            con.close()

    monkeypatch.setattr(refreshing, "fetch_source", fetch)
    monkeypatch.setattr(refreshing, "import_into_store", import_now)
    return db


def test_a_refresh_that_records_changes_tells_the_trip_at_once(feeds: Path) -> None:
    refreshing.refresh_feeds(["us-advice"])  # Peru at level 2 before the trip
    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"], today=NOW.date())
    run_queue()  # the check-in plan, the advice held noted
    Notification.objects.all().delete()

    SERVED.update({"us-advice": "us-advisories-newer.xml"})
    try:
        done = refreshing.refresh_feeds(["gdacs", "us-advice"])
    finally:
        SERVED.update({"us-advice": "us-advisories.xml"})
    assert done["gdacs"].endswith("2 changes") and done["us-advice"].endswith("2 changes")
    assert "trip_checks_after_feeds" in run_queue()
    told = sorted(Notification.objects.filter(user=team["marta"]).values_list("kind", "subject"))
    trip = team["trip"].title
    assert told == [
        ("advice-raised", f"Official advice raised for Peru: {trip}"),
        ("feed-hazard-alert", f"earthquake: Earthquake in Peru: {trip}"),
    ]


def test_a_refresh_that_records_nothing_queues_nothing(feeds: Path) -> None:
    refreshing.refresh_feeds(["us-advice"])  # the first sight: no change
    assert "trip_checks_after_feeds" not in run_queue()


def test_an_import_on_the_command_line_that_records_changes_queues_the_trip_checks(
    feeds: Path,
) -> None:
    """`riskatlas data import us-advice NEWER.xml`, as the walk through the demo does it: the
    trip checks are queued as after the worker's refresh."""
    from click.testing import CliRunner

    from riskatlas.cli import main

    first = CliRunner().invoke(
        main, ["data", "import", "us-advice", str(FEEDS / SERVED["us-advice"])]
    )
    assert first.exit_code == 0, first.output
    assert "trip_checks_after_feeds" not in run_queue()  # the first sight: no change
    newer = CliRunner().invoke(
        main, ["data", "import", "us-advice", str(FEEDS / "us-advisories-newer.xml")]
    )
    assert "2 changes recorded" in newer.output
    assert "trip_checks_after_feeds" in run_queue()


def test_a_feed_title_across_lines_still_reaches_the_inbox(
    feeds: Path, tmp_path: Path, smtp: Any
) -> None:
    """WHO's title written over two lines ("Yellow fever -\\nPeru") becomes the email's subject:
    one line, else the mail system refuses the message and the alert never arrives by email."""
    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"], today=NOW.date())
    run_queue()
    smtp.received.clear()
    who = (
        (FEEDS / "who-don.json")
        .read_text("utf-8")
        .replace("Yellow fever - Peru", "Yellow fever -\\n  Peru")
    )
    (tmp_path / "who-don-lines.json").write_text(who, "utf-8")
    SERVED["who-don"] = str(tmp_path / "who-don-lines.json")
    try:
        refreshing.refresh_feeds(["who-don"])
    finally:
        del SERVED["who-don"]
    run_queue()
    [message] = smtp.to("marta@example.org")
    assert message["Subject"].startswith("Yellow fever - Peru: ")
