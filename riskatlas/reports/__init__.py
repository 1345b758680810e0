"""Assessment reports: one template family rendered as HTML, PDF and Markdown. Pure Python.

``build_context`` turns a normalised assessment document into what the report shows;
``render_html``, ``render_pdf`` and ``render_markdown`` format it; ``write_report`` writes a
file for the command line.
"""

from riskatlas.reports.context import ReportContext, build_context
from riskatlas.reports.render import FORMATS, render_html, render_markdown, render_pdf, write_report

__all__ = [
    "FORMATS",
    "ReportContext",
    "build_context",
    "render_html",
    "render_markdown",
    "render_pdf",
    "write_report",
]
