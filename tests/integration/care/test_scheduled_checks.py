"""The scheduled checks on the approved Peru trip, against a real evidence store: official
advice imported after the approval that raises Peru's level, and events imported in
Huancavelica over the alert threshold, each told once to the traveller and the approver."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest

from riskatlas.apps.assessments.interchange import export_version, import_document
from riskatlas.apps.care import alerts
from riskatlas.apps.care.models import AdviceSeen
from riskatlas.apps.notifications.models import Notification
from riskatlas.evidence.advice import import_advice_folder
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.recent import recent_events
from riskatlas.evidence.store import connect

from .peru_trip import approve, run_queue, set_up_team

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "evidence"
TODAY = dt.date(2027, 3, 14)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, queue: Any) -> Path:
    monkeypatch.setenv("RISKATLAS_HOME", str(tmp_path))
    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    connect(db).close()
    return db


def _advice(tmp_path: Path, db: Path, level_line: str | None = None) -> None:
    folder = tmp_path / "advice"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(FIXTURES / "advisories" / "unitedstates", folder / "unitedstates")
    page = folder / "unitedstates" / "Peru" / "Advisory.md"
    if level_line:
        text = page.read_text("utf-8")
        page.write_text(
            text.replace("Peru - Level 2: Exercise Increased Caution", level_line), "utf-8"
        )
    con = connect(db)
    try:
        import_advice_folder(con, folder)
    finally:
        con.close()


def test_raised_official_advice_is_told_once(store: Path, tmp_path: Path, smtp: Any) -> None:
    _advice(tmp_path, store)  # level 2 when the trip is approved
    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"])
    run_queue()  # the plan to Rosa, and the advice held now noted
    assert AdviceSeen.objects.get(code="PE", named="Peru").level == 2
    smtp.received.clear()
    assert alerts.raised_advice() == 0  # nothing new

    _advice(tmp_path, store, "Peru - Level 3: Reconsider Travel")
    assert alerts.raised_advice() == 2
    assert alerts.raised_advice() == 0
    run_queue()
    for address in ("rosa.quispe@example.org", "marta@example.org"):
        [message] = smtp.to(address)
        assert message["Subject"].startswith("Official advice raised for ")
        assert "now rates Peru (PE) at level 3 (reconsider travel" in message.get_content()
        assert "it was level 2 (increased caution)" in message.get_content()


def _acled(path: Path, days: list[dt.date], first: int = 0) -> Path:
    with (FIXTURES / "acled_peru.csv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f)
        template = next(reader)
        columns = reader.fieldnames or []
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        for n, day in enumerate(days):
            row = dict(template)
            row.update(
                event_id_cnty=f"PER99{first + n:03d}", event_date=day.isoformat(),
                year=str(day.year),
                admin1="Huancavelica", admin2="Huancavelica", admin3="Huancavelica",
                location="Huancavelica", latitude="-12.7864", longitude="-74.9758",
                event_type="Riots", sub_event_type="Violent demonstration", fatalities="1",
                notes=f"On {day}, in Huancavelica, road blockade by miners.",
            )  # fmt: skip
            writer.writerow(row)
    return path


def test_events_over_the_threshold_in_an_area_of_the_trip(
    store: Path, tmp_path: Path, smtp: Any, settings: Any
) -> None:
    settings.TRIP_EVENTS_THRESHOLD, settings.TRIP_EVENTS_DAYS = 5, 7
    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"])
    run_queue()
    smtp.received.clear()
    # Four events in the week, one the week before: under the threshold.
    days = [TODAY - dt.timedelta(days=d) for d in (0, 1, 3, 6, 9)]
    con = connect(store)
    try:
        import_file(con, "acled", _acled(tmp_path / "a.csv", days))
    finally:
        con.close()
    week = recent_events(store, ["PE-HUV", "PE-LMA"], TODAY - dt.timedelta(days=6), TODAY)
    assert list(week) == ["PE-HUV"] and (week["PE-HUV"].events, week["PE-HUV"].deaths) == (4, 4)
    assert alerts.events_on_trips(TODAY) == 0

    con = connect(store)
    try:
        import_file(
            con, "acled", _acled(tmp_path / "b.csv", [TODAY - dt.timedelta(days=2)], first=5)
        )
    finally:
        con.close()
    assert alerts.events_on_trips(TODAY) == 2
    assert alerts.events_on_trips(TODAY + dt.timedelta(days=1)) == 0  # same week: once
    run_queue()
    [message] = smtp.to("marta@example.org")
    assert message["Subject"] == f"5 events in Huancavelica: {team['trip'].title}"
    assert "from 2027-03-08 to 2027-03-14" in message.get_content()
    assert Notification.objects.filter(kind="events-near-trip").count() == 2


def test_a_watch_item_dated_within_the_trip(store: Path, smtp: Any) -> None:
    team = set_up_team()
    approve(team["trip"], team["ana"], team["marta"])
    run_queue()
    smtp.received.clear()
    assert alerts.watch_items_on_trips(TODAY) == 0  # the 2011 election is long past
    doc = export_version(team["version"])
    doc["assessment"].update(version=2, status="published", review_by="2027-12-31")
    for item in doc["watch_items"]:
        if item["id"] == "election-2011":
            item["date"] = "2027-03"  # a run-off in the month of the trip
    import_document(doc, team=team["team"])
    assert alerts.watch_items_on_trips(TODAY) == 2
    assert alerts.watch_items_on_trips(TODAY) == 0
    run_queue()
    [message] = smtp.to("rosa.quispe@example.org")
    assert message["Subject"].startswith("2011 presidential election and Keiko Fujimori")
    text = message.get_content()
    assert "pe-2009 v2 watches" in text and "(2027-03)" in text
    assert "- Campaign violence, or protests against candidates or results" in text
