"""Script planted in every text field stays inert in every output: the HTML report escapes
it, the Markdown report escapes what a Markdown viewer would read as HTML (and makes no
``javascript:`` link), the XLSX and CSV registers, the workbook of every part and the Word
report keep it as text; and every page of the web app carries the Content-Security-Policy
header, in debug and production settings alike."""

from __future__ import annotations

import copy
import csv
import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.assessments.writer import import_document
from riskatlas.apps.drafts.models import SourceDocument
from riskatlas.apps.drafts.services import read_into
from riskatlas.document import load_document
from riskatlas.document.checks import check_references
from riskatlas.document.register import register_csv, register_xlsx
from riskatlas.document.schema import check_schema
from riskatlas.document.workbook import read_workbook, workbook_xlsx
from riskatlas.reports.render import render_html, render_markdown
from riskatlas.reports.word import render_docx
from tests.integration.workspace.urls_under_test import WORKSPACE_URLS

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "interchange" / "everything.yaml"
PAYLOADS = (
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</script><script>alert(1)</script>",
    "'><img src=x onerror=alert(2)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<a href=javascript:alert(1)>link</a>",
)
URL_PAYLOAD = "javascript:alert(1)"
# What would be live markup if a payload reached an output unescaped.
LIVE = ("<img", "<svg onload", "<script>alert", "<iframe", "<a href=javascript", 'href="javascript')


def _strings(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    items: Any = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in items:
        if isinstance(value, str):
            yield (*path, key)
        elif isinstance(value, dict | list):
            yield from _strings(value, (*path, key))


def _set(doc: dict[str, Any], path: tuple[Any, ...], value: str) -> None:
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def _get(doc: dict[str, Any], path: tuple[Any, ...]) -> str:
    node: Any = doc
    for key in path:
        node = node[key]
    return str(node)


def hostile_document() -> dict[str, Any]:
    """everything.yaml with a payload in every string the format accepts one in (ids, codes,
    dates and colours whose pattern refuses it keep their value; addresses become
    ``javascript:alert(1)``)."""
    doc = load_document(FIXTURE)
    cycle = itertools.cycle(PAYLOADS)
    planted = 0
    for path in list(_strings(doc)):
        if path in (("assessment", "slug"), ("assessment", "status")):
            continue
        value = URL_PAYLOAD if path[-1] == "url" else f"{_get(doc, path)} {next(cycle)}"
        trial = copy.deepcopy(doc)
        _set(trial, path, value)
        if not check_schema(trial) and not check_references(trial):
            doc = trial
            planted += 1
    assert planted > 60, planted
    return doc


# The outputs rendered from the document itself, with no database: the same on both stages.
from_the_document = pytest.mark.sqlite_only(reason="outputs rendered from the document alone")


@pytest.fixture(scope="module")
def hostile() -> dict[str, Any]:
    return hostile_document()


@from_the_document
def test_html_report_shows_the_payloads_as_text(hostile):
    html = render_html(hostile)
    for live in LIVE:
        assert live not in html, live
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html and "style=" not in html


@from_the_document
def test_markdown_report_shows_the_payloads_as_text(hostile):
    text = render_markdown(hostile)
    for live in LIVE:
        assert live not in text, live
    assert "&lt;img src=x onerror=alert(1)>" in text  # a viewer shows "<img …>"
    assert "&lt;/script>&lt;script>alert(1)&lt;/script>" in text
    assert "<javascript:" not in text and "](javascript:" not in text
    assert f"Testland security risk assessment {PAYLOADS[0]}".replace("<", "&lt;") in text


@from_the_document
def test_markdown_report_keeps_a_web_address_as_a_link():
    doc = load_document(FIXTURE)
    assert "<https://example.org/news>" in render_markdown(doc)


@from_the_document
def test_registers_keep_the_payloads_as_text(hostile):
    rows = list(csv.reader(io.StringIO(register_csv(hostile))))
    cells = [cell for row in rows for cell in row]
    assert any("</script><script>alert(1)</script>" in c or "<img src=x" in c for c in cells)
    sheet_cells = [
        cell
        for sheet in load_workbook(io.BytesIO(register_xlsx(hostile))).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "<" in cell.value
    ]
    assert sheet_cells, "the payloads are in the workbook"
    assert all(cell.data_type == "s" for cell in sheet_cells)


@from_the_document
def test_workbook_and_word_report_keep_the_payloads_as_text(hostile, tmp_path: Path):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(workbook_xlsx(hostile))
    assert read_workbook(path) == hostile  # every payload back as it was, as text
    word = Document(io.BytesIO(render_docx(hostile)))
    texts = [p.text for p in word.paragraphs]
    texts += [c.text for t in word.tables for row in t.rows for c in row.cells]
    assert any(f"Testland security risk assessment {PAYLOADS[0]}" == t for t in texts)


# --- The Content-Security-Policy header on every page ---------------------------------

TEAM = "Inert outputs team"
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def stored(hostile) -> AssessmentVersion:
    doc = copy.deepcopy(hostile)
    doc["assessment"]["status"] = "draft"
    version = import_document(doc, team=ensure_team(TEAM)).version
    read_into(version, "Notes", "Street crime in Lima rose.", use_model=False)
    add_user("admin", TEAM, "admin", PASSWORD)
    return version


def _pages(version: AssessmentVersion) -> list[str]:
    slug, number = version.assessment.slug, version.number
    document = SourceDocument.objects.filter(version=version).first()
    urls = [
        reverse(case.name, kwargs=case.kwargs(version))
        for case in WORKSPACE_URLS
        if case.method == "GET"
    ]
    urls += [
        reverse("login"),
        reverse("assessments:list"),
        reverse("assessments:import"),
        reverse("assessments:detail", args=[slug]),
        reverse("assessments:version", args=[slug, number]),
        reverse("assessments:report", args=[slug, number, "html"]),
        reverse("assessments:edit_parts", args=[slug, number, "areas"]),
        reverse("drafts:list", args=[slug, number]),
        reverse("drafts:read", args=[slug, number]),
        "/api/docs/",
        "/admin/",
    ]
    assert document is not None
    return [*urls, reverse("drafts:review", args=[slug, number, document.pk])]


@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["debug", "production"])
def test_every_page_carries_the_policy(stored, settings, mode):
    client = Client()
    client.force_login(get_user_model().objects.get(username="admin"))
    if mode == "debug":
        settings.DEBUG = True
    extra: dict[str, Any] = {"secure": mode == "production"}
    if mode == "production":
        settings.SECURE_SSL_REDIRECT = True
        settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    pages = _pages(stored)
    assert len(pages) > 15
    for url in pages:
        response = client.get(url, **extra)
        assert response.status_code in (200, 302), (url, response.status_code)
        policy = response.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy and "script-src 'self'" in policy, url
        assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, url
        assert "unsafe-eval" not in policy, url
