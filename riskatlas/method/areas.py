"""An assessment's areas: their names, which risks count towards each, and each area's level.

A risk counts towards an area when the risk's ground covers at least part of the area:

- a risk on the country covers every area of the assessment;
- a risk on a subdivision covers that subdivision, the subdivisions inside it, and every
  custom area that has it (or a subdivision inside it) among its parts;
- a risk on a custom area covers each of its parts and whatever those parts cover.

A risk recorded on one subdivision does not raise the country's own level: the country level
follows the country-wide risks (and the analyst's override). The level itself comes from
``riskatlas.method.levels.area_level``: the highest residual level among the risks that count,
or the analyst's level with the reason.

An area's **specific** level is the same rule over the risks particular to it: those that
count towards it minus the country-wide ones (recorded on the country, so they count
everywhere alike). A risk on a custom area stays particular to each part it names (the VRAE's
insurgency counts for Ayacucho), and an analyst's level set on the area is the area's own. An
area with no particular risk and no analyst's level has no specific level: only country-wide
risks apply there. Areas are ranked by specific level, then by level (``rank_key``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any, Protocol, TypeVar

from riskatlas.geography import iso_area
from riskatlas.method.levels import AreaLevel, area_level
from riskatlas.method.scoring import Rating


class AreaRisk(Protocol):
    """What the coverage rule needs of a rated risk: where it is and its residual rating."""

    @property
    def area(self) -> str: ...

    @property
    def residual(self) -> Rating: ...


RiskT = TypeVar("RiskT", bound=AreaRisk)


def area_names(doc: dict[str, Any]) -> dict[str, str]:
    """The name of every area of the document: its own name, else the ISO name."""
    names = {}
    for area in doc.get("areas") or []:
        iso = iso_area(area["code"])
        names[area["code"]] = area.get("name") or (iso.name if iso else area["code"])
    return names


def parts_of(doc: dict[str, Any]) -> dict[str, list[str]]:
    """The ISO parts of each custom area of the document."""
    return {a["code"]: list(a["parts"]) for a in doc.get("areas") or [] if a.get("parts")}


@cache
def _ancestors(code: str) -> frozenset[str]:
    """The ISO codes that contain ``code`` (its parent subdivisions and its country)."""
    out: set[str] = set()
    area = iso_area(code)
    while area is not None and area.parent and area.parent not in out:
        out.add(area.parent)
        area = iso_area(area.parent)
    return frozenset(out)


def ground(code: str, parts: dict[str, list[str]]) -> list[str]:
    """The ISO codes an area is made of: its parts for a custom area, else itself."""
    return parts.get(code) or [code]


def covers(risk_area: str, area: str, parts: dict[str, list[str]]) -> bool:
    """True when a risk recorded on ``risk_area`` holds somewhere in ``area``."""
    if risk_area == area:
        return True
    risk_ground = ground(risk_area, parts)
    return any(q == p or q in _ancestors(p) for p in ground(area, parts) for q in risk_ground)


def risks_in(area: str, risks: Iterable[RiskT], parts: dict[str, list[str]]) -> list[RiskT]:
    """The risks that count towards ``area``, in the order given."""
    return [r for r in risks if covers(r.area, area, parts)]


def level_of(area: dict[str, Any], applying: Iterable[AreaRisk]) -> AreaLevel:
    """An area's level (``area`` as in the document) from the risks that count towards it."""
    return area_level(
        ((r, r.residual.level) for r in applying),
        override=area.get("level"),
        reason=area.get("level_reason", ""),
    )


def overall_level(doc: dict[str, Any], risks: list[RiskT]) -> AreaLevel:
    """The country's level: that of its own area entry if the document has one, else the
    level that the country-wide risks give."""
    country = doc["assessment"]["country"]
    for area in doc.get("areas") or []:
        if area["code"] == country:
            return level_of(area, risks_in(country, risks, parts_of(doc)))
    return area_level((r, r.residual.level) for r in risks if r.area == country)


def is_country_wide(risk: AreaRisk, country: str) -> bool:
    """True for a risk recorded on the country itself: it counts towards every area alike."""
    return risk.area == country


def specific_risks(applying: Iterable[RiskT], country: str) -> list[RiskT]:
    """Of the risks that count towards an area, those particular to it (not country-wide)."""
    return [r for r in applying if not is_country_wide(r, country)]


def specific_level_of(
    area: dict[str, Any], applying: Iterable[AreaRisk], country: str
) -> AreaLevel:
    """An area's level from the risks particular to it, or the analyst's level set on it; no
    level (``level is None``) when only country-wide risks apply."""
    return level_of(area, specific_risks(applying, country))


def rank_key(specific: AreaLevel, level: AreaLevel) -> tuple[int, int]:
    """Sort key (ascending) that puts areas with the highest specific level first, then the
    highest level; an area without a specific level comes after every area with one."""

    def value(lv: AreaLevel) -> int:
        return lv.level.value if lv.level else 0

    return (-value(specific), -value(level))
