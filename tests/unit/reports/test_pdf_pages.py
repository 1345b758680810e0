"""The Peru report's PDF as a reader turns its pages, read back with pypdf: no page but the
last is left mostly empty (the tail of a table or of a column pushed onto a page of its own by
the next section's page break), and no heading, nor a label that heads a list, ends its column
on a page, away from what it heads.

A line's place is its baseline, in points from the page's top, from the text's matrices; the
running header and footer are left out. Text only: a page with nothing but a map or a chart
would count as empty (the report has none)."""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from riskatlas.reports.render import _html

RUNNING_BAND = 56.0  # points from the page's top or bottom edge: the running header and footer
COLUMN_WIDTH = 200.0  # points right of a line's start that still count as its column
NUMBER_WIDTH = 30.0  # points left of a heading's text: its number ("12 Comparison…")
LEAST_FILLED = 1 / 3  # of the text area: from the first line any page has to the lowest


@dataclass(frozen=True)
class Run:
    """A piece of text on a page: its baseline and left edge (points from the page's top and
    left), whether its font is bold, its text."""

    top: float
    left: float
    bold: bool
    text: str


def page_runs(data: bytes) -> list[list[Run]]:
    """Each page's text runs, the running header and footer left out."""
    return [runs_of(page) for page in PdfReader(BytesIO(data)).pages]


def runs_of(page: Any) -> list[Run]:
    height = float(page.mediabox.height)
    runs: list[Run] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        top = height - (tm[4] * cm[1] + tm[5] * cm[3] + cm[5])
        if text.strip() and RUNNING_BAND < top < height - RUNNING_BAND:
            bold = "Bold" in str((font or {}).get("/BaseFont", ""))
            runs.append(Run(top, x, bold, " ".join(text.split())))

    page.extract_text(visitor_text=visit)
    return runs


def heads(html: str) -> dict[str, int]:
    """The text of every heading below the title (without its number: "Actors") and its level
    (2 to 4), and of the labels that head a list (a source's quoted evidence, a threat's
    incident history: level 5)."""
    html = re.sub(r'<span class="num">.*?</span>', "", html)
    found = [(int(level), text) for level, text in _HEADING.findall(html)]
    found += [(5, text) for text in _LABEL.findall(html)]
    texts = {" ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", t)).split()): n for n, t in found}
    return {text: texts[text] for text in sorted(texts, key=len, reverse=True) if text}


_HEADING = re.compile(r"<h([2-4])\b[^>]*>(.*?)</h[2-4]>", re.DOTALL)
_LABEL = re.compile(r'<p class="(?:sub|evidence-source)">(.*?)</p>', re.DOTALL)


def starts(head: str, run: str) -> bool:
    """Whether a run is the start of a heading's text (whole words, any case)."""
    head, run = head.casefold(), run.casefold()
    return head.startswith(run) and (len(head) == len(run) or not head[len(run)].isalnum())


@pytest.fixture(scope="module")
def pages(peru_pdf: bytes) -> list[list[Run]]:
    return page_runs(peru_pdf)


def test_no_page_is_left_mostly_empty(pages: list[list[Run]]) -> None:
    # The text area: the first and the lowest baseline of any page but the cover.
    top = min(run.top for runs in pages[1:] for run in runs)
    bottom = max(run.top for runs in pages[1:] for run in runs)
    last = len(pages)
    filled = {
        number: (max(run.top for run in runs) - top) / (bottom - top)
        for number, runs in enumerate(pages, start=1)
        if runs and 1 < number < last
    }
    assert len(filled) == last - 2  # no page but the cover without text
    short = {number: f"{share:.0%}" for number, share in filled.items() if share < LEAST_FILLED}
    assert short == {}, f"pages filled less than a third (page: share): {short}"


def outline_pages(data: bytes) -> dict[str, set[int]]:
    """The pages (from 1) each bookmark's title lands on; titles without their spaces, in
    lower case."""
    reader = PdfReader(BytesIO(data))
    found: dict[str, set[int]] = {}

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                page = (reader.get_destination_page_number(item) or 0) + 1
                found.setdefault(squeezed(item.title), set()).add(page)

    walk(reader.outline)
    return found


def squeezed(text: str) -> str:
    return "".join(text.split()).casefold()


def test_every_heading_heads_something_on_its_page(
    pages: list[list[Run]], peru: dict[str, Any], peru_pdf: bytes
) -> None:
    """Below a heading, in its column and on its page, comes what it heads: not nothing, nor
    a heading of its own level or above (a source's label at the foot of a column of quoted
    evidence, followed there by the judgements' heading, its quotes in the next column)."""
    levels = heads(_html(peru, "pdf"))
    assert levels["Judgements"] == 4 and levels["Actors"] == 2
    assert any(text.startswith("[2] Official data") for text in levels)

    bookmarks = outline_pages(peru_pdf)

    def on_page(text: str, number: int) -> bool:
        """A label is on any page; a heading where its bookmark is (not a table's cell)."""
        return levels[text] == 5 or any(
            title.endswith(squeezed(text)) and number in found for title, found in bookmarks.items()
        )

    def head_of(run: Run, number: int) -> str | None:
        if not run.bold or not re.search(r"[^\W\d]{3}", run.text):  # "5" heads nothing
            return None
        return next(
            (text for text in levels if starts(text, run.text) and on_page(text, number)), None
        )

    seen = 0
    stranded = []
    for number, runs in enumerate(pages, start=1):
        for run in runs:
            head = head_of(run, number)
            if head is None:
                continue
            seen += 1
            below = sorted(
                (
                    other
                    for other in runs
                    if other.top > run.top + 1
                    and run.left - NUMBER_WIDTH <= other.left <= run.left + COLUMN_WIDTH
                    and not (other.bold and other.text.casefold() in head.casefold())
                ),
                key=lambda other: (other.top, other.left),
            )
            following = head_of(below[0], number) if below else None
            if not below or (following is not None and levels[following] <= levels[head]):
                stranded.append((number, head, following))
    assert seen > 100  # the headings were found on the pages (130 of them)
    assert stranded == []
