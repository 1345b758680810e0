"""The assessment page shows imported open-data events beside the risks they bear on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.document import load_document
from riskatlas.evidence import connect, import_file
from riskatlas.evidence.coverage import Scope
from tests.acled_extract import AYACUCHO, LIMA, event, full_year, write_extract
from tests.integration.conftest import us_advice_in_store

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def reader(peru_yaml: Path) -> Client:
    import_document(load_document(peru_yaml), team=ensure_team("Field team"))
    add_user("reader", "Field team", "reader", PASSWORD)
    client = Client()
    client.force_login(get_user_model().objects.get(username="reader"))
    return client


def _store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: Path, scope: Scope | None = None
) -> None:
    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    con = connect(db)
    try:
        import_file(con, "acled", source, scope=scope)
    finally:
        con.close()


def _full_peru_year(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full extract (every event) of Peru from 1 July 2021 to 30 June 2022: 27 protests in
    Lima, 9 of them deadly, and one abduction and killing of an aid worker in Ayacucho."""
    rows = full_year(LIMA, date(2021, 7, 1), date(2022, 6, 30), "protest", every=14)
    rows.append(event(AYACUCHO, 1, date(2022, 2, 2), "attack", fatalities=1))
    path = write_extract(tmp_path / "peru_full.csv", rows)
    _store(tmp_path, monkeypatch, path, Scope("full", "stated at import with --full"))


def _row(page: str, title: str) -> str:
    register = page.index('id="register-table"')
    start = page.index(title, register)
    return page[start : page.index("</tr>", start)]


def _unrest_row(page: str) -> str:
    return _row(page, "Staff caught in protests, strikes or roadblocks")


def test_without_open_data_the_page_says_how_to_import(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "none.duckdb"))
    page = reader.get("/assessments/pe-2009/").content.decode()
    assert "No open data imported yet" in page


def test_without_open_data_an_analyst_is_led_to_the_import_page(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path
):
    # The published example is locked (no edit hints), yet its team's analysts may import.
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "none.duckdb"))
    add_user("analyst", "Field team", "analyst", PASSWORD)
    analyst = Client()
    analyst.force_login(get_user_model().objects.get(username="analyst"))
    page = analyst.get("/assessments/pe-2009/").content.decode()
    assert "No open data imported yet" in page
    assert '<a href="/open-data/import/">Import open data</a>' in page
    assert analyst.get("/open-data/import/").status_code == 200  # the link leads somewhere
    assert "/open-data/import/" not in reader.get("/assessments/pe-2009/").content.decode()
    # With open data imported, no offer.
    _store(tmp_path, monkeypatch, fixtures_dir / "evidence" / "acled_peru.csv")
    assert "/open-data/import/" not in analyst.get("/assessments/pe-2009/").content.decode()


def test_fixture_events_appear_beside_the_unrest_risk(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path
):
    _store(tmp_path, monkeypatch, fixtures_dir / "evidence" / "acled_peru.csv")
    page = reader.get("/assessments/pe-2009/").content.decode()
    assert "Open-data evidence beside each risk" in page
    row = _unrest_row(page)
    assert "Open data: 4 events (0 deaths) · not enough data to suggest a likelihood" in row
    assert "teachers marched to demand higher pay" in row or "Huancayo" in row
    # Imported without --full: it says so, and offers nothing to accept.
    assert "whether it holds every event is not recorded" in row
    assert "Accept likelihood" not in row


def test_real_acled_sample_gives_69_events_beside_peru_unrest(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_data: Path
):
    _store(tmp_path, monkeypatch, shared_data / "acled" / "acled_sample_2022h1.csv")
    row = _unrest_row(reader.get("/assessments/pe-2009/").content.decode())
    assert "Open data: 69 events (" in row
    assert "ACLED 69" in row
    # A 9,000-event global sample of six months: no likelihood, and the page says why.
    assert "not enough data to suggest a likelihood" in row
    assert "Events 1 Jan–30 Jun 2022: 181 of the 365 days asked" in row
    assert "acled_sample_2022h1.csv is a sample, not every event" in row
    assert "covers only 181 of the 365 days asked" in row


