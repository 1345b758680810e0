"""Likelihood and impact scales, and ICD 203 estimative language mapped onto likelihood."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from riskatlas.method._data import load_data


@dataclass(frozen=True)
class ScalePoint:
    value: int
    name: str
    description: str = ""
    probability: tuple[float, float] | None = None

    @property
    def label(self) -> str:
        return f"{self.value} ({self.name})"


@dataclass(frozen=True)
class Scale:
    name: str
    points: tuple[ScalePoint, ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(p.value for p in self.points)

    def point(self, value: int) -> ScalePoint:
        for p in self.points:
            if p.value == value:
                return p
        raise ValueError(
            f"{self.name} must be one of {', '.join(map(str, self.values))}, not {value!r}"
        )

    def describe(self, value: int) -> str:
        return self.point(value).label


def _scale(name: str) -> Scale:
    points = []
    for p in load_data("scales.yaml")[name]:
        prob = p.get("probability")
        points.append(
            ScalePoint(
                value=int(p["value"]),
                name=p["name"],
                description=p.get("description", ""),
                probability=(float(prob[0]), float(prob[1])) if prob else None,
            )
        )
    return Scale(name=name, points=tuple(points))


@cache
def likelihood_scale() -> Scale:
    return _scale("likelihood")


@cache
def impact_scale() -> Scale:
    return _scale("impact")


@cache
def vocabulary(name: str) -> tuple[str, ...]:
    """Allowed values of a word scale in ``scales.yaml`` (``confidence``, ``trend``)."""
    return tuple(str(v["value"]) for v in load_data("scales.yaml")[name])


def likelihood_from_probability(probability: float) -> int:
    """The likelihood value whose probability band holds ``probability`` (0..1)."""
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must be between 0 and 1, not {probability}")
    for p in likelihood_scale().points:
        assert p.probability is not None
        low, high = p.probability
        if low <= probability < high or (probability == 1.0 and high == 1.0):
            return p.value
    raise ValueError(f"no likelihood band holds {probability}")  # pragma: no cover


@dataclass(frozen=True)
class EstimativeTerm:
    words: tuple[str, ...]
    probability: tuple[float, float]
    likelihood: int


@cache
def estimative_terms() -> tuple[EstimativeTerm, ...]:
    return tuple(
        EstimativeTerm(
            words=tuple(t["words"]),
            probability=(float(t["probability"][0]), float(t["probability"][1])),
            likelihood=int(t["likelihood"]),
        )
        for t in load_data("estimative_language.yaml")["terms"]
    )


@cache
def _estimative_pattern() -> tuple[re.Pattern[str], dict[str, EstimativeTerm]]:
    by_word = {w.lower(): t for t in estimative_terms() for w in t.words}
    # Longest phrases first so "very unlikely" wins over "unlikely".
    alternatives = sorted(by_word, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(a) for a in alternatives) + r")\b", re.I)
    return pattern, by_word


def likelihood_from_words(text: str) -> EstimativeTerm | None:
    """The estimative term in ``text`` ("probably", "seems unlikely"…), or None.

    The longest matching phrase wins; among phrases of equal length the first in the text.
    """
    pattern, by_word = _estimative_pattern()
    matches = list(pattern.finditer(text))
    if not matches:
        return None
    best = max(matches, key=lambda m: (len(m.group(1)), -m.start()))
    return by_word[best.group(1).lower()]
