"""The PDF in parts: the print HTML cut at its page breaks (``pdf_split``), the parts laid out
one at a time (memory bounded by the largest part) and, for a big report, two at a time in
worker processes, then joined into one PDF with what a reader sees of a single pass: "page N of
M" stamped on every page but the cover, the contents' page numbers, the outline (bookmarks)
and the internal links (contents to sections, references to sources), across parts.

``RISKATLAS_PDF_MODE``: ``single`` (one WeasyPrint pass, as before), ``parts`` (always in
parts) or ``auto`` (the default: in parts from ``PARTS_FROM`` characters of HTML).
``RISKATLAS_PDF_WORKERS``: processes laying out parts at once (default: 2, or 1 with one core)."""

from __future__ import annotations

import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import current_process, get_context
from pathlib import Path

from riskatlas.reports.pdf_split import (
    ANCHOR_SCHEME,
    RISKS_PER_PART,
    SplitReport,
    contents_anchors,
    part_html,
    split,
)

PARTS_FROM = 200_000  # characters of print HTML; the Peru example (18 risks) is 341,000
PX = 0.75  # WeasyPrint's CSS pixel in PDF points


@dataclass
class Bookmark:
    level: int
    label: str
    page: int  # 0-based, in the joined PDF
    x: float
    y: float
    open: bool
    children: list[Bookmark] = field(default_factory=list)


@dataclass
class RenderedPart:
    pdf: bytes
    pages: int
    bookmarks: list[tuple[int, int, str, float, float, bool]]  # page, level, label, x, y, open
    anchors: dict[str, tuple[int, float, float]]  # name: page, x, y (PDF points)


def mode() -> str:
    return os.environ.get("RISKATLAS_PDF_MODE", "auto")


def workers() -> int:
    value = os.environ.get("RISKATLAS_PDF_WORKERS")
    return max(1, int(value)) if value else min(2, os.cpu_count() or 1)


def render_single(html: str) -> bytes:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=str(Path.cwd())).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def render_part(html: str) -> RenderedPart:
    """One part laid out and written; its pages' bookmarks and anchors in PDF points."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(Path.cwd())).render()
    bookmarks = []
    anchors: dict[str, tuple[int, float, float]] = {}
    for number, page in enumerate(document.pages):
        height = page.height
        for level, label, (x, y), state in page.bookmarks:
            bookmarks.append((number, level, label, x * PX, (height - y) * PX, state != "closed"))
        for name, (x, y, _, _) in page.anchors.items():
            anchors.setdefault(name, (number, x * PX, (height - y) * PX))
    pdf = document.write_pdf()
    assert pdf is not None
    return RenderedPart(bytes(pdf), len(document.pages), bookmarks, anchors)


def render_html_pdf(html: str) -> bytes:
    """The print HTML as PDF: in one pass, or in parts (``RISKATLAS_PDF_MODE``)."""
    chosen = mode()
    if chosen == "single" or (chosen == "auto" and len(html) < PARTS_FROM):
        return render_single(html)
    return render_in_parts(html)


def _pool(count: int) -> ProcessPoolExecutor | None:
    """Worker processes, forked so they start with WeasyPrint already imported; none when
    one is asked for, when this process runs threads (forking one is not safe) or is itself
    a daemonic worker (which may not start processes)."""
    if count < 2 or threading.active_count() > 1 or current_process().daemon:
        return None
    import weasyprint  # noqa: F401  (imported once, before the fork)

    return ProcessPoolExecutor(max_workers=count, mp_context=get_context("fork"))


def render_in_parts(
    html: str, workers_count: int | None = None, risks_per_part: int = RISKS_PER_PART
) -> bytes:
    """The print HTML laid out in parts and joined (see the module's docstring)."""
    report = split(html, risks_per_part)
    pool = _pool(workers() if workers_count is None else workers_count)
    try:
        # The front first with stand-in numbers as wide as the real ones will be: its number
        # of pages, which the contents' numbers and "page N of M" need.
        stand_in = "8" * len(str(max(10, len(html) // 9_000)))
        anchors = contents_anchors(report)
        trial_html = part_html(report, report.front, True, dict.fromkeys(anchors, stand_in))
        trial = pool.submit(render_part, trial_html) if pool else None
        rendered = _render_bodies(report, report.bodies, pool)
        front_pages = (trial.result() if trial else render_part(trial_html)).pages
        front, overlay = _front_and_overlay(report, rendered, front_pages, pool)
        if front.pages != front_pages:  # the real numbers changed the contents' length
            front, overlay = _front_and_overlay(report, rendered, front.pages, pool)
    finally:
        if pool is not None:
            pool.shutdown()
    from riskatlas.reports.pdf_join import join

    return join([front, *rendered], overlay)


def _render_bodies(
    report: SplitReport, bodies: list[str], pool: ProcessPoolExecutor | None
) -> list[RenderedPart]:
    """The parts after the front, the biggest first when two run at once."""
    documents = [part_html(report, body, front=False, pages={}) for body in bodies]
    if pool is None:
        return [render_part(d) for d in documents]
    order = sorted(range(len(documents)), key=lambda i: -len(documents[i]))
    futures: dict[int, Future[RenderedPart]] = {
        i: pool.submit(render_part, documents[i]) for i in order
    }
    return [futures[i].result() for i in range(len(documents))]


def _front_and_overlay(
    report: SplitReport,
    rendered: list[RenderedPart],
    front_pages: int,
    pool: ProcessPoolExecutor | None,
) -> tuple[RenderedPart, bytes]:
    """The front with the contents' page numbers (given the parts after it) and the page
    numbers of the whole document, laid out at once when there are workers."""
    pages: dict[str, int] = {}
    offset = front_pages
    for part in rendered:
        for name, (page, _, _) in part.anchors.items():
            pages.setdefault(name, offset + page + 1)
        offset += part.pages
    wanted = {name: pages[name] for name in contents_anchors(report) if name in pages}
    front_html = part_html(report, report.front, front=True, pages=wanted)
    numbers_html = page_numbers_html(report, offset)
    if pool is None:
        return render_part(front_html), render_single(numbers_html)
    front = pool.submit(render_part, front_html)
    overlay = pool.submit(render_single, numbers_html)
    return front.result(), overlay.result()


def page_numbers_html(report: SplitReport, total: int) -> str:
    """A document of ``total`` empty pages with the report's page rules and only "page N of
    M" in the footer: stamped over the joined parts."""
    head = report.head.replace(
        "</style>",
        "@page { @top-left { content: none; } @top-right { content: none; }"
        " @bottom-left { content: none; } background: none; }\n"
        "html, body { background: none !important; }\n.page-number-sheet + .page-number-sheet"
        " { break-before: page; }\n</style>",
        1,
    )
    sheets = '<div class="page-number-sheet"></div>\n' * total
    return head + "</head>\n<body>\n" + sheets + "</body>\n</html>\n"


def anchor_link(uri: str) -> str | None:
    """The anchor of a cross-part link (``riskatlas-anchor:NAME``), else ``None``."""
    return uri[len(ANCHOR_SCHEME) :] if uri.startswith(ANCHOR_SCHEME) else None
