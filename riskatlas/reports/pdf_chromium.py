"""The PDF printed by a headless Chromium (``chromium.py``) from the same print HTML as
WeasyPrint's, with what Chromium's print lacks made up for, so that a reader sees the same
report:

- the running header (WeasyPrint: ``string-set`` and ``string()``): the report's title and
  marking written into the ``@page`` margin boxes as literal text;
- the contents' dotted leaders and page numbers (``leader()``, ``target-counter()``): the
  report is printed once; the pages its sections start on are read from the PDF's named
  destinations and the contents' lines from its link annotations; a one-page document with
  only the leaders and numbers, at those places and in the report's font, is printed by the
  same browser and stamped onto the contents page (``pdf_stamp``);
- the outline (bookmarks): every heading gets an id and a hidden link to it, so that Chromium
  writes a named destination for it; the outline is written from the headings' levels and
  text and those destinations (Chromium builds one only for a tagged PDF, and the tags cost a
  quarter of the print's time); the internal links are Chromium's own.

The browser starts first and the HTML is built while it starts (two processes, two cores).
``RISKATLAS_PDF_ENGINE``: ``auto`` (the default: Chromium when one is found, else WeasyPrint,
silently; and WeasyPrint in parts for a report big enough to go in parts,
``pdf_split.PARTS_FROM``, for its memory), ``chromium`` (an error if there is no Chromium) or
``weasyprint``."""

from __future__ import annotations

import atexit
import html as html_lib
import os
import re
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from riskatlas.reports.chromium import Chromium, ChromiumError, find_binary, scratch_dir

ENGINES = ("weasyprint", "chromium", "auto")
PT_PER_MM = 72 / 25.4


def setting() -> str:
    """``RISKATLAS_PDF_ENGINE`` as set: ``auto`` (the default), ``chromium`` or ``weasyprint``."""
    chosen = os.environ.get("RISKATLAS_PDF_ENGINE", "").strip().lower() or "auto"
    if chosen not in ENGINES:
        raise ValueError(
            f"RISKATLAS_PDF_ENGINE must be one of {', '.join(ENGINES)}, not {chosen!r}"
        )
    return chosen


def engine() -> str:
    """The PDF engine to use now: ``weasyprint`` or ``chromium`` (``RISKATLAS_PDF_ENGINE``;
    ``auto`` is Chromium when one is found)."""
    chosen = setting()
    if chosen == "auto":
        return "chromium" if find_binary() else "weasyprint"
    return chosen


def time_limit(html_chars: int) -> float:
    """Seconds for the whole print (``RISKATLAS_PDF_TIME_LIMIT``; default 60 s and 20 s for each
    million characters of HTML)."""
    value = os.environ.get("RISKATLAS_PDF_TIME_LIMIT")
    return float(value) if value else 60.0 + 20.0 * html_chars / 1_000_000


# The print HTML for Chromium -------------------------------------------------------------

