"""The report as a Word document (.docx), from the same report context as the HTML, PDF and
Markdown: a heading per section in the same order, the executive summary, the matrix and heat
maps as coloured Word tables (editable, and honest: each cell holds its count and risk
numbers), and the register, areas and measures as Word tables. Pure Python (python-docx)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from docx import Document as new_document
from docx.document import Document
from docx.shared import Pt, RGBColor

from riskatlas.reports import word_register, word_sections
from riskatlas.reports.context import ReportContext, build_context
from riskatlas.reports.word_blocks import (
    area_level_text,
    bullet,
    colour_column,
    paragraph,
    section_heading,
    security_text,
    specific_text,
    table,
    trend_text,
)

Writer = Callable[[Document, ReportContext, dict[str, Any]], None]


def summary(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    no_go = len(ctx.no_go_areas)
    line = f"Overall security level: {security_text(ctx.overall.level)}"
    if ctx.meta.trend:
        line += f" · trend: {trend_text(ctx.meta.trend)}"
    line += f" · {len(ctx.risks)} risks assessed · {no_go} no-go area{'' if no_go == 1 else 's'}"
    document.add_paragraph().add_run(line).bold = True
    if ctx.meta.summary:
        for text in ctx.meta.summary.splitlines():
            if text.strip():
                paragraph(document, text.strip())
    if ctx.meta.trend_note:
        paragraph(document, ctx.meta.trend_note, bold_lead="Trend.")
    document.add_heading("Top risks", level=2)
    if ctx.top_risks:
        rows = [
            (r.label, r.title, r.area_name, r.residual.level.name, trend_text(r.trend))
            for r in ctx.top_risks
        ]
        grid = table(document, ("#", "Risk", "Area", "Residual", "Trend"), rows)
        colour_column(grid, 3, [r.residual.level.colour for r in ctx.top_risks])
    else:
        paragraph(document, "No risks were recorded.")
    document.add_heading("Security levels by area", level=2)
    areas = []
    for a in ctx.areas:
        name = a.name + (" (no-go)" if a.no_go else " (hot spot)" if a.hot_spot else "")
        areas.append((name, specific_text(a.specific, bool(a.risks)), area_level_text(a.level)))
    grid = table(document, ("Area", "Specific level", "Level"), areas)
    colour_column(grid, 2, [a.level.level.colour if a.level.level else None for a in ctx.areas])
    document.add_heading("Key recommendations", level=2)
    if not ctx.key_recommendations:
        paragraph(document, "No essential or high-priority recommendations were recorded.")
    for rec in ctx.key_recommendations:
        bullet(document, rec.text, bold_lead=f"{rec.priority}:")


#: The writer of each section, by its anchor (``riskatlas.reports.sections``).
WRITERS: dict[str, Writer] = {
    "about": word_sections.about,
    "summary": summary,
    "method": word_sections.method,
    "context": word_sections.context,
    "actors": word_sections.actors,
    "threats": word_sections.threats,
    "hot-spots": word_sections.hot_spots,
    "exposure": word_sections.exposure,
    "register": word_register.register,
    "mitigation": word_register.mitigation,
    "levels": word_register.levels,
    "official-advice": word_register.official_advice,
    "annexes": word_register.annexes,
}


def _cover(document: Document, ctx: ReportContext) -> None:
    meta = ctx.meta
    core = document.core_properties
    core.title = meta.title
    core.author = meta.author
    core.subject = f"Security risk assessment · {meta.country_name}"
    core.keywords = meta.slug
    document.add_heading(meta.title, level=0)
    marking = document.add_paragraph().add_run(meta.marking)
    marking.bold = True
    paragraph(document, f"Security risk assessment · {meta.country_name} · as of {meta.as_of}")
    if meta.stale_warning:
        warning = document.add_paragraph().add_run(meta.stale_warning)
        warning.bold = True
        warning.font.color.rgb = RGBColor(0xB7, 0x1C, 0x1C)
    document.add_heading("Contents", level=1)
    for s in ctx.sections:
        document.add_paragraph(f"{s.number}. {s.title}", style="List Number")


def _margins(document: Document, ctx: ReportContext) -> None:
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    for section in document.sections:
        header = section.header.paragraphs[0]
        header.text = f"{ctx.meta.title} · {ctx.meta.marking}"


def build_docx(ctx: ReportContext) -> Document:
    """The Word document of a report context."""
    document = new_document()
    _margins(document, ctx)
    _cover(document, ctx)
    names = {
        "likelihood": {p.value: p.name for p in ctx.glossary.likelihood},
        "impact": {p.value: p.name for p in ctx.glossary.impact},
    }
    for section in ctx.sections:
        section_heading(document, section)
        WRITERS[section.anchor](document, ctx, names)
    paragraph(
        document,
        f"Produced with riskatlas from assessment {ctx.meta.slug}, version "
        f"{ctx.meta.version} ({ctx.meta.status}), as of {ctx.meta.as_of}.",
    )
    return document


def render_docx(doc: dict[str, Any], open_data: dict[str, Any] | None = None) -> bytes:
    """The report of a normalised document as the bytes of a .docx file."""
    buffer = io.BytesIO()
    build_docx(build_context(doc, open_data)).save(buffer)
    return buffer.getvalue()
