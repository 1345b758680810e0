"""The assessment page shows imported open-data events beside the risks they bear on."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.document import load_document
from riskatlas.evidence import connect, import_file

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def reader(peru_yaml: Path) -> Client:
    import_document(load_document(peru_yaml), team=ensure_team("Field team"))
    add_user("reader", "Field team", "reader", PASSWORD)
    client = Client()
    client.force_login(get_user_model().objects.get(username="reader"))
    return client


def _store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: Path) -> None:
    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    con = connect(db)
    try:
        import_file(con, "acled", source)
    finally:
        con.close()


def _unrest_row(page: str) -> str:
    start = page.index("Staff caught in protests, strikes or roadblocks")
    return page[start : page.index("</tr>", start)]


def test_without_open_data_the_page_says_how_to_import(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "none.duckdb"))
    page = reader.get("/assessments/pe-2009/").content.decode()
    assert "No open data imported yet" in page


def test_fixture_events_appear_beside_the_unrest_risk(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path
):
    _store(tmp_path, monkeypatch, fixtures_dir / "evidence" / "acled_peru.csv")
    page = reader.get("/assessments/pe-2009/").content.decode()
    assert "Open-data evidence beside each risk" in page
    row = _unrest_row(page)
    assert "Open data:" in row and "suggests likelihood" in row
    assert "teachers marched to demand higher pay" in row or "Huancayo" in row


def test_real_acled_sample_gives_69_events_beside_peru_unrest(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_data: Path
):
    _store(tmp_path, monkeypatch, shared_data / "acled" / "acled_sample_2022h1.csv")
    row = _unrest_row(reader.get("/assessments/pe-2009/").content.decode())
    assert "Open data: 69 events" in row
    assert "ACLED 69" in row


def test_official_advice_sits_beside_our_levels(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path
):
    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    con = connect(db)
    try:
        import_file(con, "advisories-us", fixtures_dir / "evidence" / "us_summary.csv")
    finally:
        con.close()
    page = reader.get("/assessments/pe-2009/").content.decode()
    section = page[page.index('id="advice"') : page.index('id="sources"')]
    assert "United States (State Department)" in section
    assert "<strong>Peru</strong>" in section
    assert "less strict than ours" in section or "stricter than ours" in section
    assert 'class="differs"' in section
