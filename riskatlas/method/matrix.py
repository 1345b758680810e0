"""Risk matrices: versioned data (levels with names and colours + a likelihood × impact grid)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from riskatlas.method._data import load_data


@dataclass(frozen=True)
class MatrixLevel:
    code: str
    name: str
    colour: str
    rank: int


class MatrixError(ValueError):
    """A matrix definition that cannot be used."""


@dataclass(frozen=True)
class Matrix:
    id: str
    version: int
    name: str
    likelihood_values: tuple[int, ...]
    impact_values: tuple[int, ...]
    levels: tuple[MatrixLevel, ...]
    grid: tuple[tuple[str, ...], ...]  # grid[impact index][likelihood index] -> level code

    def level(self, likelihood: int, impact: int) -> MatrixLevel:
        try:
            li = self.likelihood_values.index(likelihood)
        except ValueError:
            raise ValueError(
                f"likelihood must be one of {list(self.likelihood_values)}, not {likelihood!r}"
            ) from None
        try:
            ii = self.impact_values.index(impact)
        except ValueError:
            raise ValueError(
                f"impact must be one of {list(self.impact_values)}, not {impact!r}"
            ) from None
        return self.level_by_code(self.grid[ii][li])

    def level_by_code(self, code: str) -> MatrixLevel:
        for level in self.levels:
            if level.code == code:
                return level
        raise KeyError(f"matrix {self.id} has no level {code!r}")

    def level_by_rank(self, rank: int) -> MatrixLevel:
        for level in self.levels:
            if level.rank == rank:
                return level
        raise KeyError(f"matrix {self.id} has no level of rank {rank}")

    def cells(self) -> list[tuple[int, int, MatrixLevel]]:
        """Every (likelihood, impact, level) cell, impact descending as drawn on a page."""
        return [
            (li, im, self.level(li, im))
            for im in reversed(self.impact_values)
            for li in self.likelihood_values
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "version": self.version,
            "name": self.name,
            "likelihood_values": list(self.likelihood_values),
            "impact_values": list(self.impact_values),
            "levels": [
                {"code": lv.code, "name": lv.name, "colour": lv.colour, "rank": lv.rank}
                for lv in self.levels
            ],
            "grid": [list(row) for row in self.grid],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Matrix:
        try:
            levels = tuple(
                MatrixLevel(
                    code=str(lv["code"]),
                    name=str(lv["name"]),
                    colour=str(lv["colour"]),
                    rank=int(lv["rank"]),
                )
                for lv in data["levels"]
            )
            likelihood_values = tuple(int(v) for v in data["likelihood_values"])
            impact_values = tuple(int(v) for v in data["impact_values"])
            grid = tuple(tuple(str(c) for c in row) for row in data["grid"])
            matrix = cls(
                id=str(data["id"]),
                version=int(data["version"]),
                name=str(data.get("name", data["id"])),
                likelihood_values=likelihood_values,
                impact_values=impact_values,
                levels=levels,
                grid=grid,
            )
        except (KeyError, TypeError) as exc:
            raise MatrixError(f"matrix definition is missing or mistypes {exc}") from exc
        matrix.check()
        return matrix

    def check(self) -> None:
        codes = {lv.code for lv in self.levels}
        if len(codes) != len(self.levels):
            raise MatrixError(f"matrix {self.id}: level codes repeat")
        if len(self.grid) != len(self.impact_values):
            raise MatrixError(
                f"matrix {self.id}: grid has {len(self.grid)} rows for "
                f"{len(self.impact_values)} impact values"
            )
        for i, row in enumerate(self.grid):
            if len(row) != len(self.likelihood_values):
                raise MatrixError(
                    f"matrix {self.id}: grid row {i + 1} has {len(row)} cells for "
                    f"{len(self.likelihood_values)} likelihood values"
                )
            for cell in row:
                if cell not in codes:
                    raise MatrixError(f"matrix {self.id}: grid uses unknown level {cell!r}")


def load_matrix(path: str | Path) -> Matrix:
    with open(path, encoding="utf-8") as fh:
        return Matrix.from_dict(yaml.safe_load(fh))


@cache
def default_matrix() -> Matrix:
    return Matrix.from_dict(load_data("matrices/default-5x5.yaml"))
