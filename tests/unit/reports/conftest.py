"""Report fixtures: documents are loaded once, and each PDF is rendered once per session
(PDF rendering is the slow part of the report tests)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from riskatlas.document import load_document
from riskatlas.reports import build_context, render_pdf
from riskatlas.reports.context import ReportContext

DOCUMENTS = Path(__file__).resolve().parents[2] / "fixtures" / "documents"


@pytest.fixture(scope="session")
def bolivia() -> dict[str, Any]:
    return load_document(DOCUMENTS / "bolivia-fixture.yaml")


@pytest.fixture(scope="session")
def minimal() -> dict[str, Any]:
    return load_document(DOCUMENTS / "minimal.yaml")


@pytest.fixture(scope="session")
def bolivia_context(bolivia: dict[str, Any]) -> ReportContext:
    return build_context(bolivia)


@pytest.fixture(scope="session")
def peru(peru_yaml: Path) -> dict[str, Any]:
    if not peru_yaml.is_file():
        pytest.skip(f"{peru_yaml} is not written yet")
    return load_document(peru_yaml)


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page, whitespace collapsed, as a reader's copy-paste would give it."""
    reader = PdfReader(BytesIO(data))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


@pytest.fixture(scope="session", params=["weasyprint", "chromium"])
def bolivia_pdf(request: pytest.FixtureRequest, bolivia: dict[str, Any]) -> bytes:
    """Bolivia's PDF from each engine: Chromium, the default where there is one, and
    WeasyPrint, what the default falls back to without one (and prints big reports with)."""
    from riskatlas.reports.chromium import find_binary

    if request.param == "chromium" and find_binary() is None:
        pytest.skip("no Chromium on PATH (Debian: apt install chromium)")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RISKATLAS_PDF_ENGINE", request.param)
        return render_pdf(bolivia)


@pytest.fixture(scope="session")
def peru_pdf(peru: dict[str, Any]) -> bytes:
    return render_pdf(peru)
