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
    register = page.index('id="register-table"')
    start = page.index("Staff caught in protests, strikes or roadblocks", register)
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


@pytest.fixture
def analyst_on_draft(peru_yaml: Path) -> Client:
    doc = load_document(peru_yaml)
    doc["assessment"]["status"] = "draft"
    import_document(doc, team=ensure_team("Field team"))
    add_user("analyst", "Field team", "analyst", PASSWORD)
    client = Client()
    client.force_login(get_user_model().objects.get(username="analyst"))
    return client


def test_analyst_accepts_or_overrides_the_suggested_likelihood(
    analyst_on_draft: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path
):
    from riskatlas.apps.assessments.models import Risk
    from riskatlas.apps.intelligence.models import Evidence

    _store(tmp_path, monkeypatch, fixtures_dir / "evidence" / "acled_peru.csv")
    url = "/assessments/pe-2009/v1/risks/protests-roadblocks/open-data/"
    page = analyst_on_draft.get("/assessments/pe-2009/v1/").content.decode()
    assert url in page

    # Keeping one's own likelihood needs a reason.
    analyst_on_draft.post(url, {"action": "override"})
    risk = Risk.objects.get(key="protests-roadblocks")
    assert "Open data" not in risk.rationale

    response = analyst_on_draft.post(
        url, {"action": "override", "rationale": "the project avoids city centres"}
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert "kept" in risk.rationale and "the project avoids city centres" in risk.rationale
    evidence = Evidence.objects.filter(subject_kind="risk", subject_id=risk.pk).last()
    assert evidence is not None and evidence.source.kind == "open-data"
    assert evidence.source.title == "ACLED events (imported)"

    analyst_on_draft.post(url, {"action": "accept"})
    risk.refresh_from_db()
    panel_likelihood = int(risk.rationale.split("Accepted the suggested likelihood ")[1][0])
    assert risk.current_likelihood == panel_likelihood
    assert risk.current_impact is not None


def test_readers_cannot_answer_the_evidence(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path
):
    _store(tmp_path, monkeypatch, fixtures_dir / "evidence" / "acled_peru.csv")
    url = "/assessments/pe-2009/v1/risks/protests-roadblocks/open-data/"
    assert url not in reader.get("/assessments/pe-2009/").content.decode()
    assert reader.post(url, {"action": "accept"}).status_code == 403
