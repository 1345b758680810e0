"""Linking a recommendation to the closest measure of the method's mitigation library."""

from __future__ import annotations

import re
from functools import cache

_WORD = re.compile(r"[a-z]{4,}")
_COMMON = frozenset(
    [
        "with",
        "from",
        "that",
        "this",
        "have",
        "been",
        "will",
        "only",
        "every",
        "before",
        "after",
        "when",
        "where",
        "into",
        "their",
        "there",
        "about",
        "other",
        "which",
        "staff",
        "area",
        "areas",
        "travel",
        "trip",
        "also",
        "more",
        "most",
        "such",
        "than",
        "them",
        "they",
    ]
)


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in _COMMON}


@cache
def _library() -> tuple[tuple[str, str, frozenset[str], frozenset[str]], ...]:
    from riskatlas.method.mitigations import mitigation_library

    return tuple(
        (m.code, m.name, frozenset(_stems(m.name)), frozenset(_stems(m.description)))
        for m in mitigation_library()
    )


def closest_mitigation(sentence: str) -> dict[str, str] | None:
    """The library measure sharing most words with ``sentence`` (name words count double),
    when it shares at least two with the name or three in all; else None."""
    words = _stems(sentence)
    best: tuple[int, str, str] | None = None
    for code, name, name_words, description_words in _library():
        in_name = len(words & name_words)
        score = 2 * in_name + len(words & (description_words - name_words))
        if (in_name >= 2 or score >= 4) and (best is None or score > best[0]):
            best = (score, code, name)
    return {"code": best[1], "name": best[2]} if best else None