def test_official_advice_sits_beside_our_levels(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path
):
    us_advice_in_store(tmp_path, monkeypatch, fixtures_dir)
    page = reader.get("/assessments/pe-2009/").content.decode()
    section = page[page.index('id="advice"') : page.index('id="sources"')]
    assert "United States (State Department)" in section
    assert "<strong>Peru</strong>" in section
    assert "less strict than ours" in section or "stricter than ours" in section
    assert 'class="differs' in section
    # The advice's date (the summary's, 16 May 2025) and its age against the setting.
    assert "as of 2025-05-16" in section
    monkeypatch.setenv("RISKATLAS_ADVICE_MAX_AGE_DAYS", "30")
    page = reader.get("/assessments/pe-2009/").content.decode()
    section = page[page.index('id="advice"') : page.index('id="sources"')]
    assert '<strong class="stale">older than 30 days</strong>' in section
    monkeypatch.setenv("RISKATLAS_ADVICE_MAX_AGE_DAYS", "100000")
    page = reader.get("/assessments/pe-2009/").content.decode()
    section = page[page.index('id="advice"') : page.index('id="sources"')]
    assert "as of 2025-05-16" in section and 'class="stale"' not in section


def test_analyst_accepts_or_overrides_the_suggested_likelihood(
    analyst_on_draft: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path
):
    from riskatlas.apps.assessments.models import Risk
    from riskatlas.apps.intelligence.models import Evidence

    _full_peru_year(tmp_path, monkeypatch)
    url = "/assessments/pe-2009/v1/risks/protests-roadblocks/open-data/"
    page = analyst_on_draft.get("/assessments/pe-2009/v1/").content.decode()
    assert url in page
    row = _unrest_row(page)
    assert "Open data: 27 events (9 deaths in 9 events) · suggests likelihood 5" in row
    assert "Events 1 Jul 2021–30 Jun 2022: all 365 days asked" in row
    assert "Accept likelihood 5 as current" in row

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


def test_without_a_suggestion_accepting_and_keeping_are_refused(
    analyst_on_draft: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path
):
    from riskatlas.apps.assessments.models import Risk
    from riskatlas.apps.intelligence.models import Evidence

    _store(tmp_path, monkeypatch, fixtures_dir / "evidence" / "acled_peru.csv")
    url = "/assessments/pe-2009/v1/risks/protests-roadblocks/open-data/"
    risk = Risk.objects.get(key="protests-roadblocks")
    before = (risk.rationale, risk.current_likelihood)
    open_data = Evidence.objects.filter(
        subject_kind="risk", subject_id=risk.pk, source__kind="open-data"
    )
    for answer in ({"action": "accept"}, {"action": "override", "rationale": "we know better"}):
        response = analyst_on_draft.post(url, answer, follow=True)
        assert "no likelihood is suggested (not enough data:" in response.content.decode()
    risk.refresh_from_db()
    assert (risk.rationale, risk.current_likelihood) == before
    assert not open_data.exists()


def test_severity_figures_sit_beside_the_counts(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    _full_peru_year(tmp_path, monkeypatch)
    url = "/assessments/pe-2009/"
    # The abduction and killing of an aid worker is armed conflict (ACLED: Attack).
    row = _row(reader.get(url).content.decode(), "Armed attack or abduction by Shining Path")
    assert "1 death in 1 event" in row
    assert "<li>1 attack on civilians</li>" in row
    assert "<li>1 abduction or kidnapping</li>" in row
    assert "<li>1 event involving aid workers</li>" in row
    assert "1 event in 365 days: too few to tell" in row


def test_readers_cannot_answer_the_evidence(
    reader: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path
):
    _store(tmp_path, monkeypatch, fixtures_dir / "evidence" / "acled_peru.csv")
    url = "/assessments/pe-2009/v1/risks/protests-roadblocks/open-data/"
    assert url not in reader.get("/assessments/pe-2009/").content.decode()
    assert reader.post(url, {"action": "accept"}).status_code == 403
