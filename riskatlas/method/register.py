"""The risk register: every risk of an assessment rated on the assessment's own matrix,
numbered worst first, and the summary shown beside an assessment (overall level, top risk,
risks by residual level).

Everything here works on a normalised interchange document (a plain dict) and is cheap: no
citations, dates or glossary, so a version's summary can be derived whenever it changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskatlas.method.areas import area_names, overall_level
from riskatlas.method.levels import SecurityLevel
from riskatlas.method.matrix import Matrix
from riskatlas.method.scoring import Rating, score_risk
from riskatlas.method.taxonomy import Category, default_taxonomy


@dataclass(frozen=True)
class Measure:
    """A mitigation measure named in the assessment's mitigation library."""

    code: str
    name: str


@dataclass
class RatedRisk:
    """One risk of the register with its ratings; ``number`` is its place, worst first."""

    number: int
    id: str
    title: str
    category: Category
    area: str
    area_name: str
    exposed: list[str]
    circumstance: str
    inherent: Rating
    current: Rating | None
    residual: Rating
    trend: str
    confidence: str
    rationale: str
    owner: str
    measures: list[Measure]

    @property
    def label(self) -> str:
        return f"R{self.number}"


def worst_first(risk: RatedRisk) -> tuple[int, int, int, int, str]:
    """The register's order: highest residual level and score first, then highest inherent
    level and score, then by title."""
    return (
        -risk.residual.level.rank,
        -risk.residual.score,
        -risk.inherent.level.rank,
        -risk.inherent.score,
        risk.title,
    )


def measures_of(doc: dict[str, Any]) -> dict[str, Measure]:
    """The document's mitigation library by code."""
    return {m["code"]: Measure(m["code"], m["name"]) for m in doc.get("mitigations") or []}


def group_names(doc: dict[str, Any]) -> dict[str, str]:
    """The names of the exposed groups by id."""
    exposure = doc.get("exposure") or {}
    return {g["id"]: g["name"] for g in exposure.get("groups") or []}


def _pair(rating: dict[str, int] | None) -> tuple[int, int] | None:
    return (int(rating["likelihood"]), int(rating["impact"])) if rating else None


def _rated(
    risk: dict[str, Any],
    matrix: Matrix,
    names: dict[str, str],
    groups: dict[str, str],
    measures: dict[str, Measure],
) -> RatedRisk:
    scores = score_risk(
        matrix,
        inherent=_pair(risk["inherent"]),  # type: ignore[arg-type]
        residual=_pair(risk.get("residual")),
        current=_pair(risk.get("current")),
    )
    return RatedRisk(
        number=0,
        id=risk["id"],
        title=risk["title"],
        category=default_taxonomy().get(risk["category"]),
        area=risk["area"],
        area_name=names.get(risk["area"], risk["area"]),
        exposed=[groups.get(g, g) for g in risk.get("exposed") or []],
        circumstance=risk.get("circumstance", ""),
        inherent=scores.inherent,
        current=scores.current,
        residual=scores.residual,
        trend=risk.get("trend", ""),
        confidence=risk.get("confidence", ""),
        rationale=risk.get("rationale") or "",  # a stored empty one is left out on export
        owner=risk.get("owner", ""),
        measures=[measures.get(c, Measure(c, c)) for c in risk.get("measures") or []],
    )


def rate_risks(doc: dict[str, Any], matrix: Matrix | None = None) -> list[RatedRisk]:
    """Every risk of a normalised document rated on its matrix (``matrix`` when already
    read from ``doc["matrix"]``), worst first and numbered from 1."""
    matrix = matrix or Matrix.from_dict(doc["matrix"])
    names, groups, measures = area_names(doc), group_names(doc), measures_of(doc)
    rated = [_rated(r, matrix, names, groups, measures) for r in doc.get("risks") or []]
    rated.sort(key=worst_first)
    for number, risk in enumerate(rated, start=1):
        risk.number = number
    return rated


@dataclass(frozen=True)
class RegisterSummary:
    """What a list of assessments shows about one version: the country's security level,
    the top risk of the register and how many risks sit at each residual level."""

    level: SecurityLevel | None
    top_risk: RatedRisk | None
    by_residual_level: dict[str, int]  # matrix level code -> risks, every level, lowest first
    risks: int


def summarise(doc: dict[str, Any]) -> RegisterSummary:
    """The register summary of a normalised document: the same overall level and top risk
    as its report shows, without building the report."""
    matrix = Matrix.from_dict(doc["matrix"])
    risks = rate_risks(doc, matrix)
    counts = {lv.code: 0 for lv in sorted(matrix.levels, key=lambda lv: lv.rank)}
    for risk in risks:
        counts[risk.residual.level.code] += 1
    return RegisterSummary(
        level=overall_level(doc, risks).level,
        top_risk=risks[0] if risks else None,
        by_residual_level=counts,
        risks=len(risks),
    )


def unexplained_reductions(risks: list[RatedRisk]) -> list[str]:
    """The risks whose residual level is below their inherent level though no measure is
    recorded against them, in words, worst first: what brings the level down is not said."""
    return [
        f"{r.label} “{r.title}”: residual {r.residual.level.name} below its inherent "
        f"{r.inherent.level.name} with no measure recorded"
        for r in sorted(risks, key=lambda r: r.number)
        if not r.measures and r.residual.level.rank < r.inherent.level.rank
    ]
