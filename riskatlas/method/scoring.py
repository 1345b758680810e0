"""Scoring a risk: inherent, current and residual ratings on a matrix."""

from __future__ import annotations

from dataclasses import dataclass

from riskatlas.method.matrix import Matrix, MatrixLevel
from riskatlas.method.scales import impact_scale, likelihood_scale


@dataclass(frozen=True)
class Rating:
    """One likelihood × impact judgement placed on a matrix."""

    likelihood: int
    impact: int
    level: MatrixLevel

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    def describe(self) -> str:
        return (
            f"{self.level.name} (likelihood {likelihood_scale().describe(self.likelihood)}, "
            f"impact {impact_scale().describe(self.impact)})"
        )


def rate(matrix: Matrix, likelihood: int, impact: int) -> Rating:
    return Rating(likelihood, impact, matrix.level(likelihood, impact))


@dataclass(frozen=True)
class RiskScores:
    inherent: Rating
    current: Rating | None
    residual: Rating

    @property
    def reduction(self) -> int:
        """How many matrix levels the measures take off the inherent level."""
        return self.inherent.level.rank - self.residual.level.rank


def score_risk(
    matrix: Matrix,
    inherent: tuple[int, int],
    residual: tuple[int, int] | None = None,
    current: tuple[int, int] | None = None,
) -> RiskScores:
    """Rate a risk. Each argument is (likelihood, impact); residual defaults to current,
    then to inherent (no measures)."""
    inh = rate(matrix, *inherent)
    cur = rate(matrix, *current) if current else None
    res = rate(matrix, *residual) if residual is not None else cur or inh
    return RiskScores(inherent=inh, current=cur, residual=res)
