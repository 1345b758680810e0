"""Which risks count towards which area, and each area's security level.

A risk counts towards an area when the risk's ground covers at least part of the area:

- a risk on the country covers every area of the assessment;
- a risk on a subdivision covers that subdivision, the subdivisions inside it, and every
  custom area that has it (or a subdivision inside it) among its parts;
- a risk on a custom area covers each of its parts and whatever those parts cover.

A risk recorded on one subdivision does not raise the country's own level: the country level
follows the country-wide risks (and the analyst's override). The level itself comes from
``riskatlas.method.levels.area_level``: the highest residual level among the risks that count,
or the analyst's level with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from riskatlas.geography import iso_area
from riskatlas.method import AreaLevel, area_level

if TYPE_CHECKING:
    from riskatlas.reports.context import RatedRisk


def _ancestors(code: str) -> set[str]:
    """The ISO codes that contain ``code`` (its parent subdivisions and its country)."""
    out: set[str] = set()
    area = iso_area(code)
    while area is not None and area.parent and area.parent not in out:
        out.add(area.parent)
        area = iso_area(area.parent)
    return out


def ground(code: str, parts_of: dict[str, list[str]]) -> list[str]:
    """The ISO codes an area is made of: its parts for a custom area, else itself."""
    return parts_of.get(code) or [code]


def covers(risk_area: str, area: str, parts_of: dict[str, list[str]]) -> bool:
    """True when a risk recorded on ``risk_area`` holds somewhere in ``area``."""
    if risk_area == area:
        return True
    risk_ground = ground(risk_area, parts_of)
    return any(q == p or q in _ancestors(p) for p in ground(area, parts_of) for q in risk_ground)


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
    areas = doc.get("areas") or []
    parts_of = {a["code"]: list(a["parts"]) for a in areas if a.get("parts")}
    places: dict[str, list[str]] = {}
    for place in doc.get("places") or []:
        places.setdefault(place["area"], []).append(place["name"])
    views = []
    for area in areas:
        code = area["code"]
        applying = [r for r in risks if covers(r.area, code, parts_of)]
        level = area_level(
            ((r, r.residual.level) for r in applying),
            override=area.get("level"),
            reason=area.get("level_reason", ""),
        )
        views.append(
            AreaView(
                code=code,
                name=area_names[code],
                description=area.get("description", ""),
                hot_spot=bool(area.get("hot_spot")),
                no_go=bool(area.get("no_go")),
                is_custom=bool(area.get("parts")),
                parts=[area_names.get(p) or _iso_name(p) for p in area.get("parts") or []],
                level=level,
                risks=applying,
                places=places.get(code, []),
            )
        )
    views.sort(key=lambda v: (-v.value, -v.top_score, v.name))
    return views


def overall_level(doc: dict[str, Any], risks: list[RatedRisk], areas: list[AreaView]) -> AreaLevel:
    """The country's level: its own area entry if the document has one, else the level that
    the country-wide risks give."""
    country = doc["assessment"]["country"]
    for view in areas:
        if view.code == country:
            return view.level
    return area_level((r, r.residual.level) for r in risks if r.area == country)


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
