"""Render the report context with the one template family: HTML, PDF (the same HTML with print
CSS, through WeasyPrint or a headless Chromium) and Markdown (its own per-section templates,
the same context); Word (docx) is written from the same context by ``word.py``."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import re
from collections.abc import Callable
from dataclasses import fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    StrictUndefined,
)
from markupsafe import Markup, escape

from riskatlas.method import ScalePoint
from riskatlas.reports.area_map import report_maps
from riskatlas.reports.areas import level_groups
from riskatlas.reports.charts import category_bars_svg, heat_map_svg, ink, timeline_svg
from riskatlas.reports.context import ReportContext, build_context
from riskatlas.reports.dates import date_text
from riskatlas.reports.glossary import probability_text
from riskatlas.reports.sections import ANNEXES

FORMATS = ("html", "pdf", "md", "docx")
TRENDS = {"rising": "↑ rising", "falling": "↓ falling", "stable": "→ stable", "new": "✶ new"}


def _trend(value: str) -> str:
    return TRENDS.get(value, value)


def _md_cell(value: Any) -> str:
    """Text safe inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _probability(point: ScalePoint) -> str:
    return probability_text(point)


_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _level_colours(colour: Any) -> str:
    """The classes that colour a level badge or matrix cell (``colour-2e7d32 ink-ffffff``):
    the report carries no style attributes, so a browser's Content-Security-Policy can refuse
    them all; :func:`level_rules` writes the rules for the classes a report uses."""
    value = str(colour)
    if not _COLOUR.match(value):
        return "colour-none"
    return f"colour-{value[1:].lower()} ink-{ink(value)[1:].lower()}"


def level_rules(html: str) -> str:
    """CSS for every ``colour-…`` and ``ink-…`` class in ``html``. ``!important``, as the style
    attributes they replace were: a section's own rules never recolour a level."""
    rules = [
        f".{kind}-{hex_} {{ {prop}: #{hex_} !important; }}"
        for kind, prop in (("colour", "background-color"), ("ink", "color"))
        for hex_ in sorted(set(re.findall(rf"\b{kind}-([0-9a-f]{{6}})\b", html)))
    ]
    return "\n".join(rules)


def _markdown_link(url: Any) -> Markup:
    """A source's address in Markdown: an autolink for web and mail addresses only; anything
    else (``javascript:…``) stays text. A reviewed exception to escaping: the ``<…>`` are
    ours, the address inside is escaped."""
    text = str(url)
    if re.match(r"^(https?://|mailto:)[^\s<>]+$", text, re.IGNORECASE):
        return Markup("<{}>").format(text)
    return escape(text)


class _TemplateCache(FileSystemBytecodeCache):
    """Jinja's compiled templates kept between processes (a cold ``riskatlas report`` spent
    about 0.15 s compiling them), in Jinja's own per-user folder of the system's temporary
    directory (made private to the user, checked to be theirs); a template whose source changed
    is compiled again (its checksum is kept beside it). Writing is best effort."""

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _template_cache() -> BytecodeCache | None:
    try:
        return _TemplateCache(pattern="riskatlas-%s.cache")
    except (OSError, RuntimeError):  # no private folder to be had: compile every time
        return None


def _environment(markdown: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("riskatlas.reports", "templates"),
        bytecode_cache=_template_cache(),
        # Both families escape every value; Markdown's output is made readable again by
        # markdown_text. Exceptions are explicit: |safe on text the code builds (css, charts)
        # and the Markup of _markdown_link.
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        ink=ink,
        trend=_trend,
        md=_md_cell,
        date_text=date_text,
        probability=_probability,
        level_colours=_level_colours,
        link=_markdown_link,
    )
    return env


@cache
def html_environment() -> Environment:
    return _environment(markdown=False)


@cache
def markdown_environment() -> Environment:
    return _environment(markdown=True)


def markdown_text(text: str) -> str:
    """Markdown from the escaped template output: only what a Markdown viewer would read as
    HTML stays escaped (a ``<`` that could open a tag, comment or autolink, and an ``&`` that
    starts an entity), so data shows as text and ordinary quotes, ``< 20 %`` and ampersands
    read as typed; a link to a script address is broken."""
    text = text.replace("&#34;", '"').replace("&#39;", "'").replace("&gt;", ">")
    text = re.sub(r"&lt;(?![A-Za-z/!?])", "<", text)
    text = re.sub(r"&amp;(?!#?\w+;)", "&", text)
    return re.sub(r"\]\((?=\s*<?\s*(?:javascript|vbscript|data):)", r"]\\(", text, flags=re.I)


