"""The traveller brief: a PDF of one or two pages holding what the traveller must know, and
the same in Markdown for e-mail; read back, not just produced."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from pypdf import PdfReader

from riskatlas.reports.brief import render_brief
from riskatlas.reports.chromium import find_binary
from riskatlas.travel.policy import default_policy

from .conftest import check

PRODUCERS = {"chromium": "Skia", "weasyprint": "WeasyPrint"}


@pytest.mark.parametrize("setting", ["auto", "chromium", "weasyprint"])
def test_the_pdf_brief_holds_the_decision(trip, peru_doc, setting, monkeypatch):
    """Printed by the reports' engine (``RISKATLAS_PDF_ENGINE``), read back the same from each:
    the traveller, the segments and their levels, the measures, the running page numbers."""
    if setting == "chromium" and find_binary() is None:
        pytest.skip("no Chromium on PATH (Debian: apt install chromium)")
    monkeypatch.setenv("RISKATLAS_PDF_ENGINE", setting)
    result = check(trip, peru_doc)
    reader = PdfReader(BytesIO(render_brief(result, "pdf")))
    printer = setting if setting != "auto" else ("chromium" if find_binary() else "weasyprint")
    assert PRODUCERS[printer] in str((reader.metadata or {}).get("/Producer"))
    assert 1 <= len(reader.pages) <= 2
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    for number, page in enumerate(pages, 1):  # the @page footer, Chromium's as WeasyPrint's
        assert f"Traveller brief · page {number} of {len(pages)}" in page
    text = " ".join(pages)
    for expected in (
        "Rosa Quispe, Agronomist",
        "highest level 4 · high",
        "1 Lima Lima (Metropolitan Lima) 15 March 2027 start 4 · high",
        "2 Andahuaylas Apurímac",
        "by road, departs 19:00 after dark breaks: No road travel after dark 4 · high",
        "3 Huancavelica",
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


def test_the_brief_footer_reads_as_a_sentence(trip, peru_doc):
    """The footer names the assessment and the policy with a space between them (the line
    break after the loop over assessments was trimmed away: "out of date)and the policy")."""
    html = render_brief(check(trip, peru_doc), "html").decode()
    footer = html[html.index('<footer class="brief-foot') : html.index("</footer>")]
    text = " ".join(re.sub(r"<[^>]+>", "", footer).split())
    assert "(review by 31 May 2010, out of date) and the policy “Default travel policy”" in text


def test_the_pdf_brief_is_one_pass_when_reports_go_in_parts(trip, peru_doc, monkeypatch):
    """Reports' WeasyPrint parts are cut at a report's sections; a brief has none and prints
    in one pass whatever ``RISKATLAS_PDF_MODE`` says."""
    monkeypatch.setenv("RISKATLAS_PDF_ENGINE", "weasyprint")
    monkeypatch.setenv("RISKATLAS_PDF_MODE", "parts")
    reader = PdfReader(BytesIO(render_brief(check(trip, peru_doc), "pdf")))
    last = " ".join((reader.pages[-1].extract_text() or "").split())
    assert "Julio Quispe" in last and f"page {len(reader.pages)} of {len(reader.pages)}" in last


def test_the_markdown_brief_is_plain_text_with_the_same_points(trip, peru_doc):
    text = render_brief(check(trip, peru_doc), "md").decode("utf-8")
    assert text.startswith("# Traveller brief — Field visit to the Andahuaylas project")
    assert "**the itinerary breaks this on segment 2" in text
    assert "| 2 | Andahuaylas (Apurímac; via Ica, Ayacucho) |" in text
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


def test_the_markdown_brief_lists_one_measure_and_one_contact_a_line(trip, peru_doc):
    """Each measure, approver and emergency contact is its own list item in the e-mailed
    brief (they ran together into one bullet: '...before departure- Security briefing...'),
    and the training still needed names the traveller and the course, not their ids."""
    decision = {
        "status": "Approved",
        "approvers": [
            {"name": "Ana Torres", "role": "Line manager", "phone": "+51 1 555 0100"},
            {"name": "Luis Paz", "role": "Regional security manager"},
        ],
    }
    text = render_brief(check(trip, peru_doc), "md", decision).decode("utf-8")
    lines = text.splitlines()
    assert "- Register the trip and its itinerary before departure" in lines
    assert "- Security briefing for the destination before departure" in lines
    assert "departure- " not in text
    assert "- Ana Torres (Line manager): +51 1 555 0100" in lines
    assert "- Luis Paz (Regional security manager)" in lines
    assert "Training still needed: Rosa Quispe: Specialised security-awareness training" in lines
    assert "rosa-quispe" not in text and "specialised-awareness" not in text
    html = render_brief(check(trip, peru_doc), "html").decode("utf-8")
    assert "Rosa Quispe: Specialised security-awareness training" in html


def test_the_brief_tells_the_traveller_whether_to_travel(trip, peru_doc):
    """A refused trip's brief gives the refusal's reason and says not to travel; one not yet
    approved says to wait; an approved one adds nothing. A risk or no-go area on one segment
    reads 'segment 1', not 'segments 1'."""
    result = check(trip, peru_doc)
    refused = {"status": "Refused", "outcome": "refused", "reason": "Replan by day."}
    text = render_brief(result, "md", refused).decode("utf-8")
    assert "**Decision: Refused** — Replan by day. Do not travel on this itinerary." in text
    html = render_brief(result, "html", refused).decode("utf-8")
    assert "Replan by day. Do not travel on this itinerary." in html
    pending = {"status": "Requested", "outcome": "pending"}
    text = render_brief(result, "md", pending).decode("utf-8")
    assert "**Decision: Requested** — not approved yet: do not travel until it is." in text
    approved = render_brief(result, "md", {"status": "Approved", "outcome": "approved"})
    assert "travel" not in approved.decode("utf-8").split("**Decision: Approved**")[1][:40]
    assert "(segment 1) |" in text and "(segments 1) |" not in text


def test_the_brief_names_the_areas_crossed_and_the_measure_broken(trip, peru_doc):
    """The itinerary reads the areas crossed by name and the broken measure as the policy
    names it (a measure's id with its dashes taken out read 'vetted transport' for 'Vetted
    drivers and roadworthy vehicles…')."""
    policy = default_policy()
    for measure in policy["measures"]:
        if measure["id"] == "no-road-travel-after-dark":
            measure["name"] = "No road journeys between dusk and dawn"
    result = check(trip, peru_doc, policy=policy)
    for fmt in ("md", "html"):
        text = render_brief(result, fmt).decode("utf-8")
        assert "via Ica, Ayacucho" in text and "PE-ICA" not in text, fmt
        assert "breaks: No road journeys between dusk and dawn" in text, fmt


def test_the_briefs_risks_are_worst_first_by_level_as_the_register_orders_them(trip, peru_doc):
    """A risk's level comes from the matrix, not its score alone: the medium Shining Path
    ambush in the VRAE (score 5) is worse than the low roadblocks (score 6). Sorted by score,
    the brief's eight risks left out three medium ones, the ambush on her route among them,
    and gave two low ones."""
    from riskatlas.reports.brief import brief_context

    risks = brief_context(check(trip, peru_doc))["top_risks"]
    levels = [r["residual_name"] for r in risks]
    assert levels == sorted(levels, key=["high", "medium", "low"].index), levels
    titles = " | ".join(r["title"] for r in risks)
    assert "Ambush, armed attack or abduction by Shining Path remnants in the VRAE" in titles
    assert "Staff caught in protests, strikes or roadblocks" not in titles


def test_an_approved_briefs_broken_measure_does_not_ask_to_get_it_approved(trip, peru_doc):
    """The trip is approved with the overnight bus: its brief no longer tells Rosa to "change
    it or get it approved", but that it was approved so, on the conditions given."""
    result = check(trip, peru_doc)
    approved = {"status": "Approved with conditions", "outcome": "approved",
                "conditions": "Take the day bus."}  # fmt: skip
    for fmt in ("html", "md"):
        text = " ".join(render_brief(result, fmt, approved).decode().split())
        assert "get it approved" not in text, fmt
        assert "breaks this on segment 2: approved as it is, on the conditions above" in text, fmt
    pending = render_brief(result, "md", {"status": "Requested", "outcome": "pending"}).decode()
    assert "change it or get it approved" in pending
