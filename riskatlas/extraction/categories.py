"""Threat categories per sentence: weighted cue phrases from ``data/categories.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from riskatlas.extraction.lexicon import load_lexicon

#: A sentence carries a category when its combined cue score reaches this.
SENTENCE_THRESHOLD = 0.5


@dataclass(frozen=True)
class CategoryScore:
    code: str
    score: float


_TOKEN = re.compile(r"\w+(?:['’]\w+)*")


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]  # each word exact, or a stem when ``stars`` says so
    stars: tuple[bool, ...]
    cues: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class CueLexicon:
    """Phrases indexed by their first word (exact) or first stem (``word*``)."""

    exact: dict[str, list[_Phrase]]
    stems: dict[str, list[_Phrase]]
    longest_stem: int


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
                slot = by_phrase.setdefault(_normal(str(phrase)), {})
                slot[code] = max(slot.get(code, 0.0), float(weight))
    for phrase in data.get("block", []):
        by_phrase.setdefault(_normal(str(phrase)), {})
    exact: dict[str, list[_Phrase]] = {}
    stems: dict[str, list[_Phrase]] = {}
    for text, cues in by_phrase.items():
        raw = text.replace("-", " ").split()
        words = tuple(w.rstrip("*") for w in raw)
        stars = tuple(w.endswith("*") for w in raw)
        phrase = _Phrase(words, stars, tuple(sorted(cues.items())))
        (stems if stars[0] else exact).setdefault(words[0], []).append(phrase)
    for table in (exact, stems):
        for phrases in table.values():
            phrases.sort(key=lambda p: -len(p.words))
    return CueLexicon(exact, stems, max((len(k) for k in stems), default=0))


def _normal(text: str) -> str:
    return text.lower().replace("’", "'").strip()


def _word_matches(token: str, word: str, star: bool) -> bool:
    return token.startswith(word) if star else token == word


def category_cues(text: str) -> list[tuple[int, int, str, float]]:
    """Every cue in ``text``: (start, end, code, weight). At each word the longest phrase
    wins and its words are not read again."""
    lexicon = cue_lexicon()
    tokens = [(m.start(), m.end(), _normal(m.group())) for m in _TOKEN.finditer(text)]
    found: list[tuple[int, int, str, float]] = []
    i = 0
    while i < len(tokens):
        token = tokens[i][2]
        candidates = list(lexicon.exact.get(token, ()))
        for size in range(min(len(token), lexicon.longest_stem), 0, -1):
            candidates.extend(lexicon.stems.get(token[:size], ()))
        best: _Phrase | None = None
        for phrase in candidates:
            n = len(phrase.words)
            if best is not None and n <= len(best.words):
                continue
            if i + n <= len(tokens) and all(
                _word_matches(tokens[i + k][2], phrase.words[k], phrase.stars[k]) for k in range(n)
            ):
                best = phrase
        if best is None:
            i += 1
            continue
        last = i + len(best.words) - 1
        for code, weight in best.cues:
            found.append((tokens[i][0], tokens[last][1], code, weight))
        i = last + 1
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