def stylesheet(name: str) -> str:
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
        **{f"map_{k}": svg for k, svg in report_maps(ctx.areas, ctx.meta.country).items()},
    }


def _html(doc: dict[str, Any], medium: str, open_data: dict[str, Any] | None = None) -> str:
    ctx = build_context(doc, open_data)
    variables = _variables(ctx)
    css = stylesheet("report.css")
    css += "\n" + stylesheet("print.css" if medium == "pdf" else "screen.css")
    variables.update(charts=_charts(ctx, variables), css=css + "\n" + LEVEL_RULES, medium=medium)
    html = html_environment().get_template("html/report.html.j2").render(**variables)
    return html.replace(LEVEL_RULES, level_rules(html), 1)


LEVEL_RULES = "/* level colours */"


def inline_style_sources(html: str) -> list[str]:
    """The Content-Security-Policy sources (``'sha256-…'``) that allow exactly the ``<style>``
    elements of a report page, so the web app can serve it under a policy without
    ``'unsafe-inline'``."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
        for body in re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)
    ]


def render_html(doc: dict[str, Any], open_data: dict[str, Any] | None = None) -> str:
    """The report as one self-contained HTML page (styles and charts inline)."""
    return _html(doc, "html", open_data)


def render_pdf(doc: dict[str, Any], open_data: dict[str, Any] | None = None) -> bytes:
    """The report as an A4 PDF: cover, contents with page numbers, running header and footer;
    a big report is laid out in parts and joined (``pdf_parts``), by :func:`print_pdf`."""
    return print_pdf(lambda: _html(doc, "pdf", open_data))


def print_pdf(build_html: Callable[[], str], in_parts: bool = True) -> bytes:
    """The print HTML that ``build_html()`` makes as PDF, by the engine the setting picks
    (``RISKATLAS_PDF_ENGINE``: ``auto``, the default, ``chromium`` or ``weasyprint``): printed
    by a headless Chromium when one is found (``pdf_chromium``; it starts while the HTML is
    built), else by WeasyPrint. ``in_parts``: a report, which WeasyPrint may lay out in parts
    (``pdf_parts``) and which goes to WeasyPrint under ``auto`` when big enough to go in parts;
    else (the traveller brief) one pass whatever its size."""
    from riskatlas.reports.pdf_chromium import engine, render_chromium_pdf, setting

    if engine() == "chromium":
        below: int | None = None
        if in_parts and setting() == "auto":  # a report big enough for parts: WeasyPrint
            from riskatlas.reports.pdf_split import PARTS_FROM as below  # not pypdf yet
        return render_chromium_pdf(build_html, below)
    from riskatlas.reports.pdf_parts import render_html_pdf, render_single

    html = build_html()
    return render_html_pdf(html) if in_parts else render_single(html)


def render_markdown(doc: dict[str, Any], open_data: dict[str, Any] | None = None) -> str:
    """The report as Markdown text, in the same section order, with the register as a table."""
    ctx = build_context(doc, open_data)
    text = markdown_environment().get_template("markdown/report.md.j2").render(**_variables(ctx))
    return tidy_markdown(markdown_text(text))


def tidy_markdown(text: str) -> str:
    """No trailing spaces, no doubled spaces inside a line, at most one blank line in a row."""
    lines = [re.sub(r"(?<=\S) {2,}(?=\S)", " ", line.rstrip()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def render(doc: dict[str, Any], fmt: str, open_data: dict[str, Any] | None = None) -> bytes:
    """The report in ``fmt`` (html, pdf, md or docx) as bytes."""
    if fmt == "pdf":
        return render_pdf(doc, open_data)
    if fmt == "html":
        return render_html(doc, open_data).encode("utf-8")
    if fmt == "md":
        return render_markdown(doc, open_data).encode("utf-8")
    if fmt == "docx":
        from riskatlas.reports.word import render_docx

        return render_docx(doc, open_data)
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


__all__ = [
    "FORMATS",
    "inline_style_sources",
    "print_pdf",
    "render_html",
    "render_markdown",
    "render_pdf",
    "write_report",
]
