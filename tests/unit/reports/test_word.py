"""The Word report: opened with python-docx and read back as a reader of the file would check
it (title, section headings, a risk's title and level, the heat map's counts)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.table import Table

from riskatlas.cli import main
from riskatlas.reports import build_context
from riskatlas.reports.sections import SECTIONS
from riskatlas.reports.word import render_docx
from tests.unit.reports.conftest import DOCUMENTS


def _open(data: bytes) -> Any:
    return Document(io.BytesIO(data))


def _headings(word: Any, level: int) -> list[str]:
    return [p.text for p in word.paragraphs if p.style.name == f"Heading {level}"]


def _heat_map(word: Any, after_heading: str) -> Table:
    """The table that follows the heading ``after_heading`` in the body."""
    body = list(word.element.body.iterchildren())
    start = next(i for i, el in enumerate(body) if el.xpath("string(.)") == after_heading)
    element = next(el for el in body[start:] if el.tag.endswith("}tbl"))
    return Table(element, word)


def _fill(cell: Any) -> str:
    shading = cell._tc.xpath("./w:tcPr/w:shd")
    return (
        shading[0].get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill")
        if shading
        else ""
    )


@pytest.fixture(scope="module")
def bolivia_word(bolivia: dict[str, Any]) -> Any:
    return _open(render_docx(bolivia))


def test_title_and_every_section_heading_in_order(bolivia: dict[str, Any], bolivia_word: Any):
    title = [p.text for p in bolivia_word.paragraphs if p.style.name == "Title"]
    assert title == [bolivia["assessment"]["title"]]
    assert bolivia_word.core_properties.title == bolivia["assessment"]["title"]
    assert _headings(bolivia_word, 1)[1:] == [s.heading for s in SECTIONS]
    assert _headings(bolivia_word, 1)[0] == "Contents"


def test_executive_summary_states_overall_level_and_top_risks(
    bolivia_context: Any, bolivia_word: Any
):
    text = "\n".join(p.text for p in bolivia_word.paragraphs)
    level = bolivia_context.overall.level
    assert f"Overall security level: {level.value} ({level.name})" in text
    top = _heat_map(bolivia_word, "Top risks")
    first = bolivia_context.top_risks[0]
    assert [c.text for c in top.rows[1].cells][:4] == [
        "R1",
        first.title,
        first.area_name,
        first.residual.level.name,
    ]
    # The residual level cell carries the level's colour.
    assert _fill(top.rows[1].cells[3]) == first.residual.level.colour.lstrip("#").upper()


def test_register_lists_each_risk_with_title_and_levels(bolivia_context: Any, bolivia_word: Any):
    register = _heat_map(bolivia_word, "Risks")
    assert [c.text for c in register.rows[0].cells][:2] == ["#", "Risk"]
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in register.rows[1:]}
    assert len(rows) == len(bolivia_context.risks)
    for risk in bolivia_context.risks:
        row = rows[risk.label]
        assert row[1].startswith(risk.title)
        assert row[4].startswith(risk.inherent.level.name)
        assert row[6] == (
            f"{risk.residual.level.name} (L{risk.residual.likelihood}"
            f"×I{risk.residual.impact}={risk.residual.score})"
        )


def test_heat_maps_count_the_risks_in_each_cell(bolivia_context: Any, bolivia_word: Any):
    assert len(bolivia_context.heat_maps) == 2  # inherent and residual
    for heat in bolivia_context.heat_maps:
        grid = _heat_map(bolivia_word, f"Heat map, {heat.kind} (number of risks per cell)")
        impacts = sorted(heat.impact_values, reverse=True)
        counted = 0
        for i, impact in enumerate(impacts, start=1):
            assert grid.cell(i, 0).text.startswith(str(impact))
            for j, likelihood in enumerate(heat.likelihood_values, start=1):
                cell = heat.cell(likelihood, impact)
                lines = grid.cell(i, j).text.split("\n")
                assert lines[0] == (str(cell.count) if cell.count else "")
                if cell.count:
                    assert lines[1] == ", ".join(f"R{n}" for n in cell.risks)
                counted += cell.count
                assert _fill(grid.cell(i, j)) == cell.level.colour.lstrip("#").upper()
        assert counted == len(bolivia_context.risks)


def test_areas_and_measures_are_tables(bolivia_context: Any, bolivia_word: Any):
    areas = _heat_map(bolivia_word, "Security levels by area")
    names = [row.cells[0].text for row in areas.rows[1:]]
    assert len(names) == len(bolivia_context.areas)
    assert names[0].startswith(bolivia_context.areas[0].name)
    measures = _heat_map(bolivia_word, "Measures by domain")
    codes = {row.cells[2].text for row in measures.rows[1:]}
    assert codes == {m.code for _, items in bolivia_context.mitigations for m in items}


def test_minimal_document_says_what_is_missing(minimal: dict[str, Any]):
    word = _open(render_docx(minimal))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "No actors were recorded for this assessment." in text
    assert "No official travel advice was recorded for this assessment." in text


def test_peru_report_as_word(peru: dict[str, Any]):
    ctx = build_context(peru)
    word = _open(render_docx(peru))
    cells = {c.text for t in word.tables for row in t.rows for c in row.cells}
    assert len(ctx.risks) > 1
    assert all(any(text.startswith(r.title) for text in cells) for r in ctx.risks)


def test_command_writes_a_word_file(tmp_path: Path):
    out = tmp_path / "report.docx"
    minimal = DOCUMENTS / "minimal.yaml"
    result = CliRunner().invoke(main, ["report", str(minimal), "--format", "docx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "docx report of minimal-fixture" in result.output
    word = Document(str(out))
    assert [p.text for p in word.paragraphs if p.style.name == "Title"] == ["Minimal assessment"]
