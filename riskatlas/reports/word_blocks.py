"""The building blocks of the Word report (``word.py``): headings, paragraphs with references,
plain tables and cells coloured by level. Pure Python on python-docx; no Django."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table, _Cell

from riskatlas.method import AreaLevel, Matrix
from riskatlas.method.scoring import Rating
from riskatlas.reports.charts import ink
from riskatlas.reports.citations import Ref
from riskatlas.reports.heat_maps import HeatMap
from riskatlas.reports.sections import Section

TRENDS = {"rising": "↑ rising", "falling": "↓ falling", "stable": "→ stable", "new": "✶ new"}
DASH = "—"


def trend_text(value: str) -> str:
    return TRENDS.get(value, value) if value else DASH


def refs_text(refs: Iterable[Ref]) -> str:
    return "".join(ref.label for ref in refs)


def with_refs(text: str, refs: Iterable[Ref]) -> str:
    """``text`` followed by its footnote references, as the other formats print them."""
    labels = refs_text(refs)
    return f"{text} {labels}" if labels else text


def rating_text(rating: Rating) -> str:
    return f"{rating.level.name} (L{rating.likelihood}×I{rating.impact}={rating.score})"


def security_text(level: Any) -> str:
    return f"{level.value} ({level.name})" if level else "not assessed"


def section_heading(document: Document, section: Section) -> None:
    document.add_heading(section.heading, level=1)


def paragraph(document: Document, text: str, bold_lead: str = "") -> None:
    """A paragraph; ``bold_lead`` is printed first in bold (``Trend.`` …)."""
    para = document.add_paragraph()
    if bold_lead:
        para.add_run(bold_lead).bold = True
        para.add_run(" ")
    para.add_run(text)


def bullet(document: Document, text: str, bold_lead: str = "") -> None:
    para = document.add_paragraph(style="List Bullet")
    if bold_lead:
        para.add_run(bold_lead).bold = True
        para.add_run(" ")
    para.add_run(text)


def table(document: Document, headings: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    """A grid table with a bold heading row repeated on every page; cells as text."""
    grid = document.add_table(rows=1, cols=len(headings))
    grid.style = "Table Grid"
    for cell, heading in zip(grid.rows[0].cells, headings, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(heading).bold = True
    _repeat_header(grid)
    for row in rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = DASH if value is None or value == "" else str(value)
    document.add_paragraph()
    return grid


def _repeat_header(grid: Table) -> None:
    properties = grid.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def shade(cell: _Cell, colour: str) -> None:
    """Fill ``cell`` with ``colour`` (#rrggbb) and write its text in the ink that reads on it."""
    properties = cell._tc.get_or_add_tcPr()
    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), colour.lstrip("#").upper())
    properties.append(fill)
    text = ink(colour).lstrip("#")
    for para in cell.paragraphs:
        for run in para.runs:
            run.font.color.rgb = RGBColor.from_string(text.upper())


def colour_column(grid: Table, column: int, colours: Sequence[str | None]) -> None:
    """Colour the cells of ``column`` (body rows, in order) by level colour."""
    for row, colour in zip(grid.rows[1:], colours, strict=True):
        if colour:
            shade(row.cells[column], colour)


def matrix_table(
    document: Document,
    matrix: Matrix,
    likelihood_names: dict[int, str],
    impact_names: dict[int, str],
    heat: HeatMap | None = None,
) -> Table:
    """The matrix as a coloured grid, impact down (highest first) and likelihood across: each
    cell its level's name, or with ``heat`` the number of risks in it and their numbers."""
    likelihoods = list(matrix.likelihood_values)
    impacts = sorted(matrix.impact_values, reverse=True)
    grid = document.add_table(rows=len(impacts) + 1, cols=len(likelihoods) + 1)
    grid.style = "Table Grid"
    corner = grid.cell(0, 0)
    corner.text = ""
    corner.paragraphs[0].add_run("Impact \\ Likelihood").bold = True
    for j, likelihood in enumerate(likelihoods, start=1):
        grid.cell(0, j).text = f"{likelihood} {likelihood_names.get(likelihood, '')}".strip()
    for i, impact in enumerate(impacts, start=1):
        grid.cell(i, 0).text = f"{impact} {impact_names.get(impact, '')}".strip()
        for j, likelihood in enumerate(likelihoods, start=1):
            cell = grid.cell(i, j)
            level = matrix.level(likelihood, impact)
            if heat is None:
                cell.text = level.name
            else:
                found = heat.cell(likelihood, impact)
                cell.text = str(found.count) if found.count else ""
                if found.count:
                    labels = ", ".join(f"R{n}" for n in found.risks)
                    run = cell.add_paragraph().add_run(labels)
                    run.font.size = Pt(7)
            shade(cell, level.colour)
    document.add_paragraph()
    return grid


def area_level_text(level: AreaLevel) -> str:
    """An area's level and what sets it: the highest residual risks, or the analyst."""
    text = security_text(level.level)
    if level.overridden:
        derived = security_text(level.derived) if level.derived else "none"
        return f"{text}; set by the analyst (derived: {derived}). Reason: {level.reason}"
    if level.driving_risks:
        names = "; ".join(f"{r.label} {r.title}" for r in level.driving_risks)
        return f"{text}; highest residual risk: {names}"
    return f"{text}; no risk recorded"


def specific_text(specific: AreaLevel, has_risks: bool) -> str:
    """An area's specific level (from the risks particular to it), as the other formats say
    it; ``has_risks``: whether any risk holds in the area at all."""
    if specific.level:
        text = security_text(specific.level)
        driving = "; ".join(f"{r.label} {r.title}" for r in specific.driving_risks)
        if specific.overridden:
            own = f" (its own risks: {driving})" if driving else ""
            return f"{text}, set by the analyst{own}"
        return f"{text}: {driving}" if driving else text
    return "only country-wide risks" if has_risks else "no risk recorded"
