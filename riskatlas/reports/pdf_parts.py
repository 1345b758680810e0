"""The PDF in parts: the print HTML cut at its page breaks (``pdf_split``), the parts laid out
one at a time (memory bounded by the largest part) and, for a big report, two at a time (this
process and a forked helper take the parts in turn, the biggest first), then joined into one
PDF with what a reader sees of a single pass: "page N of M" stamped on every page but the
cover, the contents' page numbers, the outline (bookmarks) and the internal links (contents to
sections, references to sources), across parts (``pdf_join``).

``RISKATLAS_PDF_MODE``: ``single`` (one WeasyPrint pass, as before), ``parts`` (always in
parts) or ``auto`` (the default: in parts from ``PARTS_FROM`` characters of HTML).
``RISKATLAS_PDF_WORKERS``: processes laying out parts at once, this one included (default: 2,
or 1 with one core)"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from multiprocessing import current_process, get_context
from pathlib import Path
from typing import Any

from riskatlas.reports.pdf_join import RenderedPart, join
from riskatlas.reports.pdf_split import (
    ANCHOR_SCHEME,
    PARTS_FROM,
    RISKS_PER_PART,
    SplitReport,
    contents_anchors,
    part_html,
    split,
)

PX = 0.75  # WeasyPrint's CSS pixel in PDF points
Task = tuple[Callable[[str], Any], str]


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


def _can_fork() -> bool:
    """Forking is safe here: this process runs no other thread (the web server's and the
    task workers' threads) and is not a daemonic worker (which may not start processes)."""
    return threading.active_count() == 1 and not current_process().daemon


def _take(tasks: list[Task], counter: Any, put: Callable[[int, Any, str | None], None]) -> None:
    """Take the next task (a shared counter) until none is left, each result to ``put``."""
    while True:
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        if index >= len(tasks):
            return
        function, argument = tasks[index]
        try:
            value = function(argument)
        except Exception as error:  # sent to the parent, which raises it
            put(index, None, f"{type(error).__name__}: {error}")
        else:
            put(index, value, None)


def run_tasks(tasks: list[Task], helpers: int) -> list[Any]:
    """Each task's result, in order: this process and ``helpers`` forked processes (started
    with WeasyPrint imported) take the tasks in turn, the first ones first; a helper that
    dies leaves its task to this process."""
    if helpers < 1 or len(tasks) < 2 or not _can_fork():
        return [function(argument) for function, argument in tasks]
    import weasyprint  # noqa: F401  (imported once, before the fork)

    context = get_context("fork")
    counter = context.Value("i", 0)
    results = context.Queue()
    found: dict[int, Any] = {}

    def keep(index: int, value: Any, error: str | None) -> None:
        if error is not None:
            raise RuntimeError(f"a part of the PDF failed: {error}")
        found[index] = value

    def send(index: int, value: Any, error: str | None) -> None:
        results.put((index, value, error))

    processes = [
        context.Process(target=_take, args=(tasks, counter, send), daemon=True)
        for _ in range(helpers)
    ]
    for process in processes:
        process.start()
    try:
        _take(tasks, counter, keep)
        while len(found) < len(tasks):
            try:
                keep(*results.get(timeout=0.5))
            except queue.Empty:
                if not any(p.is_alive() for p in processes) and results.empty():
                    break
    finally:
        for process in processes:
            if process.is_alive() and len(found) < len(tasks):
                process.terminate()
            process.join()
    return [found[i] if i in found else f(a) for i, (f, a) in enumerate(tasks)]


def render_in_parts(
    html: str, workers_count: int | None = None, risks_per_part: int = RISKS_PER_PART
) -> bytes:
    """The print HTML laid out in parts and joined (see the module's docstring)."""
    report = split(html, risks_per_part)
    helpers = (workers() if workers_count is None else workers_count) - 1
    # The front first with stand-in numbers as wide as the real ones will be: its number
    # of pages, which the contents' numbers and "page N of M" need.
    stand_in = "8" * len(str(max(10, len(html) // 9_000)))
    anchors = contents_anchors(report)
    trial_html = part_html(report, report.front, True, dict.fromkeys(anchors, stand_in))
    documents = [part_html(report, body, front=False, pages={}) for body in report.bodies]
    # The biggest parts first, so that neither process is left with a big one at the end.
    order = sorted(range(len(documents)), key=lambda i: -len(documents[i]))
    tasks: list[Task] = [(render_part, trial_html)]
    tasks += [(render_part, documents[i]) for i in order]
    done = run_tasks(tasks, helpers)
    front_pages = done[0].pages
    rendered: list[RenderedPart] = [RenderedPart(b"", 0, [], {})] * len(documents)
    for position, i in enumerate(order, start=1):
        rendered[i] = done[position]
    front, overlay = _front_and_overlay(report, rendered, front_pages, helpers)
    if front.pages != front_pages:  # the real numbers changed the contents' length
        front, overlay = _front_and_overlay(report, rendered, front.pages, helpers)
    return join([front, *rendered], overlay)


def _front_and_overlay(
    report: SplitReport,
    rendered: list[RenderedPart],
    front_pages: int,
    helpers: int,
) -> tuple[RenderedPart, bytes]:
    """The front with the contents' page numbers (given the parts after it) and the page
    numbers of the whole document, laid out at once when there are helpers."""
    pages: dict[str, int] = {}
    offset = front_pages
    for part in rendered:
        for name, (page, _, _) in part.anchors.items():
            pages.setdefault(name, offset + page + 1)
        offset += part.pages
    wanted = {name: pages[name] for name in contents_anchors(report) if name in pages}
    front_html = part_html(report, report.front, front=True, pages=wanted)
    tasks: list[Task] = [
        (render_part, front_html),
        (render_single, page_numbers_html(report, offset)),
    ]
    front, overlay = run_tasks(tasks, helpers)
    return front, overlay


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
