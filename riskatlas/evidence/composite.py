"""A transparent composite index engine (INFORM-style), driven by a data file.

An index file names its indicators (where each value comes from, its transform and fixed
goalposts) and a tree of components, each aggregating its children with weights and one of
the methods below. Indicator values are scaled to 0–10 (10 = worst); missing children are
left out of their parent's aggregation and the remaining weights renormalised.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


def _mean(values: Sequence[float], weights: Sequence[float]) -> float:
    return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)


def _geometric(values: Sequence[float], weights: Sequence[float]) -> float:
    if any(v <= 0 for v in values):
        return 0.0
    logs = sum(math.log(v) * w for v, w in zip(values, weights, strict=True))
    return math.exp(logs / sum(weights))


def _inform_geometric(values: Sequence[float], weights: Sequence[float]) -> float:
    """INFORM's aggregation of hazards: 11 − (Π (11 − xᵢ)^wᵢ)^(1/Σw): high values dominate."""
    logs = sum(math.log(11 - v) * w for v, w in zip(values, weights, strict=True))
    return 11 - math.exp(logs / sum(weights))


def _maximum(values: Sequence[float], weights: Sequence[float]) -> float:
    return max(values)


AGGREGATIONS: dict[str, Callable[[Sequence[float], Sequence[float]], float]] = {
    "mean": _mean,
    "geometric": _geometric,
    "inform_geometric": _inform_geometric,
    "max": _maximum,
}


@dataclass(frozen=True)
class Indicator:
    id: str
    source: Mapping[str, Any]
    transform: str = "none"  # none | log (log10(x + 1))
    goalposts: tuple[float, float] | None = None  # raw values scored 0 and 10 (None: as is)
    invert: bool = False  # higher raw value = less dangerous
    description: str = ""

    def score(self, raw: float) -> float:
        """The raw value on the 0–10 scale: transform, goalposts, clamp, invert."""
        if self.goalposts is None:
            value = raw
        else:
            low, high = (self._t(g) for g in self.goalposts)
            value = (self._t(raw) - low) / (high - low) * 10
        value = min(10.0, max(0.0, value))
        return 10 - value if self.invert else value

    def _t(self, x: float) -> float:
        return math.log10(max(x, 0.0) + 1) if self.transform == "log" else x


@dataclass(frozen=True)
class Component:
    id: str
    aggregation: str
    children: tuple[str, ...]
    weights: tuple[float, ...]
    min_children: int = 1
    description: str = ""


@dataclass(frozen=True)
class CompositeIndex:
    id: str
    name: str
    top: str
    domains: tuple[str, ...]
    indicators: Mapping[str, Indicator]
    components: Mapping[str, Component]
    notes: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CompositeIndex:
        indicators = {}
        for key, spec in (data.get("indicators") or {}).items():
            goalposts = spec.get("goalposts")
            indicators[key] = Indicator(
                id=key,
                source=spec.get("source") or {},
                transform=spec.get("transform", "none"),
                goalposts=(float(goalposts[0]), float(goalposts[1])) if goalposts else None,
                invert=bool(spec.get("invert", False)),
                description=spec.get("description", ""),
            )
        components = {}
        for key, spec in data["components"].items():
            children = spec["of"]
            if isinstance(children, Mapping):
                names, weights = tuple(children), tuple(float(w) for w in children.values())
            else:
                names, weights = tuple(children), tuple(1.0 for _ in children)
            if any(w < 0 for w in weights):
                raise ValueError(f"{data['id']}: component {key}: negative weight")
            if spec["aggregation"] not in AGGREGATIONS:
                raise ValueError(
                    f"{data['id']}: component {key}: unknown aggregation {spec['aggregation']!r};"
                    f" known: {', '.join(AGGREGATIONS)}"
                )
            components[key] = Component(
                key, spec["aggregation"], names, weights, int(spec.get("min_children", 1)),
                spec.get("description", ""),
            )  # fmt: skip
        index = cls(
            id=data["id"],
            name=data.get("name", data["id"]),
            top=data["top"],
            domains=tuple(data.get("domains") or ()),
            indicators=indicators,
            components=components,
            notes=data.get("notes", ""),
            extra={k: v for k, v in data.items() if k not in {"indicators", "components"}},
        )
        index.check()
        return index

    def check(self) -> None:
        clash = set(self.indicators) & set(self.components)
        if clash:
            raise ValueError(
                f"{self.id}: names used for an indicator and a component: {sorted(clash)}"
            )
        known = set(self.indicators) | set(self.components)
        for component in self.components.values():
            for child in component.children:
                if child not in known:
                    raise ValueError(
                        f"{self.id}: component {component.id}: unknown child {child!r}"
                    )
        if self.top not in self.components:
            raise ValueError(f"{self.id}: top component {self.top!r} is not defined")

    def compute(self, raw: Mapping[str, float | None]) -> dict[str, float | None]:
        """Every indicator score and component value for one country (None when missing).

        ``raw`` holds the raw indicator values; an indicator with no goalposts takes its value
        as already on the 0–10 scale, and a component value may be given directly in ``raw``
        (used when a published score stands in for a sub-tree).
        """
        values: dict[str, float | None] = {}

        def value(node: str) -> float | None:
            if node in values:
                return values[node]
            if node in self.indicators:
                x = raw.get(node)
                values[node] = None if x is None else self.indicators[node].score(float(x))
                return values[node]
            component = self.components[node]
            pairs = [
                (value(c), w) for c, w in zip(component.children, component.weights, strict=True)
            ]
            present = [(v, w) for v, w in pairs if v is not None and w > 0]
            if len(present) < component.min_children:
                values[node] = raw.get(node)
            else:
                values[node] = AGGREGATIONS[component.aggregation](
                    [v for v, _ in present], [w for _, w in present]
                )
            return values[node]

        for node in [*self.indicators, *self.components]:
            value(node)
        return values
