"""An area the analyst leaves without a level says why, wherever its level would show."""

from __future__ import annotations

import copy
from typing import Any

from riskatlas.reports import render_html, render_markdown

REASON = "No staff travel to Antofagasta; not assessed this year."


def _doc(minimal: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(minimal)
    doc["risks"][0]["area"] = "CL-RM"  # no country-wide risk: Antofagasta has no level
    doc["areas"] = [
        {"code": "CL"},
        {"code": "CL-RM"},
        {"code": "CL-AN", "not_assessed_reason": REASON},
    ]
    return doc


def test_the_reason_is_in_the_html_and_markdown_reports(minimal: dict[str, Any]):
    doc = _doc(minimal)
    html = render_html(doc)
    assert f"<strong>Not assessed.</strong> Antofagasta: {REASON}" in html
    assert f"Not assessed. Antofagasta: {REASON}" in render_markdown(doc)


def test_without_a_reason_the_report_says_no_risk_was_recorded(minimal: dict[str, Any]):
    doc = _doc(minimal)
    del doc["areas"][2]["not_assessed_reason"]
    assert "No risk recorded in this area." in render_html(doc)
    assert "Not assessed." not in render_html(doc)
