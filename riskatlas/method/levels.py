"""Area security levels, derived from residual risks or set by an analyst with a reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from riskatlas.method._data import load_data
from riskatlas.method.matrix import MatrixLevel


@dataclass(frozen=True)
class SecurityLevel:
    value: int
    name: str
    colour: str
    from_risk_rank: int
    approval: str
    mandatory: tuple[str, ...]


@cache
def security_levels() -> tuple[SecurityLevel, ...]:
    out = []
    for lv in load_data("security_levels.yaml")["levels"]:
        out.append(
            SecurityLevel(
                value=int(lv["value"]),
                name=lv["name"],
                colour=lv["colour"],
                from_risk_rank=int(lv["from_risk_rank"]),
                approval=lv["approval"],
                mandatory=tuple(lv.get("mandatory") or ()),
            )
        )
    return tuple(out)


def security_level(value: int) -> SecurityLevel:
    for lv in security_levels():
        if lv.value == value:
            return lv
    raise ValueError(
        f"security level must be one of {[lv.value for lv in security_levels()]}, not {value!r}"
    )


@dataclass(frozen=True)
class AreaLevel:
    derived: SecurityLevel | None
    level: SecurityLevel | None
    overridden: bool
    reason: str
    driving_risks: tuple[Any, ...]

    def describe(self) -> str:
        if self.level is None:
            return "not assessed"
        text = f"{self.level.value} ({self.level.name})"
        if self.overridden:
            derived = f"{self.derived.value} ({self.derived.name})" if self.derived else "none"
            text += f", set by the analyst (derived: {derived}): {self.reason}"
        return text


def area_level(
    residual_levels: Iterable[tuple[Any, MatrixLevel]],
    override: int | None = None,
    reason: str = "",
) -> AreaLevel:
    """The security level of an area from its risks' residual matrix levels.

    ``residual_levels`` holds (risk, residual level) pairs for every risk that applies to the
    area. The area's level follows the highest residual level; ``override`` replaces it, and
    must come with a reason.
    """
    pairs = list(residual_levels)
    derived: SecurityLevel | None = None
    driving: tuple[Any, ...] = ()
    if pairs:
        top = max(level.rank for _, level in pairs)
        driving = tuple(risk for risk, level in pairs if level.rank == top)
        candidates = [lv for lv in security_levels() if lv.from_risk_rank <= top]
        derived = max(candidates, key=lambda lv: lv.from_risk_rank) if candidates else None
    if override is not None:
        if not reason.strip():
            raise ValueError("an area level set by hand needs a reason")
        return AreaLevel(derived, security_level(override), True, reason, driving)
    return AreaLevel(derived, derived, False, "", driving)
