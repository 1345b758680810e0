"""The glossary annex: the taxonomy, the scales, the matrix levels, the security levels and the
Admiralty tables, read from the method's data so the report always explains the method used."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskatlas.method import Category, Matrix, MatrixLevel, ScalePoint, default_taxonomy
from riskatlas.method._data import load_data
from riskatlas.method.levels import SecurityLevel, security_levels
from riskatlas.method.scales import impact_scale, likelihood_scale


@dataclass(frozen=True)
class Term:
    code: str
    name: str
    description: str


@dataclass(frozen=True)
class Glossary:
    categories: tuple[Category, ...]
    likelihood: tuple[ScalePoint, ...]
    impact: tuple[ScalePoint, ...]
    matrix_levels: tuple[MatrixLevel, ...]
    security_levels: tuple[SecurityLevel, ...]
    reliability: tuple[Term, ...]
    credibility: tuple[Term, ...]
    confidence: tuple[Term, ...]
    trend: tuple[Term, ...]


def _terms(rows: list[dict[str, Any]], code: str = "code") -> tuple[Term, ...]:
    return tuple(
        Term(str(r[code]), str(r.get("name", r[code])), r.get("description", "")) for r in rows
    )


def probability_text(point: ScalePoint) -> str:
    if point.probability is None:
        return ""
    low, high = (round(p * 100) for p in point.probability)
    if low == 0:
        return f"< {high} %"
    if high == 100:
        return f"> {low} %"
    return f"{low}–{high} %"


def glossary(matrix: Matrix) -> Glossary:
    admiralty = load_data("admiralty.yaml")
    scales = load_data("scales.yaml")
    return Glossary(
        categories=default_taxonomy().categories,
        likelihood=likelihood_scale().points,
        impact=impact_scale().points,
        matrix_levels=tuple(sorted(matrix.levels, key=lambda lv: lv.rank)),
        security_levels=security_levels(),
        reliability=_terms(admiralty["reliability"]),
        credibility=_terms(admiralty["credibility"]),
        confidence=_terms(scales["confidence"], "value"),
        trend=_terms(scales["trend"], "value"),
    )
