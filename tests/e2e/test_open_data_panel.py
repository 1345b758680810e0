"""The open-data panel beside a risk, in a real browser: from data of unstated coverage it says
"not enough data" and why, and offers nothing to accept; from a full year's extract it shows
the severity and a likelihood the analyst can accept."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import Risk
from riskatlas.document import load_document
from riskatlas.evidence import connect, import_file
from riskatlas.evidence.coverage import Scope
from tests.acled_extract import AYACUCHO, LIMA, event, full_year, write_extract

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-password-1"
UNREST = "Staff caught in protests, strikes or roadblocks"


@pytest.fixture
def analyst(peru_yaml: Path) -> None:
    doc = load_document(peru_yaml)
    doc["assessment"]["status"] = "draft"
    import_document(doc, team=ensure_team("Field team"))
    add_user("analyst", "Field team", "analyst", PASSWORD)


def _store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: Path, scope: Scope | None):
    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    con = connect(db)
    try:
        import_file(con, "acled", path, scope=scope)
    finally:
        con.close()


def _open_panel(page, url: str, title: str):
    page.goto(f"{url}/assessments/pe-2009/v1/#register")
    row = page.locator("#register-table tr", has_text=title)
    row.locator("details.evidence-panel > summary").click()
    return row.locator("details.evidence-panel")


def test_unstated_coverage_says_not_enough_data(
    analyst, tmp_path, monkeypatch, fixtures_dir, new_page, live_server, screenshot
):
    _store(tmp_path, monkeypatch, fixtures_dir / "evidence" / "acled_peru.csv", None)
    page = new_page("analyst")
    panel = _open_panel(page, live_server.url, UNREST)
    text = panel.inner_text()
    assert "not enough data to suggest a likelihood" in text
    assert "111 of the 365 days asked" in text
    assert "whether it holds every event is not recorded" in text
    assert panel.locator("button", has_text="Accept likelihood").count() == 0
    screenshot(page, "open-data-not-enough")


def test_full_extract_shows_severity_and_a_likelihood_to_accept(
    analyst, tmp_path, monkeypatch, new_page, live_server, screenshot
):
    year = (date(2021, 7, 1), date(2022, 6, 30))
    rows = full_year(LIMA, *year, "protest", every=14)
    rows.append(event(AYACUCHO, 1, date(2022, 2, 2), "attack", fatalities=1))
    path = write_extract(tmp_path / "peru_full.csv", rows)
    _store(tmp_path, monkeypatch, path, Scope("full", "stated at import with --full"))
    page = new_page("analyst")

    attack = _open_panel(page, live_server.url, "by Shining Path remnants in rural Ayacucho")
    grave = attack.locator("ul.severity").inner_text()
    assert "1 death in 1 event" in grave and "1 abduction or kidnapping" in grave
    assert "1 event involving aid workers" in grave
    assert attack.locator("button", has_text="Accept likelihood").count() == 0

    unrest = _open_panel(page, live_server.url, UNREST)
    assert "Events 1 Jul 2021–30 Jun 2022: all 365 days asked" in unrest.inner_text()
    screenshot(page, "open-data-suggestion")
    unrest.locator("button", has_text="Accept likelihood 5 as current").click()
    page.wait_for_load_state("load")
    assert Risk.objects.get(key="protests-roadblocks").current_likelihood == 5
