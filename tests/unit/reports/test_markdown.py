"""The Markdown report: same section order, the register as a Markdown table."""

from __future__ import annotations

import re
from typing import Any

import pytest

from riskatlas.reports import render_markdown
from riskatlas.reports.sections import SECTIONS


@pytest.fixture(scope="module")
def markdown(bolivia: dict[str, Any]) -> str:
    return render_markdown(bolivia)


def test_sections_in_order(markdown: str) -> None:
    found = re.findall(r"^## (\d+\. .+)$", markdown, flags=re.M)
    assert found == [s.heading for s in SECTIONS]


def test_register_is_a_markdown_table(markdown: str) -> None:
    register = markdown.split("## 9. Risk register", 1)[1].split("## 10.", 1)[0]
    lines = [ln for ln in register.splitlines() if ln.startswith("| R")]
    assert len(lines) == 8
    header = "| # | Risk | Category | Area | Inherent | Measures | Residual | Trend | Owner |"
    assert header in register
    first = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert first[0] == "R1"
    assert first[1] == "Violence by trafficking networks in the Trópico"
    assert first[6] == "very high (L4×I5=20)"
    # Every row has the header's number of cells.
    assert {ln.count("|") for ln in lines} == {10}


def test_pipes_in_text_do_not_break_the_table(minimal: dict[str, Any]) -> None:
    doc = {**minimal, "risks": [dict(minimal["risks"][0], title="Crash | rollover")]}
    out = render_markdown(doc)
    assert "Crash \\| rollover" in out


def test_key_content(markdown: str) -> None:
    assert "**PUBLISHED — version 3**" in markdown
    assert "Set by the analyst: Cochabamba city" in markdown
    assert "| 2008 | Clash during an eradication operation" in markdown
    assert "Grade **B2** (usually reliable; probably true)" in markdown
    assert "\n\n\n\n" not in markdown


def test_peru_markdown_holds_the_seed_points(peru: dict[str, Any]) -> None:
    markdown = render_markdown(peru)
    text = " ".join(markdown.split())
    for expected in ("Shining Path", "Toccate", "Andahuaylas", "Huancavelica", "Ecuador"):
        assert expected in text, expected
    top = markdown.split("### Top risks", 1)[1].split("### Security levels by area", 1)[0]
    # The seed: road accidents and common crime are the biggest concerns for staff, and
    # kidnapping a high risk factor: all three lead the register, all high.
    rows = re.findall(r"^\| R\d+ \|.*$", top, flags=re.M)[:3]
    assert len(rows) == 3
    assert "road" in rows[0].lower()
    assert any("crime" in row.lower() for row in rows[1:])
    assert any("kidnapping" in row.lower() for row in rows[1:])
    assert all("| high |" in row for row in rows)
