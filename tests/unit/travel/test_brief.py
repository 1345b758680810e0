"""The traveller brief: a PDF of one or two pages holding what the traveller must know, and
the same in Markdown for e-mail; read back, not just produced."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader

from riskatlas.reports.brief import render_brief

from .conftest import check


def test_the_pdf_brief_holds_the_decision(trip, peru_doc):
    result = check(trip, peru_doc)
    reader = PdfReader(BytesIO(render_brief(result, "pdf")))
    assert 1 <= len(reader.pages) <= 2
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)
    for expected in (
        "Traveller brief",
        "Rosa Quispe",
        "Out of date: the review-by date 2010-05-31 has passed",
        "No road travel after dark",
        "the itinerary breaks this on segment 2",
        "Serious injury or death in a road traffic accident",
        "Violent street crime in Lima",
        "Every 12 hours",
        "Julio Quispe",
        "Apurímac and Ene river valleys (VRAE)",
    ):
        assert expected in text, expected


def test_the_markdown_brief_is_plain_text_with_the_same_points(trip, peru_doc):
    text = render_brief(check(trip, peru_doc), "md").decode("utf-8")
    assert text.startswith("# Traveller brief — Field visit to the Andahuaylas project")
    assert "**the itinerary breaks this on segment 2" in text
    assert "| 2 | Andahuaylas (Apurímac; via PE-ICA, PE-AYA) |" in text
    assert "&#" not in text and "<" not in text


def test_the_html_brief_shows_the_route_on_the_map(trip, peru_doc):
    html = render_brief(check(trip, peru_doc), "html").decode("utf-8")
    assert "Security level and the route" in html  # needs the boundaries of `maps build`
    assert html.count("<circle") == 3


def test_a_decision_is_shown_on_the_brief(trip, peru_doc):
    decision = {
        "status": "Approved with conditions",
        "conditions": "Take the day bus instead of the overnight one",
        "approvers": [
            {"name": "Ana Torres", "role": "Regional security manager", "phone": "+51 1 555 0100"}
        ],
    }
    text = render_brief(check(trip, peru_doc), "md", decision).decode("utf-8")
    assert "**Decision: Approved with conditions** — conditions: Take the day bus" in text
    assert "- Ana Torres (Regional security manager): +51 1 555 0100" in text
