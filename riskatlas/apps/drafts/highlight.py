"""The report's text as HTML with every proposed item marked, built from offsets.

Pure Python. The text is cut at every item boundary; each piece is escaped on its own and
wrapped in one ``<mark>`` naming the items that cover it, so overlapping items (a trend cue
inside a threat sentence) never produce broken or nested markup, and nothing in the text is
ever read as HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from itertools import pairwise


@dataclass(frozen=True)
class Span:
    item_id: int
    kind: str
    start: int
    end: int
    status: str = "proposed"


def highlighted_html(text: str, spans: Iterable[Span]) -> str:
    """``text`` escaped, with ``<mark class="draft draft-KIND …" data-items="ID …">`` around
    each stretch covered by items; the innermost (shortest) item's kind comes first, a
    threat sentence last among equals."""
    marks = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in marks), *(s.end for s in marks)})
    starting: dict[int, list[Span]] = {}
    for span in marks:
        starting.setdefault(span.start, []).append(span)
    active: list[Span] = []
    out: list[str] = []
    for left, right in pairwise(cuts):
        active = [s for s in active if s.end > left] + starting.get(left, [])
        piece = escape(text[left:right])
        if not active:
            out.append(piece)
            continue
        covering = sorted(active, key=lambda s: (s.end - s.start, s.kind == "category", s.item_id))
        kinds = list(dict.fromkeys(f"draft-{s.kind}" for s in covering))
        classes = " ".join(["draft", *kinds, f"is-{covering[0].status}"])
        ids = " ".join(str(s.item_id) for s in covering)
        out.append(f'<mark class="{escape(classes)}" data-items="{escape(ids)}">{piece}</mark>')
    return "".join(out)
