"""An incident read from a report has its sentence for a title and again for a description:
the outputs say it once, and the threats section's "title, place" line does not read
"…near Damboa, Borno., Borno"."""

from __future__ import annotations

import io
from typing import Any

import pytest
from docx import Document

from riskatlas.reports import render_html, render_markdown
from riskatlas.reports.word import render_docx

SENTENCE = "On 14 September 2026 gunmen abducted three aid workers near Damboa, Borno."


@pytest.fixture(scope="module")
def doc(minimal: dict[str, Any]) -> dict[str, Any]:
    incident = {
        "id": "damboa",
        "title": SENTENCE,
        "date": "2026-09-14",
        "area": "CL",
        "categories": ["NAT"],
        "description": SENTENCE,
    }
    return {**minimal, "incidents": [incident]}


def test_markdown_says_the_sentence_once_and_joins_the_place_cleanly(doc: dict[str, Any]):
    out = render_markdown(doc)
    threats = out.split("## 6.", 1)[1].split("## 7.", 1)[0]
    assert "Damboa, Borno, Chile" in threats
    assert "Borno.," not in out
    log = out.split("### A. Incident log", 1)[1].split("### B.", 1)[0]
    assert log.count("gunmen abducted") == 1


def test_html_says_the_sentence_once(doc: dict[str, Any]):
    out = render_html(doc)
    assert "Borno.," not in out
    annex = out.split('<table class="grid incidents">', 1)[1].split("</table>", 1)[0]
    assert annex.count("gunmen abducted") == 1


def test_word_joins_the_place_cleanly(doc: dict[str, Any]):
    word = Document(io.BytesIO(render_docx(doc)))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "Damboa, Borno, Chile" in text and "Borno.," not in text
