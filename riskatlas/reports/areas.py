"""The report's areas (sections 7 and 11): every area of the assessment with its level, the
risks that count towards it and its named places, and areas sharing a level grouped as one
row. Which risks count towards an area, and the level itself, come from
``riskatlas.method.areas``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from riskatlas.geography import iso_area
from riskatlas.method import AreaLevel
from riskatlas.method.areas import level_of, parts_of, risks_in
from riskatlas.method.register import RatedRisk


@dataclass
class AreaView:
    code: str
    name: str
    description: str
    hot_spot: bool
    no_go: bool
    is_custom: bool
    parts: list[str]
    level: AreaLevel
    risks: list[RatedRisk] = field(default_factory=list)
    places: list[str] = field(default_factory=list)

    @property
    def value(self) -> int:
        return self.level.level.value if self.level.level else 0

    @property
    def driving(self) -> list[RatedRisk]:
        return list(self.level.driving_risks)

    @property
    def top_score(self) -> int:
        return max((r.residual.score for r in self.risks), default=0)


def area_views(
    doc: dict[str, Any], risks: list[RatedRisk], area_names: dict[str, str]
) -> list[AreaView]:
    """Every area of the document with its level, highest level first."""
    parts = parts_of(doc)
    places: dict[str, list[str]] = {}
    for place in doc.get("places") or []:
        places.setdefault(place["area"], []).append(place["name"])
    views = []
    for area in doc.get("areas") or []:
        code = area["code"]
        applying = risks_in(code, risks, parts)
        views.append(
            AreaView(
                code=code,
                name=area_names[code],
                description=area.get("description", ""),
                hot_spot=bool(area.get("hot_spot")),
                no_go=bool(area.get("no_go")),
                is_custom=bool(area.get("parts")),
                parts=[area_names.get(p) or _iso_name(p) for p in area.get("parts") or []],
                level=level_of(area, applying),
                risks=applying,
                places=places.get(code, []),
            )
        )
    views.sort(key=lambda v: (-v.value, -v.top_score, v.name))
    return views


def _iso_name(code: str) -> str:
    iso = iso_area(code)
    return iso.name if iso else code


@dataclass
class LevelGroup:
    """Areas that share a level for the same reason, shown as one row (report section 11)."""

    areas: list[AreaView]
    level: AreaLevel

    @property
    def driving(self) -> list[RatedRisk]:
        return list(self.level.driving_risks)


def level_groups(areas: list[AreaView]) -> list[LevelGroup]:
    """Areas (already ranked) with the same level, basis and flags, grouped at the place of
    the first of them, so the ranking is kept."""
    groups: dict[tuple[object, ...], LevelGroup] = {}
    for area in areas:
        key = _group_key(area)
        if key in groups:
            groups[key].areas.append(area)
        else:
            groups[key] = LevelGroup([area], area.level)
    return list(groups.values())


def _group_key(area: AreaView) -> tuple[object, ...]:
    level = area.level
    return (
        level.level.value if level.level else None,
        level.overridden,
        level.reason,
        tuple(r.id for r in level.driving_risks),
        area.no_go,
    )
