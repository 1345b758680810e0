"""The sections of the Word report from the register on (register with its heat maps,
mitigation, levels and triggers, official advice, annexes), from the same report context as
the other formats."""

from __future__ import annotations

from typing import Any

from docx.document import Document

from riskatlas.reports.areas import level_groups
from riskatlas.reports.context import ReportContext
from riskatlas.reports.dates import date_text
from riskatlas.reports.glossary import probability_text
from riskatlas.reports.word_blocks import (
    DASH,
    area_level_text,
    bullet,
    colour_column,
    matrix_table,
    paragraph,
    rating_text,
    refs_text,
    security_text,
    specific_text,
    table,
    trend_text,
    with_refs,
)


def register(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    if not ctx.risks:
        paragraph(document, "No risks were recorded for this assessment.")
        return
    inherent, residual = ctx.heat_maps
    for heat in (inherent, residual):
        document.add_heading(f"Heat map, {heat.kind} (number of risks per cell)", level=2)
        matrix_table(document, ctx.matrix, names["likelihood"], names["impact"], heat)
    document.add_heading("Risks", level=2)
    rows = []
    for r in ctx.risks:
        title = r.title + (f" ({r.circumstance})" if r.circumstance else "")
        rows.append(
            (
                r.label,
                title,
                r.category.code,
                r.area_name,
                rating_text(r.inherent),
                "; ".join(m.name for m in r.measures) or "none",
                rating_text(r.residual),
                trend_text(r.trend),
                r.owner,
            )
        )
    headings = ("#", "Risk", "Category", "Area", "Inherent", "Measures", "Residual", "Trend")
    grid = table(document, (*headings, "Owner"), rows)
    colour_column(grid, 4, [r.inherent.level.colour for r in ctx.risks])
    colour_column(grid, 6, [r.residual.level.colour for r in ctx.risks])
    document.add_heading("Rationale", level=2)
    panels = (ctx.open_data.get("evidence") or {}).get("panels") or {}
    for r in ctx.risks:
        text = with_refs(r.rationale, ctx.risk_refs.get(r.id, []))
        if r.exposed:
            text += f" Exposed: {', '.join(r.exposed)}."
        if r.confidence:
            text += f" Confidence: {r.confidence}."
        for j in ctx.risk_judgements.get(r.id, []):
            when = f" ({date_text(j.date)})" if j.date else ""
            text += f" Judgement of {j.by}{when}: {j.why}"
        panel = panels.get(r.id)
        if panel:
            text += f" Open data ({panel['start']} to {panel['end']}): {panel['reason']}"
        bullet(document, text, bold_lead=f"{r.label} {r.title}.")


def mitigation(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    document.add_heading("Recommendations", level=2)
    if not ctx.recommendations:
        paragraph(document, "No recommendations were recorded.")
    for rec in ctx.recommendations:
        text = with_refs(rec.text, rec.refs)
        if rec.applies_to:
            text += f" (for {', '.join(rec.applies_to)})"
        if rec.risks:
            text += f" [{', '.join(rec.risks)}]"
        bullet(document, text, bold_lead=f"{rec.priority}:")
    document.add_heading("Measures by domain", level=2)
    rows = [
        (domain, m.name, m.code, m.description, ", ".join(m.risks) or DASH)
        for domain, items in ctx.mitigations
        for m in items
    ]
    if rows:
        table(document, ("Domain", "Measure", "Code", "Description", "Applied to"), rows)
    else:
        paragraph(document, "No measures were recorded.")


def levels(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    document.add_heading("Areas ranked by the risks particular to them", level=2)
    rows = []
    groups = level_groups(ctx.areas)
    for rank, group in enumerate(groups, start=1):
        areas = ", ".join(a.name + (" (no-go)" if a.no_go else "") for a in group.areas)
        level = group.level.level
        rows.append(
            (
                rank,
                areas,
                specific_text(group.specific, bool(group.areas[0].risks)),
                area_level_text(group.level),
                level.approval if level else DASH,
                ", ".join(level.mandatory) if level else DASH,
            )
        )
    headings = ("Rank", "Area", "Specific level", "Level", "Approval", "Mandatory")
    grid = table(document, headings, rows)
    colour_column(grid, 3, [g.level.level.colour if g.level.level else None for g in groups])
    paragraph(
        document,
        "Specific level: the level from the risks particular to an area, leaving out the "
        "country-wide risks that count everywhere alike, or the level the analyst set on the "
        "area. Areas are ranked by it, then by their level.",
    )
    document.add_heading("Watch items and triggers", level=2)
    if not ctx.watch_items:
        paragraph(document, "No watch items or triggers were recorded.")
    for w in ctx.watch_items:
        lead = w.title + (f" ({w.when})" if w.when else "")
        paragraph(document, ", ".join(w.areas), bold_lead=lead)
        if w.description:
            paragraph(document, with_refs(w.description, w.refs))
        for trigger in w.triggers:
            bullet(document, trigger, bold_lead="Trigger:")


def official_advice(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    if not ctx.official_advice:
        paragraph(document, "No official travel advice was recorded for this assessment.")
        return
    rows = [
        (
            a["government_name"],
            a["level"] + (f": {a['summary']}" if a.get("summary") else ""),
            a.get("as_of_text") or DASH,
            ", ".join(a.get("no_go") or []),
        )
        for a in ctx.official_advice
    ]
    no_go = ", ".join(a.name for a in ctx.no_go_areas)
    rows.append(("This assessment", security_text(ctx.overall.level), ctx.meta.as_of, no_go))
    table(document, ("Government", "Level", "As of", "No-go areas"), rows)


def annexes(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    document.add_heading("A. Incident log", level=2)
    if ctx.incidents:
        rows = [
            (
                i.number,
                i.when,
                i.title + (f" ({', '.join(i.actors)})" if i.actors else ""),
                i.place,
                ", ".join(c.code for c in i.categories),
                i.casualties,
                refs_text(i.refs),
            )
            for i in ctx.incidents
        ]
        headings = ("#", "Date", "Incident", "Place", "Threat", "Casualties", "Sources")
        table(document, headings, rows)
    else:
        paragraph(document, "No incidents were recorded.")
    document.add_heading("B. Graded sources", level=2)
    if not ctx.sources:
        paragraph(document, "No sources were recorded.")
    for src in ctx.sources:
        text = src.kind_name + (f", {src.author}" if src.author else "")
        text += f", {date_text(src.date)}" if src.date else ""
        grade = src.grade
        text += (
            f". Grade {grade} ({grade.reliability_name.lower()}; {grade.credibility_name.lower()})."
        )
        text += f" {src.note}" if src.note else ""
        text += f" {src.url}" if src.url else ""
        if src.cited_for:
            text += f" Cited for: {'; '.join(src.cited_for)}."
        paragraph(document, text, bold_lead=f"{src.number}. {src.title} —")
    _glossary(document, ctx)


def _glossary(document: Document, ctx: ReportContext) -> None:
    g = ctx.glossary
    document.add_heading("C. Glossary", level=2)
    table(
        document,
        ("Code", "Threat category", "Covers"),
        [(c.code, c.name, c.description) for c in g.categories],
    )
    table(
        document,
        ("Likelihood", "Meaning", "Probability"),
        [(p.value, p.name, probability_text(p)) for p in g.likelihood],
    )
    table(
        document,
        ("Impact", "Meaning", "Description"),
        [(p.value, p.name, p.description) for p in g.impact],
    )
    table(
        document,
        ("Security level", "Name", "Travel approval", "Mandatory"),
        [(lv.value, lv.name, lv.approval, ", ".join(lv.mandatory)) for lv in g.security_levels],
    )
    grades = [("Reliability " + t.code, t.name) for t in g.reliability]
    grades += [("Credibility " + t.code, t.name) for t in g.credibility]
    table(document, ("Grade", "Meaning"), grades)
