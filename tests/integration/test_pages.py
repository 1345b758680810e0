"""The read-only pages, as users of two teams see them (Django's test client)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.test import Client
from docx import Document

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.report_files import REPORT_TYPES
from riskatlas.document import load_document
from tests.integration.conftest import PASSWORD, client_for, import_published_and_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(everything_yaml: Path) -> None:
    import_published_and_draft(everything_yaml, "Street crime in Lima (draft edit)")
    for name, team_name, role in (
        ("reader", "Field team", "reader"),
        ("analyst", "Field team", "analyst"),
        ("outsider", "Other team", "reader"),
    ):
        add_user(name, team_name, role, PASSWORD)


def test_pages_need_a_login(loaded: None):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_login_form_signs_in(loaded: None):
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "reader", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302
    assert "Testland security risk assessment" in client.get("/").content.decode()


def test_repeated_failed_logins_lock_the_account(loaded: None):
    client = Client()
    for _ in range(5):
        client.post(
            "/accounts/login/", {"username": "reader", "password": "wrong"}, REMOTE_ADDR="10.0.0.2"
        )
    response = client.post(
        "/accounts/login/", {"username": "reader", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_reader_sees_the_published_version_and_its_level(loaded: None):
    page = client_for("reader").get("/").content.decode()
    assert "Testland security risk assessment" in page
    # Whole words: a random CSRF token may hold the letters "v2".
    assert re.search(r"\bv1\b", page) and not re.search(r"\bv2\b", page)
    detail = client_for("reader").get("/assessments/zz-test/").content.decode()
    assert "Overall security level" in detail
    assert "/assessments/zz-test/v1/report.html" in detail
    assert not re.search(r"\bv2\b", detail)


def test_reader_cannot_open_a_draft_but_an_analyst_can(loaded: None):
    assert client_for("reader").get("/assessments/zz-test/v2/").status_code == 404
    assert client_for("analyst").get("/assessments/zz-test/v2/").status_code == 200
    page = client_for("analyst").get("/assessments/zz-test/").content.decode()
    assert "v2 (draft)" in page


@pytest.mark.parametrize(
    "url",
    [
        "/assessments/zz-test/",
        "/assessments/zz-test/v1/",
        "/assessments/zz-test/v1/report.pdf",
        "/assessments/zz-test/v1/report.yaml",
        "/assessments/zz-test/v1/report.md",
    ],
)
def test_another_teams_reader_gets_404(loaded: None, url: str):
    assert client_for("outsider").get(url).status_code == 404


def test_other_team_list_is_empty(loaded: None):
    page = client_for("outsider").get("/").content.decode()
    assert "Testland" not in page
    # Said for a web reader, who can act on it: no command to run.
    assert "Your team has no assessments to show you yet" in page
    assert "administrator" in page and "<code>" not in page


def test_downloads(loaded: None):
    client = client_for("reader")
    yaml_text = client.get("/assessments/zz-test/v1/report.yaml").content.decode()
    assert "slug: zz-test" in yaml_text and "status: published" in yaml_text
    md = client.get("/assessments/zz-test/v1/report.md").content.decode()
    assert "Street crime in Lima" in md
    html = client.get("/assessments/zz-test/v1/report.html")
    assert html["Content-Type"].startswith("text/html")
    assert "Street crime in Lima" in html.content.decode()
    word = client.get("/assessments/zz-test/v1/report.docx")
    assert word["Content-Type"] == REPORT_TYPES["docx"]
    assert "zz-test-v1-report.docx" in word["Content-Disposition"]
    body = Document(io.BytesIO(word.content))
    assert any(
        "Street crime in Lima" in c.text for t in body.tables for r in t.rows for c in r.cells
    )
    assert client.get("/assessments/zz-test/v1/report.odt").status_code == 404


def test_a_never_published_assessment_is_hidden_from_readers(loaded: None, everything_yaml: Path):
    doc = load_document(everything_yaml)
    doc["assessment"]["slug"] = "zz-draft-only"
    doc["assessment"]["title"] = "Draft-only assessment"
    import_document(doc, team=ensure_team("Field team"))
    assert "Draft-only assessment" not in client_for("reader").get("/").content.decode()
    assert "Draft-only assessment" in client_for("analyst").get("/").content.decode()


def test_analysts_see_a_newer_draft_in_the_list(loaded: None):
    assert "v2 draft" in client_for("analyst").get("/").content.decode()
    assert "v2 draft" not in client_for("reader").get("/").content.decode()


def test_an_area_left_unassessed_shows_why():
    """The areas table of the assessment page gives the analyst's reason beside "not assessed"."""
    from tests.unit.reports.test_not_assessed_reason import REASON, _doc

    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
    minimal = load_document(fixtures / "minimal.yaml")
    import_document(_doc(minimal), team=ensure_team("Field team"))
    add_user("analyst", "Field team", "analyst", PASSWORD)
    page = client_for("analyst").get("/assessments/minimal-fixture/").content.decode()
    assert re.search(r"not assessed<div class=\"muted\">" + re.escape(REASON), page)


def test_no_key_recommendations_reads_as_a_sentence_not_an_empty_heading():
    """Under Top risks, an assessment with no essential or high-priority recommendations says
    so, in the report's words, instead of a heading over an empty list."""
    fixtures = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
    import_document(load_document(fixtures / "minimal.yaml"), team=ensure_team("Field team"))
    add_user("analyst", "Field team", "analyst", PASSWORD)
    page = client_for("analyst").get("/assessments/minimal-fixture/").content.decode()
    summary = page.split('<section id="summary"', 1)[1].split("</section>", 1)[0]
    assert "No essential or high-priority recommendations were recorded." in summary
    assert '<ul class="recs"></ul>' not in summary
