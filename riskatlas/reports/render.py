"""Render the report context with the one template family: HTML, PDF (the same HTML with print
CSS, through WeasyPrint) and Markdown (its own per-section templates, the same context)."""

from __future__ import annotations

import re
from dataclasses import fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from riskatlas.method import ScalePoint
from riskatlas.reports.areas import level_groups
from riskatlas.reports.charts import category_bars_svg, heat_map_svg, ink, timeline_svg
from riskatlas.reports.context import ReportContext, build_context
from riskatlas.reports.dates import date_text
from riskatlas.reports.glossary import probability_text
from riskatlas.reports.sections import ANNEXES

FORMATS = ("html", "pdf", "md")
TRENDS = {"rising": "↑ rising", "falling": "↓ falling", "stable": "→ stable", "new": "✶ new"}


def _trend(value: str) -> str:
    return TRENDS.get(value, value)


def _md_cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _probability(point: ScalePoint) -> str:
    return probability_text(point)


def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("riskatlas.reports", "templates"),
        autoescape=select_autoescape(["j2"]) if autoescape else False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        ink=ink, trend=_trend, md=_md_cell, date_text=date_text, probability=_probability
    )
    return env


@cache
def html_environment() -> Environment:
    return _environment(autoescape=True)


@cache
def markdown_environment() -> Environment:
    return _environment(autoescape=False)


def _stylesheet(name: str) -> str:
    return resources.files("riskatlas.reports").joinpath("static", name).read_text("utf-8")


def _variables(ctx: ReportContext) -> dict[str, Any]:
    """The context as template variables, plus lookups the templates need."""
    out = {f.name: getattr(ctx, f.name) for f in fields(ctx)}
    out.update(
        sec={s.anchor: s for s in ctx.sections},
        annexes=ANNEXES,
        hot_spots=ctx.hot_spots,
        level_groups=level_groups(ctx.areas),
        no_go_areas=ctx.no_go_areas,
        likelihood_names={p.value: p.name for p in ctx.glossary.likelihood},
        impact_names={p.value: p.name for p in ctx.glossary.impact},
    )
    return out


def _charts(ctx: ReportContext, names: dict[str, Any]) -> dict[str, str]:
    inherent, residual = ctx.heat_maps
    lk, im = names["likelihood_names"], names["impact_names"]
    by_category = [(c.name, risks) for c, risks in ctx.risks_by_category()]
    return {
        "heat_inherent": heat_map_svg(inherent, lk, im),
        "heat_residual": heat_map_svg(residual, lk, im),
        "categories": category_bars_svg(by_category, ctx.matrix.levels),
        "timeline": timeline_svg(ctx.incidents),
    }


def _html(doc: dict[str, Any], medium: str, open_data: dict[str, Any] | None = None) -> str:
    ctx = build_context(doc, open_data)
    variables = _variables(ctx)
    css = _stylesheet("report.css")
    if medium == "pdf":
        css += "\n" + _stylesheet("print.css")
    variables.update(charts=_charts(ctx, variables), css=css, medium=medium)
    return html_environment().get_template("html/report.html.j2").render(**variables)


def render_html(doc: dict[str, Any], open_data: dict[str, Any] | None = None) -> str:
    """The report as one self-contained HTML page (styles and charts inline)."""
    return _html(doc, "html", open_data)


def render_pdf(doc: dict[str, Any], open_data: dict[str, Any] | None = None) -> bytes:
    """The report as an A4 PDF: cover, contents with page numbers, running header and footer."""
    from weasyprint import HTML

    html = _html(doc, "pdf", open_data)
    pdf = HTML(string=html, base_url=str(Path.cwd())).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_markdown(doc: dict[str, Any], open_data: dict[str, Any] | None = None) -> str:
    """The report as Markdown text, in the same section order, with the register as a table."""
    ctx = build_context(doc, open_data)
    text = markdown_environment().get_template("markdown/report.md.j2").render(**_variables(ctx))
    return _tidy_markdown(text)


def _tidy_markdown(text: str) -> str:
    """No trailing spaces, no doubled spaces inside a line, at most one blank line in a row."""
    lines = [re.sub(r"(?<=\S) {2,}(?=\S)", " ", line.rstrip()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def render(doc: dict[str, Any], fmt: str, open_data: dict[str, Any] | None = None) -> bytes:
    """The report in ``fmt`` (html, pdf or md) as bytes."""
    if fmt == "pdf":
        return render_pdf(doc, open_data)
    if fmt == "html":
        return render_html(doc, open_data).encode("utf-8")
    if fmt == "md":
        return render_markdown(doc, open_data).encode("utf-8")
    raise ValueError(f"report format must be one of {', '.join(FORMATS)}, not {fmt!r}")


def write_report(
    doc: dict[str, Any], fmt: str, out_path: str | Path, open_data: dict[str, Any] | None = None
) -> Path:
    """Render the report in ``fmt`` and write it to ``out_path``; return the path written."""
    data = render(doc, fmt, open_data)
    path = Path(out_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


__all__ = ["FORMATS", "render_html", "render_markdown", "render_pdf", "write_report"]
