"""The report's areas (sections 7 and 11): every area of the assessment with its level, its
specific level (from the risks particular to it, not the country-wide ones), the risks that
count towards it and its named places, ranked by specific level then level; areas sharing
both levels and their drivers grouped as one row. Which risks count towards an area, which
are particular to it, and the levels themselves come from ``riskatlas.method.areas``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from riskatlas.geography import iso_area
from riskatlas.method import AreaLevel
from riskatlas.method.areas import (
    covers,
    level_of,
    parts_of,
    rank_key,
    specific_level_of,
    specific_risks,
)
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
    # The level from the risks particular to the area (or the analyst's level set on it);
    # ``specific.level`` is None when only country-wide risks apply.
    specific: AreaLevel
    risks: list[RatedRisk] = field(default_factory=list)
    specific_risks: list[RatedRisk] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    # The ISO codes the area is made of: a custom area's parts, else its own code.
    part_codes: list[str] = field(default_factory=list)
    # Why an area without a level is not assessed (the analyst's words; publication needs it).
    not_assessed_reason: str = ""
    # Whose the area's level, no-go status and description are (its evidence, cited).
    refs: list[Any] = field(default_factory=list)

    @property
    def judged_by(self) -> str:
        """Who made the judgements cited on the area (its hand-set level, its no-go status)."""
        names = [ref.judgement_by for ref in self.refs if getattr(ref, "judgement_by", "")]
        return ", ".join(dict.fromkeys(names))

    @property
    def value(self) -> int:
        return self.level.level.value if self.level.level else 0

    @property
    def driving(self) -> list[RatedRisk]:
        return list(self.level.driving_risks)

    @property
    def specific_value(self) -> int:
        return self.specific.level.value if self.specific.level else 0

    @property
    def specific_driving(self) -> list[RatedRisk]:
        """The particular risks that set the specific level (also when the analyst's level
        replaces it)."""
        return list(self.specific.driving_risks)

    @property
    def only_country_wide(self) -> bool:
        """True when risks apply here but none is particular to the area (nor is a level set
        on it by the analyst)."""
        return bool(self.risks) and self.specific.level is None

    @property
    def top_score(self) -> int:
        return max((r.residual.score for r in self.risks), default=0)

    @property
    def top_specific_score(self) -> int:
        return max((r.residual.score for r in self.specific_risks), default=0)


def area_views(
    doc: dict[str, Any], risks: list[RatedRisk], area_names: dict[str, str]
) -> list[AreaView]:
    """Every area of the document with its level and specific level, ranked: highest specific
    level first, then highest level, then the worst particular risk, then the worst risk."""
    country = doc["assessment"]["country"]
    parts = parts_of(doc)
    places: dict[str, list[str]] = {}
    for place in doc.get("places") or []:
        places.setdefault(place["area"], []).append(place["name"])
    views = []
    risk_areas = {r.area for r in risks}  # the coverage rule once per (risk area, area)
    for area in doc.get("areas") or []:
        code = area["code"]
        covering = {ra for ra in risk_areas if covers(ra, code, parts)}
        applying = [r for r in risks if r.area in covering]  # as ``risks_in``, in order
        specific = specific_risks(applying, country)
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
                specific=specific_level_of(area, applying, country),
                risks=applying,
                specific_risks=specific,
                places=places.get(code, []),
                part_codes=list(area.get("parts") or [code]),
                not_assessed_reason=area.get("not_assessed_reason", ""),
            )
        )
    views.sort(
        key=lambda v: (*rank_key(v.specific, v.level), -v.top_specific_score, -v.top_score, v.name)
    )
    return views


def _iso_name(code: str) -> str:
    iso = iso_area(code)
    return iso.name if iso else code


@dataclass
class LevelGroup:
    """Areas that share a level and a specific level for the same reasons, shown as one row
    (report section 11)."""

    areas: list[AreaView]
    level: AreaLevel
    specific: AreaLevel

    @property
    def driving(self) -> list[RatedRisk]:
        return list(self.level.driving_risks)

    @property
    def specific_driving(self) -> list[RatedRisk]:
        return list(self.specific.driving_risks)

    @property
    def only_country_wide(self) -> bool:
        return self.areas[0].only_country_wide


def level_groups(areas: list[AreaView]) -> list[LevelGroup]:
    """Areas (already ranked) with the same level, basis and flags, grouped at the place of
    the first of them, so the ranking is kept."""
    groups: dict[tuple[object, ...], LevelGroup] = {}
    for area in areas:
        key = _group_key(area)
        if key in groups:
            groups[key].areas.append(area)
        else:
            groups[key] = LevelGroup([area], area.level, area.specific)
    return list(groups.values())


def _group_key(area: AreaView) -> tuple[object, ...]:
    return (*_level_key(area.level), *_level_key(area.specific), bool(area.risks), area.no_go)


def _level_key(level: AreaLevel) -> tuple[object, ...]:
    return (
        level.level.value if level.level else None,
        level.overridden,
        level.reason,
        tuple(r.id for r in level.driving_risks),
    )
