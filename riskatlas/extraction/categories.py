"""Threat categories per sentence: weighted cue phrases from ``data/categories.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from riskatlas.extraction.lexicon import load_lexicon, phrase_pattern

#: A sentence carries a category when its combined cue score reaches this.
SENTENCE_THRESHOLD = 0.5


@dataclass(frozen=True)
class CategoryScore:
    code: str
    score: float


@dataclass(frozen=True)
class CueLexicon:
    pattern: re.Pattern[str]
    #: for each capturing group (1-based), the (code, weight) pairs of its phrase
    cues: tuple[tuple[tuple[str, float], ...], ...]


@cache
def cue_lexicon() -> CueLexicon:
    from riskatlas.method import default_taxonomy

    data = load_lexicon("categories.yaml")
    known = set(default_taxonomy().codes)
    by_phrase: dict[str, dict[str, float]] = {}
    for code, levels in data["categories"].items():
        if code not in known:
            raise ValueError(f"categories.yaml: {code!r} is not a taxonomy code")
        for weight, phrases in levels.items():
            for phrase in phrases:
                slot = by_phrase.setdefault(str(phrase).lower(), {})
                slot[code] = max(slot.get(code, 0.0), float(weight))
    for phrase in data.get("block", []):
        by_phrase.setdefault(str(phrase).lower(), {})
    ordered = sorted(by_phrase, key=lambda p: (-len(p), p))
    groups = "|".join(f"({phrase_pattern(p)})" for p in ordered)
    pattern = re.compile(r"(?<![\w-])(?:" + groups + r")(?![\w])", re.IGNORECASE)
    cues = tuple(tuple(sorted(by_phrase[p].items())) for p in ordered)
    return CueLexicon(pattern, cues)


def category_cues(text: str) -> list[tuple[int, int, str, float]]:
    """Every cue in ``text``: (start, end, code, weight)."""
    lexicon = cue_lexicon()
    found = []
    for match in lexicon.pattern.finditer(text):
        group = match.lastindex
        if group is None:  # pragma: no cover - every alternative is a group
            continue
        for code, weight in lexicon.cues[group - 1]:
            found.append((match.start(), match.end(), code, weight))
    return found


def combine(cues: list[tuple[int, int, str, float]]) -> dict[str, float]:
    """Noisy-or of cue weights per category (a phrase counts once per text)."""
    seen: set[tuple[str, str]] = set()
    remaining: dict[str, float] = {}
    for start, end, code, weight in cues:
        key = (code, f"{start}:{end}")
        if key in seen:
            continue
        seen.add(key)
        remaining[code] = remaining.get(code, 1.0) * (1.0 - weight)
    return {code: round(1.0 - left, 3) for code, left in remaining.items()}


def score_categories(text: str, threshold: float = SENTENCE_THRESHOLD) -> list[CategoryScore]:
    """The categories whose cues in ``text`` reach ``threshold``, best first."""
    scores = combine(category_cues(text))
    kept = [CategoryScore(code, score) for code, score in scores.items() if score >= threshold]
    return sorted(kept, key=lambda c: (-c.score, c.code))
