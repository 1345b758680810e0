"""The HTML report: every section in order, self-contained, with what a reader looks for."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from riskatlas.reports import render_html, render_markdown
from riskatlas.reports.area_map import country_shapes
from riskatlas.reports.sections import SECTIONS


@pytest.fixture(scope="module")
def html(bolivia: dict[str, Any]) -> str:
    return render_html(bolivia)


def headings(html: str) -> list[str]:
    found = re.findall(r"<h2 id=\"[^\"]+\"><span class=\"num\">(\d+)</span>([^<]+)</h2>", html)
    return [f"{number}. {title}" for number, title in found]


def test_every_section_heading_in_order(html: str) -> None:
    assert headings(html) == [s.heading for s in SECTIONS]
    assert headings(html)[0] == "1. About this assessment"
    assert headings(html)[-1] == "13. Annexes"


def test_page_is_self_contained(html: str) -> None:
    assert "<script" not in html
    assert "<link" not in html  # styles are inline
    assert 'font-family: "DejaVu Sans"' in html  # CSS is not HTML-escaped
    # Two heat maps, categories, timeline, and the two area maps when outlines are built.
    maps = 2 if country_shapes("BO") else 0
    assert html.count("<svg") == 4 + maps


def test_register_lists_every_risk_with_both_ratings(html: str, bolivia: dict[str, Any]) -> None:
    assert len(bolivia["risks"]) == 8
    for risk in bolivia["risks"]:
        assert f'id="risk-{risk["id"]}"' in html
    assert "L4 × I5 = 20" in html


def test_heat_map_cells_show_counts_and_numbers(html: str) -> None:
    residual = html.split("Residual risk", 1)[1].split("</svg>", 1)[0]
    assert ">R6 R7 R8<" in residual  # three low risks share likelihood 2, impact 3
    assert re.search(r'font-weight="bold" fill="[^"]+">3</text>', residual)


def test_override_shows_its_reason(html: str) -> None:
    assert "Set by the analyst" in html
    assert "Cochabamba city and the valleys lie outside the Trópico" in html


def test_official_advice_is_compared(html: str) -> None:
    section = html.split('id="official-advice"', 1)[1].split('id="annexes"', 1)[0]
    assert "United States" in section and "Level 2: exercise increased caution" in section
    assert "This assessment" in section and "Trópico de Cochabamba" in section


def test_without_official_advice_the_report_says_so(bolivia: dict[str, Any]) -> None:
    doc = copy.deepcopy(bolivia)
    del doc["official_advice"]
    assert "No official travel advice was recorded" in render_html(doc)


def test_text_is_escaped(bolivia: dict[str, Any]) -> None:
    doc = copy.deepcopy(bolivia)
    doc["risks"][0]["title"] = "Road <b>accident</b> & more"
    out = render_html(doc)
    assert "Road &lt;b&gt;accident&lt;/b&gt; &amp; more" in out
    assert "<b>accident</b>" not in out


def test_minimal_document_renders_every_section(minimal: dict[str, Any]) -> None:
    out = render_html(minimal)
    assert headings(out) == [s.heading for s in SECTIONS]
    assert "No actors were recorded" in out
    assert "No official travel advice was recorded" in out


@pytest.mark.parametrize(
    "section",
    [
        "exposure",
        "places",
        "context",
        "actors",
        "incidents",
        "threats",
        "mitigations",
        "recommendations",
        "watch_items",
        "official_advice",
    ],
)
def test_each_optional_part_may_be_absent(bolivia: dict[str, Any], section: str) -> None:
    doc = copy.deepcopy(bolivia)
    del doc[section]
    out = render_html(doc)
    assert headings(out) == [s.heading for s in SECTIONS]
    assert "Express kidnapping from a street taxi" in out
    assert "| R2 | Express kidnapping from a street taxi" in render_markdown(doc)