# Nothing outside the page: no script, no fetch; styles and images inline only.
POLICY = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    "style-src 'unsafe-inline'; img-src data:; font-src data:\">"
)
# The contents' own leader and number (WeasyPrint's ``::after``) are left to the stamp.
CONTENTS_RULE = ".toc a::after { content: none !important; }"
_RUNNING = re.compile(r'<div class="running-(title|marking)">(.*?)</div>', re.DOTALL)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    text = " ".join(text.split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def chromium_html(html: str, body: str | None = None) -> str:
    """The print HTML with the running header's text written in and the policy added;
    ``body``: what follows its ``</head>`` with the headings' targets, if already made."""
    running = {kind: html_lib.unescape(text) for kind, text in _RUNNING.findall(html)}
    head, rest = html.split("</head>", 1)
    for kind in ("title", "marking"):
        head = head.replace(
            f"content: string(report-{kind});", f"content: {css_string(running.get(kind, ''))};"
        )
    head = head.replace("</style>", CONTENTS_RULE + "\n</style>", 1)
    head = head.replace("<head>", "<head>\n" + POLICY, 1)
    return head + "</head>" + (body if body is not None else with_heading_targets(rest)[0])


_HEADING = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
HEADING_ID = "riskatlas-heading-"


def with_heading_targets(body: str) -> tuple[str, list[tuple[int, str, str]]]:
    """The body with an id on every heading and, hidden at its end, a link to each (Chromium
    writes a named destination only for a place that a link points to), and the headings as
    (level, title, id) for the outline, in order: their text, as WeasyPrint's bookmarks."""
    headings: list[tuple[int, str, str]] = []

    def named(match: re.Match[str]) -> str:
        level, attributes, inner = match.groups()
        found = re.search(r'\bid="([^"]+)"', attributes)
        name = found.group(1) if found else f"{HEADING_ID}{len(headings) + 1}"
        title = " ".join(html_lib.unescape(_TAG.sub("", inner)).split())
        headings.append((int(level), title, name))
        if found:
            return match.group(0)
        return f'<h{level} id="{name}"{attributes}>{inner}</h{level}>'

    body = _HEADING.sub(named, body)
    links = "".join(f'<a href="#{name}"></a>' for _, _, name in headings)
    return body.replace("</body>", f"<div hidden>{links}</div>\n</body>", 1), headings


_TOC = re.compile(r'<nav class="toc".*?</nav>', re.DOTALL)
_HREF = re.compile(r'href="#([^"]+)"')


def contents_anchors(html: str) -> list[str]:
    """The anchors the contents link to, in order."""
    found = _TOC.search(html)
    return _HREF.findall(found.group(0)) if found else []


# The contents' numbers -------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A contents line's leader and number: on the PDF page ``page`` (from 0), from ``left``
    (the end of its text) to the line's end; ``top`` and ``height`` of its text; in points from
    the page's top-left corner."""

    page: int
    left: float
    top: float
    height: float
    number: int


def contents_lines(pdf: Any, anchors: list[str]) -> list[Line]:
    """Each contents entry's line and the page its target starts on, read from Chromium's PDF:
    the contents' links are the first links to their anchors, in order."""
    from pypdf import PdfReader

    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(BytesIO(pdf))
    targets: dict[str, int] = {}
    for name, destination in reader.named_destinations.items():
        page_number = reader.get_destination_page_number(destination)
        if page_number is not None and page_number >= 0:
            targets[str(name).lstrip("/")] = page_number + 1
    links: list[tuple[int, str, list[float], float]] = []  # page, anchor, rect, page height
    lines: list[Line] = []
    for number, page in enumerate(reader.pages):  # up to the page where the contents end
        height = float(page.mediabox.height)
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            destination = annotation.get("/Dest")
            if annotation.get("/Subtype") == "/Link" and destination is not None:
                rect = [float(v) for v in annotation["/Rect"]]
                links.append((number, str(destination).lstrip("/"), rect, height))
        lines = _matched(links, anchors, targets)
        if len(lines) == len(anchors):
            break
    return lines


def _matched(
    links: list[tuple[int, str, list[float], float]], anchors: list[str], targets: dict[str, int]
) -> list[Line]:
    """The contents' lines: the first links to the anchors, in order (a link's text can be
    more than one rectangle: the last line's are taken)."""
    lines = []
    position = 0
    for anchor in anchors:
        while position < len(links) and links[position][1] != anchor:
            position += 1
        if position == len(links) or anchor not in targets:
            break
        on_page, _, rect, height = links[position]
        fragments = [rect]
        position += 1
        while position < len(links) and links[position][:2] == (on_page, anchor):
            fragments.append(links[position][2])
            position += 1
        # The entry's last line: its text rectangles with the lowest bottom (PDF y grows up).
        bottom = min(f[1] for f in fragments)
        last = [f for f in fragments if f[1] < bottom + 4] or fragments
        text = min(last, key=lambda f: f[3] - f[1])  # the inline text's box, not the line's
        lines.append(
            Line(
                page=on_page,
                left=max(f[2] for f in last),
                top=height - text[3],
                height=text[3] - text[1],
                number=targets[anchor],
            )
        )
    return lines


def numbers_html(lines: list[Line], size: tuple[float, float], right: float) -> str:
    """A document with a page for each contents line: its dotted leader from the end of its
    text to its page number, set against ``right`` (the pages' content edge, points from the
    left), in the report's font, at the place the line has on the report's page. A page each,
    so that each goes into the report's drawing after its own line's text (``pdf_stamp``)."""
    width, height = size
    sheets = []
    for line in lines:
        # The inline box of DejaVu Sans is 1.164 em tall: its font size, and a line height
        # as tall as the box, put the baseline where the entry's text has it.
        font = line.height / 1.164
        sheets.append(
            '<div class="sheet"><div class="line" style="'
            f"left:{line.left:.2f}pt;top:{line.top:.2f}pt;width:{right - line.left:.2f}pt;"
            f"height:{line.height:.2f}pt;line-height:{line.height:.2f}pt;font-size:{font:.2f}pt"
            f'"><span class="dots">{"." * 400}</span><span class="number">{line.number}</span>'
            "</div></div>"
        )
    return (
        "<!DOCTYPE html>\n<html><head><meta charset='utf-8'>" + POLICY + "<style>\n"
        f"@page {{ size: {width:.2f}pt {height:.2f}pt; margin: 0; }}\n"
        "html, body { margin: 0; padding: 0; background: none; }\n"
        f".sheet {{ position: relative; height: {height:.2f}pt; break-after: page;"
        " overflow: hidden; }\n"
        ".line { position: absolute; display: flex; white-space: nowrap; color: #6b7785;"
        ' font-family: "DejaVu Sans", sans-serif; }\n'
        ".dots { flex: 1 1 0; min-width: 0; overflow: hidden; direction: rtl;"
        " padding-left: 0.25em; }\n"
        ".number { padding-left: 0.6em; }\n"
        "</style></head><body>" + "".join(sheets) + "</body></html>\n"
    )


# The whole print -------------------------------------------------------------------------


_early: list[Chromium] = []  # the browser ``start_early`` started, until a print takes it


def start_early() -> None:
    """Start the browser now if the next PDF is Chromium's, so that it starts while the caller
    reads the assessment as well as while the HTML is built (the ``report`` command calls this
    first). Nothing if the engine is WeasyPrint or no Chromium is found (the print then says
    so); a browser no print took is ended when the process exits, also when it is ended by
    SIGTERM or SIGHUP (``_exit_on_signals``)."""
    if not _early and engine() == "chromium" and find_binary():
        _exit_on_signals()
        # Held back until the browser is known to ``atexit``, not lost in between.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, ENDING_SIGNALS)
        try:
            browser = Chromium()
            _early.append(browser)
            atexit.register(_end_early, browser)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


ENDING_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _exit_on_signals() -> None:
    """SIGTERM and SIGHUP, where they would end the process outright, end it as an exit
    instead (status 128 + the signal's number, as the shell reports a process killed by it):
    the print's ``with`` blocks and ``atexit`` then end the browser and remove its profile,
    which would otherwise stay in ``/dev/shm``. Only in the main thread (the only one that
    may set handlers), and not over a handler the program set."""
    if threading.current_thread() is not threading.main_thread():
        return
    for number in ENDING_SIGNALS:
        if signal.getsignal(number) == signal.SIG_DFL:
            signal.signal(number, _exit_for_signal)


def _exit_for_signal(number: int, frame: object) -> None:
    raise SystemExit(128 + number)


def _started_browser() -> Chromium | None:
    if not _early:
        return None
    browser = _early.pop()
    browser.deadline = time.monotonic() + browser.time_limit
    return browser


def _end_early(browser: Chromium) -> None:
    if browser.usage is None:
        browser.close()


def prints_at_once() -> int:
    """How many Chromium prints one process runs at once (``RISKATLAS_PDF_PRINTS_AT_ONCE``,
    default 2): each browser takes about 440 MB for the Peru report, so the prints of a busy
    web process or worker beyond that wait their turn rather than run the machine out of
    memory."""
    value = os.environ.get("RISKATLAS_PDF_PRINTS_AT_ONCE", "").strip() or "2"
    if not value.isdigit() or int(value) < 1:
        raise ValueError(
            f"RISKATLAS_PDF_PRINTS_AT_ONCE must be a whole number from 1, not {value!r}"
        )
    return int(value)


_turns: dict[int, threading.BoundedSemaphore] = {}  # by the setting's value
_turns_lock = threading.Lock()


@contextmanager
def _turn() -> Iterator[None]:
    """Held while a browser prints: at most ``prints_at_once()`` in this process."""
    size = prints_at_once()
    with _turns_lock:
        turns = _turns.setdefault(size, threading.BoundedSemaphore(size))
    with turns:
        yield


def render_chromium_pdf(build_html: Callable[[], str], below: int | None = None) -> bytes:
    """The report printed by Chromium: the browser starts, ``build_html()`` builds the print
    HTML meanwhile, then the page is printed and its contents numbered (module docstring).
    With ``below``, HTML of that many characters or more goes to WeasyPrint instead (in parts:
    Chromium lays a report out in one renderer, 2 GB at 1,800 risks). At most
    ``prints_at_once()`` prints run at once in a process; the others wait their turn."""
    with _turn():
        return _print(build_html, below)


@contextmanager
def _browser() -> Iterator[Chromium]:
    """The browser for a print: the one ``start_early`` started, a kept one in a process that
    keeps them (``chromium_kept``), else a new one; ended after the print unless kept."""
    from riskatlas.reports.chromium_kept import keeping, kept_browser

    early = _started_browser()
    if early is None and keeping():
        with kept_browser(prints_at_once()) as browser:
            yield browser
        return
    with early or Chromium() as browser:
        yield browser


def _print(build_html: Callable[[], str], below: int | None) -> bytes:
    with (
        _browser() as browser,
        tempfile.TemporaryDirectory(prefix="riskatlas-pdf-", dir=scratch_dir()) as folder,
    ):
        html = build_html()
        if below is not None and len(html) >= below:
            browser.finished()
            from riskatlas.reports.pdf_parts import render_html_pdf

            return render_html_pdf(html)
        browser.deadline += time_limit(len(html)) - browser.time_limit
        browser.time_limit = time_limit(len(html))
        page = Path(folder) / "report.html"
        body, headings = with_heading_targets(html.split("</head>", 1)[-1])
        page.write_text(chromium_html(html, body), encoding="utf-8")
        browser.navigate(page)
        anchors = contents_anchors(html)
        browser.wait_loaded()
        # While the browser prints: what the numbers and the outline need from Python (pypdf
        # takes 0.1-0.2 s to import; before the HTML, it delayed the print by as much).
        pdf = browser.print_pdf(meanwhile=_import_stamping)
        from riskatlas.reports.pdf_stamp import stamp

        if not anchors:
            browser.finished()
            return stamp(pdf, b"", [], outline=headings)
        return _numbered(browser, pdf, anchors, headings, Path(folder), _right_margin(html))


def _import_stamping() -> None:
    import riskatlas.reports.pdf_leaders
    import riskatlas.reports.pdf_stamp  # noqa: F401


def _numbered(
    browser: Chromium,
    pdf: bytes,
    anchors: list[str],
    headings: list[tuple[int, str, str]],
    folder: Path,
    right_margin: float,
) -> bytes:
    """The printed report with its contents' leaders and numbers stamped in and its outline:
    drawn in the report's own font (``pdf_leaders``), or, if it lacks a glyph, a page of them
    printed by ``browser``; the browser is ended then."""
    from pypdf import PdfReader

    from riskatlas.reports.pdf_leaders import leaders
    from riskatlas.reports.pdf_stamp import stamp

    reader = PdfReader(BytesIO(pdf))
    lines = contents_lines(reader, anchors)
    if len(lines) != len(anchors):
        raise ChromiumError(
            f"the contents' links: {len(lines)} found in Chromium's PDF for {len(anchors)}"
        )
    first = reader.pages[0].mediabox
    width, height = float(first.width), float(first.height)
    places = [(line.page, line.top, line.top + line.height) for line in lines]
    drawings = leaders(reader, lines, width - right_margin)
    if drawings is not None:
        browser.finished()
        return stamp(pdf, b"", places, reader, outline=headings, drawings=drawings)
    sheet = folder / "numbers.html"
    sheet.write_text(numbers_html(lines, (width, height), width - right_margin), encoding="utf-8")
    browser.open(sheet)
    overlay = browser.print_pdf()
    browser.finished()  # it exits while the numbers are stamped in
    return stamp(pdf, overlay, places, reader, outline=headings)


_PAGE_MARGIN = re.compile(r"@page\s*\{[^{}]*?margin:\s*([\d.]+)mm\s+([\d.]+)mm", re.DOTALL)


def _right_margin(html: str) -> float:
    """The pages' right margin in points, from the print CSS's first ``@page`` rule."""
    found = _PAGE_MARGIN.search(html)
    return float(found.group(2)) * PT_PER_MM if found else 17 * PT_PER_MM


__all__ = ["ChromiumError", "engine", "render_chromium_pdf"]
