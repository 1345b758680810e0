"""Paragraphs and their threat categories.

A paragraph is about the category whose cues weigh most in it (and any other within
``DOMINANCE`` of it). Reports keep to one subject for several paragraphs, so each paragraph
also inherits ``CONTEXT`` of the weights before it: a paragraph without cues of its own
("Stay alert and vary your routes.") continues the topic, and an ambiguous one leans to it.
Each category's weight is capped at ``CONTEXT_CAP`` before it is carried, so a long paragraph
full of crime words does not outweigh "Kidnapping is a risk across Kenya." after it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from riskatlas.extraction.categories import CategoryScore, category_cues

#: The weight (own cues plus context) a paragraph needs for a category.
PARAGRAPH_THRESHOLD = 0.6
#: Other categories are kept when they weigh at least this share of the top one.
DOMINANCE = 0.9
#: The share of the previous paragraphs' weights carried into the next one...
CONTEXT = 0.35
#: ...each category's weight capped at this before it is carried.
CONTEXT_CAP = 2.5

_HEADING = re.compile(r"^\s*#{1,6}\s")
_LIST_ITEM = re.compile(r"^\s*(?:[*+\-•]|\d{1,3}[.)])\s+")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)|<?https?://[^\s>)]+>?")


def mask_links(text: str) -> str:
    """``text`` with link targets and URLs blanked out, same length (offsets unchanged)."""
    return _LINK_TARGET.sub(
        lambda m: (
            "]" + " " * (len(m.group()) - 1) if m.group().startswith("]") else " " * len(m.group())
        ),
        text,
    )


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks between blank lines and headings; a list joins
    the paragraph that leads into it."""
    spans: list[tuple[int, int, bool]] = []
    start = end = None
    is_list = True

    def close() -> None:
        nonlocal start, end, is_list
        if start is not None and end is not None:
            if is_list and spans and not spans[-1][2]:
                spans[-1] = (spans[-1][0], end, False)
            else:
                spans.append((start, end, False))
        start = end = None
        is_list = True

    offset = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if not body.strip():
            close()
        elif _HEADING.match(body):
            close()
            spans.append((offset, offset + len(body), True))
        else:
            if start is None:
                start = offset + len(body) - len(body.lstrip())
            end = offset + len(body.rstrip())
            is_list = is_list and bool(_LIST_ITEM.match(body))
        offset += len(line)
    close()
    return [(s, e) for s, e, heading in spans if not heading]


def weigh(text: str) -> dict[str, float]:
    """Summed cue weights per category in ``text``."""
    weights: dict[str, float] = defaultdict(float)
    for _, _, code, weight in category_cues(mask_links(text)):
        weights[code] += weight
    return dict(weights)


def paragraph_categories(
    texts: list[str], own: list[dict[str, float]] | None = None
) -> list[list[CategoryScore]]:
    """Categories of consecutive paragraphs, each scored by its share of the weight.
    ``own`` are the paragraphs' own weights (``weigh``) when already known."""
    result: list[list[CategoryScore]] = []
    context: dict[str, float] = {}
    for i, text in enumerate(texts):
        weights = dict(own[i]) if own is not None else weigh(text)
        for code, weight in context.items():
            weights[code] = weights.get(code, 0.0) + CONTEXT * min(weight, CONTEXT_CAP)
        context = weights
        top = max(weights.values(), default=0.0)
        total = sum(weights.values())
        kept = [
            CategoryScore(code, round(weight / total, 3))
            for code, weight in weights.items()
            if weight >= PARAGRAPH_THRESHOLD and weight >= DOMINANCE * top
        ]
        kept.sort(key=lambda c: (-c.score, c.code))
        result.append(kept)
    return result
