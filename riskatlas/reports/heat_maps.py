"""The heat maps of the register (inherent and residual): how many risks, and which, sit in
each cell of the assessment's matrix."""

from __future__ import annotations

from dataclasses import dataclass

from riskatlas.method import Matrix, MatrixLevel
from riskatlas.method.register import RatedRisk


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    level: MatrixLevel
    risks: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.risks)


@dataclass(frozen=True)
class HeatMap:
    kind: str  # "inherent" or "residual"
    likelihood_values: tuple[int, ...]
    impact_values: tuple[int, ...]
    cells: tuple[HeatCell, ...]  # impact descending, likelihood ascending, as drawn

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells)

    def cell(self, likelihood: int, impact: int) -> HeatCell:
        return next(c for c in self.cells if (c.likelihood, c.impact) == (likelihood, impact))


def heat_map(kind: str, matrix: Matrix, risks: list[RatedRisk]) -> HeatMap:
    """The ``kind`` ("inherent" or "residual") ratings of ``risks`` counted on ``matrix``."""
    cells = []
    for likelihood, impact, level in matrix.cells():
        numbers = tuple(
            r.number
            for r in risks
            if (getattr(r, kind).likelihood, getattr(r, kind).impact) == (likelihood, impact)
        )
        cells.append(HeatCell(likelihood, impact, level, numbers))
    return HeatMap(kind, matrix.likelihood_values, matrix.impact_values, tuple(cells))
