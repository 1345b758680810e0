"""Assessment reports: one template family rendered as HTML, PDF and Markdown. Pure Python.

``build_context`` turns a normalised assessment document into what the report shows;
``render_html``, ``render_pdf`` and ``render_markdown`` format it; ``write_report`` writes a
file for the command line.

The names are imported when first used, so that importing a small module of the package
(``reports.chromium``, which the ``report`` command uses to start a browser first) does not
import the renderer.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from riskatlas.reports.context import ReportContext, build_context
    from riskatlas.reports.render import (
        FORMATS,
        render_html,
        render_markdown,
        render_pdf,
        write_report,
    )

_HOMES = {
    "ReportContext": "riskatlas.reports.context",
    "build_context": "riskatlas.reports.context",
    "FORMATS": "riskatlas.reports.render",
    "render_html": "riskatlas.reports.render",
    "render_markdown": "riskatlas.reports.render",
    "render_pdf": "riskatlas.reports.render",
    "write_report": "riskatlas.reports.render",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        value = getattr(import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'riskatlas.reports' has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "ReportContext",
    "build_context",
    "render_html",
    "render_markdown",
    "render_pdf",
    "write_report",
]
