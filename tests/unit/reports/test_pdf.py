"""The PDF report, read back as text: what a reader of the printed report finds in it."""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PdfReader

from tests.unit.reports.conftest import pdf_pages


def test_pdf_is_a4_with_cover_and_numbered_pages(bolivia_pdf: bytes) -> None:
    reader = PdfReader(BytesIO(bolivia_pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    pages = pdf_pages(bolivia_pdf)
    total = len(pages)
    assert total > 5
    assert "Bolivia programme security risk assessment" in pages[0]
    assert "page 1 of" not in pages[0]  # the cover has no running footer
    for number, text in enumerate(pages[1:], start=2):
        assert f"page {number} of {total}" in text
        assert "PUBLISHED — version 3" in text
        assert "Bolivia programme security risk assessment" in text


def test_contents_give_page_numbers(bolivia_pdf: bytes) -> None:
    pages = pdf_pages(bolivia_pdf)
    contents = pages[1]
    entry = re.search(r"9 Risk register[ .]*(\d+) 10 Mitigation", contents)
    assert entry, contents[:600]
    register_page = int(entry.group(1))
    # The section starts on that page: its heading is there, not on the page before. (Where on
    # the page the text comes is the engine's order: WeasyPrint draws the running header and
    # footer after the page's text, Chromium before it.)
    assert "9 Risk register" in pages[register_page - 1]
    assert "9 Risk register" not in pages[register_page - 2]


def test_pdf_holds_the_key_content(bolivia_pdf: bytes) -> None:
    text = " ".join(pdf_pages(bolivia_pdf))
    for expected in (
        "Executive summary",
        "Express kidnapping from a street taxi",
        "Trópico de Cochabamba",
        "Cochabamba city and the valleys lie outside the Trópico",
        "several hundred armed members",
        "14 November 2009",
        "April 2010",
        "Level 2: exercise increased caution",
        "Field mission notes",
        "usually reliable",
        "Book a vetted radio-taxi company before arrival",
    ):
        assert expected in text, expected


def test_peru_report_holds_the_seed_points(peru_pdf: bytes) -> None:
    text = " ".join(pdf_pages(peru_pdf))
    for expected in (
        "Shining Path",
        "300",
        "Toccate",
        "Andahuaylas",
        "Huancavelica",
        "Ecuador",
        "2011",
    ):
        assert expected in text, expected
    assert "Paseo Millonario" in text or "Paseo Milionario" in text
    assert re.search(r"secure taxi", text, flags=re.I)


def test_pdf_text_reads_as_typed_without_ligatures(bolivia_pdf: bytes) -> None:
    """Copied or searched, the PDF's words are their letters: "staff", "traffic", never one
    ligature character (Chromium's text layer keeps them unless the print CSS turns them off)."""
    text = " ".join(pdf_pages(bolivia_pdf))
    assert not re.search("[\ufb00-\ufb06]", text), re.findall(".{10}[\ufb00-\ufb06].{10}", text)[:5]
    assert "staff" in text
