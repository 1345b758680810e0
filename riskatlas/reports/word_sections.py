"""The sections of the Word report that describe the situation (about, method, context, actors,
threats, hot spots, exposure), each from the same report context as the HTML, PDF and
Markdown. ``word_register.py`` holds the register and what follows it."""

from __future__ import annotations

from typing import Any

from docx.document import Document

from riskatlas.reports.context import ReportContext
from riskatlas.reports.word_blocks import (
    DASH,
    bullet,
    matrix_table,
    paragraph,
    security_text,
    table,
    trend_text,
    with_refs,
)


def about(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    meta = ctx.meta
    visit = meta.field_visit or "No field visit recorded."
    if meta.field_visit and meta.field_visit_note:
        visit += f". {meta.field_visit_note}"
    author = meta.author + (f", {meta.organisation}" if meta.organisation else "")
    rows = [
        ("Country", f"{meta.country_name} ({meta.country})"),
        ("Scope", meta.scope),
        ("As of", meta.as_of),
        ("Field visit", visit),
        ("Author", author),
        ("Review by", meta.review_by or "No review date set."),
        ("Status", meta.status),
        ("Version", meta.version),
        ("Reference", meta.slug),
    ]
    table(document, ("", ""), rows)


def method(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    period = f", over {ctx.meta.likelihood_period}" if ctx.meta.likelihood_period else ""
    paragraph(
        document,
        "Each risk is a threat to a group of staff in an area and circumstance, rated for "
        f"likelihood (1–5{period}) and impact on people (1–5) on the matrix "
        f"{ctx.matrix.name} (version {ctx.matrix.version}), copied into this assessment. "
        "Inherent ratings assume no measures, current ratings the measures in place today, "
        "residual ratings the measures in this report. Risks are ranked by residual level, "
        "then score.",
    )
    matrix_table(document, ctx.matrix, names["likelihood"], names["impact"])
    document.add_heading("Risk appetite", level=2)
    paragraph(document, ctx.meta.risk_appetite or "No risk appetite was stated.")
    document.add_heading("Area security levels", level=2)
    paragraph(
        document,
        "Each area's security level follows the highest residual risk that holds in it (a "
        "country-wide risk holds everywhere; a risk in a custom area holds in each of its "
        "parts), unless the analyst sets the level by hand and gives the reason.",
    )
    document.add_heading("Whose is what", level=2)
    paragraph(
        document,
        (
            ctx.meta.provenance
            or "Statements carry their sources in the references; the ratings, levels and "
            "recommendations without a quoted source are the analyst's judgement."
        )
        + " A reference such as [2: judgement of …] marks a judgement rather than a quoted "
        "text, with who made it.",
    )
    document.add_heading("Source grading", level=2)
    paragraph(
        document,
        "Every source carries an Admiralty grade: reliability A–F and credibility 1–6. "
        "Evidence is cited as numbered references such as [1], listed with their grades in "
        "Annex B; [1: C4] marks an item graded differently from its source.",
    )


def context(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    if not ctx.context:
        paragraph(document, "No context was recorded for this assessment.")
    for topic in ctx.context:
        document.add_heading(topic.name, level=2)
        for title, text, refs in topic.entries:
            paragraph(document, with_refs(text, refs), bold_lead=f"{title}.")


def actors(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    if not ctx.actors:
        paragraph(document, "No actors were recorded for this assessment.")
    for a in ctx.actors:
        also = f" (also {', '.join(a.aliases)})" if a.aliases else ""
        document.add_heading(f"{a.name}{also}", level=2)
        kind = a.type.capitalize() + (f", {a.status}" if a.status else "")
        if a.categories:
            kind += " · " + ", ".join(c.code for c in a.categories)
        document.add_paragraph().add_run(kind).italic = True
        if a.description:
            paragraph(document, with_refs(a.description, a.refs))
        strength = "not estimated"
        if a.strength:
            strength = a.strength + (f" (as of {a.strength_as_of})" if a.strength_as_of else "")
            strength = with_refs(strength, a.strength_refs)
        bullet(document, strength, bold_lead="Strength:")
        bullet(document, ", ".join(a.areas) or DASH, bold_lead="Areas of operation:")
        if a.links:
            links = "; ".join(f"{other} ({relation})" for relation, other in a.links)
            bullet(document, links, bold_lead="Links:")


def threats(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    if not ctx.categories:
        paragraph(document, "No threats were recorded for this assessment.")
    for c in ctx.categories:
        title = f"{c.category.name} ({c.category.code})"
        if c.risks:
            title += f" — {ctx.matrix.level_by_rank(c.top_rank).name}"
        if c.trend:
            title += f", {trend_text(c.trend)}"
        document.add_heading(title, level=2)
        if c.summary:
            paragraph(document, with_refs(c.summary, c.refs))
        for lead, text in (
            ("Modus operandi:", c.modus_operandi),
            ("Targeting:", c.targeting),
            ("Trend:", c.trend_note),
        ):
            if text:
                bullet(document, text, bold_lead=lead)
        for r in c.risks:
            likelihood = names["likelihood"].get(r.residual.likelihood, r.residual.likelihood)
            bullet(
                document,
                f"{r.label} {r.title} ({r.area_name}): {likelihood}, {r.residual.level.name}",
            )
        for i in c.incidents:
            text = f"{i.when}: {i.line}"
            bullet(document, text + (f" ({i.casualties})" if i.casualties else ""))
        if c.actors:
            bullet(document, ", ".join(a.name for a in c.actors), bold_lead="Actors:")


def hot_spots(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    if not ctx.hot_spots:
        paragraph(document, "No hot spots or no-go areas were recorded for this assessment.")
        return
    rows = []
    for a in ctx.hot_spots:
        why = a.description
        if a.specific_driving:
            risks = "; ".join(f"{r.label} {r.title}" for r in a.specific_driving)
            why = f"{why} Highest risk particular to it: {risks}.".strip()
        rows.append(
            (
                a.name,
                "no-go" if a.no_go else "hot spot",
                security_text(a.level.level),
                why,
                ", ".join(a.places),
            )
        )
    table(document, ("Area", "Status", "Level", "Why", "Places"), rows)


def exposure(document: Document, ctx: ReportContext, names: dict[str, Any]) -> None:
    e = ctx.exposure
    if not any(e.get(k) for k in ("groups", "activities", "sites", "routes")):
        paragraph(
            document,
            "No staff profiles, activities, sites or routes were recorded; the risks apply "
            "to all staff.",
        )
        return
    rows: list[tuple[str, str, str, str]] = []
    for g in e.get("groups") or []:
        rows.append(("Staff", g["name"], "", g.get("description", "")))
    for a in e.get("activities") or []:
        rows.append(("Activity", a["name"], ", ".join(a["area_names"]), a["description"]))
    for x in e.get("sites") or []:
        rows.append(("Site", x["name"], x.get("place_name") or "", x["description"]))
    for x in e.get("routes") or []:
        where = f"{x.get('from_name') or DASH} → {x.get('to_name') or DASH}"
        rows.append(("Route", x["name"], where, x["description"]))
    table(document, ("Kind", "Name", "Where", "Description"), rows)
