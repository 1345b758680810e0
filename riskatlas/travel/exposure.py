"""Where a trip goes and what applies there, from the published assessments.

For each segment: the areas it stays in or crosses (its place's area and the areas ``via``),
each area's level from the assessment covering its country (``riskatlas.method.areas``: the
same coverage rule and levels as the assessment's page and report), and the risks that apply
to these travellers in these circumstances — the risks that count towards the area, for
every exposure group when the risk names none, else only for travellers of the groups it
names; each with why it applies (country-wide or in the area, road travel, after dark).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from riskatlas.geography import country_code_of, iso_area
from riskatlas.method.areas import area_names, covers, ground, level_of, parts_of, risks_in
from riskatlas.method.levels import AreaLevel
from riskatlas.method.register import RatedRisk, rate_risks, worst_first
from riskatlas.method.staleness import is_stale
from riskatlas.travel.trip_file import ROAD

# What in a risk's description says it is worse, or only holds, after dark.
AFTER_DARK = re.compile(
    r"\b(after dark|at night|night|nights|midnight|late in the evening)\b", re.I
)
ROAD_WORDS = re.compile(r"\b(road|roads|driving|route|routes)\b", re.I)
ROAD_CATEGORY = "TRN"


@dataclass(frozen=True)
class Covering:
    """A published assessment a trip is checked against: the normalised document, how it is
    named in the decision ("pe-2009 v1") and the day it was published (None when unknown)."""

    doc: dict[str, Any]
    label: str
    published: str | None = None

    @property
    def country(self) -> str:
        return str(self.doc["assessment"]["country"])

    @property
    def review_by(self) -> str | None:
        value = self.doc["assessment"].get("review_by")
        return str(value) if value else None


@dataclass
class Rated:
    """An assessment read once for a trip: its register, areas and parts."""

    covering: Covering
    risks: list[RatedRisk]
    names: dict[str, str]
    parts: dict[str, list[str]]
    entries: dict[str, dict[str, Any]]
    exposed: dict[str, list[str]]  # risk id -> exposure group ids (empty: everyone)
    places: dict[str, dict[str, Any]]  # place name or spelling (folded) -> place


def rate(covering: Covering) -> Rated:
    doc = covering.doc
    places: dict[str, dict[str, Any]] = {}
    for place in doc.get("places") or []:
        for name in [place["name"], *(place.get("spellings") or [])]:
            places[name.casefold()] = place
    return Rated(
        covering=covering,
        risks=rate_risks(doc),
        names=area_names(doc),
        parts=parts_of(doc),
        entries={a["code"]: a for a in doc.get("areas") or []},
        exposed={r["id"]: list(r.get("exposed") or []) for r in doc.get("risks") or []},
        places=places,
    )


@dataclass
class AreaOnTrip:
    """One area a segment stays in or crosses, and what the covering assessment says of it."""

    code: str
    name: str
    level: AreaLevel | None
    specific: AreaLevel | None
    rated: Rated | None
    stale: bool = False

    def as_dict(self) -> dict[str, Any]:
        lv = self.level.level if self.level else None
        sp = self.specific.level if self.specific else None
        cov = self.rated.covering if self.rated else None
        return {
            "code": self.code,
            "name": self.name,
            "level": lv.value if lv else None,
            "level_name": lv.name if lv else None,
            "specific_level": sp.value if sp else None,
            "assessment": cov.label if cov else None,
            "review_by": cov.review_by if cov else None,
            "stale": self.stale,
            "not_assessed": self.rated is None,
        }


@dataclass
class RiskOnTrip:
    """A risk that applies on a segment, for whom and why."""

    risk: RatedRisk
    rated: Rated
    why: list[str]
    travellers: list[str]
    road: bool
    after_dark: bool

    def as_dict(self) -> dict[str, Any]:
        r = self.risk
        return {
            "id": r.id,
            "title": r.title,
            "category": r.category.code,
            "category_name": r.category.name,
            "area": r.area,
            "area_name": r.area_name,
            "residual_level": r.residual.level.code,
            "residual_name": r.residual.level.name,
            "residual_colour": r.residual.level.colour,
            "residual_score": r.residual.score,
            "assessment": self.rated.covering.label,
            "why": self.why,
            "travellers": self.travellers,
            "measures": [m.name for m in r.measures],
        }


@dataclass
class SegmentExposure:
    index: int
    segment: dict[str, Any]
    areas: list[AreaOnTrip] = field(default_factory=list)
    risks: list[RiskOnTrip] = field(default_factory=list)

    @property
    def level(self) -> int | None:
        values = [a.level.level.value for a in self.areas if a.level and a.level.level]
        return max(values) if values else None


def area_on_trip(code: str, by_country: dict[str, Rated], today: Any) -> AreaOnTrip:
    country = country_code_of(code) or code
    rated = by_country.get(country)
    iso = iso_area(code)
    fallback = iso.name if iso else code
    if rated is None:
        return AreaOnTrip(code, fallback, None, None, None)
    entry = rated.entries.get(code, {"code": code})
    applying = risks_in(code, rated.risks, rated.parts)
    specific = [r for r in applying if r.area != rated.covering.country]
    return AreaOnTrip(
        code=code,
        name=rated.names.get(code, fallback),
        level=level_of(entry, applying),
        specific=level_of(entry, specific) if code != country else None,
        rated=rated,
        stale=is_stale(rated.covering.review_by, today),
    )


def _why(
    risk: RatedRisk, rated: Rated, area: AreaOnTrip, segment: dict[str, Any]
) -> tuple[list[str], bool, bool]:
    why = ["country-wide" if risk.area == rated.covering.country else f"in {risk.area_name}"]
    text = f"{risk.title} {risk.circumstance}"
    road = segment["transport"] in ROAD and (
        risk.category.code == ROAD_CATEGORY or bool(ROAD_WORDS.search(text))
    )
    after_dark = bool(segment["night_travel"]) and (
        bool(AFTER_DARK.search(text)) or any("NIGHT" in m.code for m in risk.measures)
    )
    if road:
        why.append("road travel")
    if after_dark:
        why.append("after dark")
    return why, road, after_dark


def segment_exposure(
    index: int,
    segment: dict[str, Any],
    travellers: list[dict[str, Any]],
    by_country: dict[str, Rated],
    today: Any,
) -> SegmentExposure:
    codes = list(dict.fromkeys([*segment["via"], segment["area"]]))
    out = SegmentExposure(index, segment, [area_on_trip(c, by_country, today) for c in codes])
    seen: set[tuple[str, str]] = set()
    for area in out.areas:
        rated = area.rated
        if rated is None:
            continue
        for risk in risks_in(area.code, rated.risks, rated.parts):
            key = (rated.covering.label, risk.id)
            if key in seen:
                continue
            groups = rated.exposed.get(risk.id) or []
            who = [t["id"] for t in travellers if not groups or t["group"] in groups]
            if not who:
                continue
            seen.add(key)
            why, road, dark = _why(risk, rated, area, segment)
            if groups:
                why.append(
                    "for " + ", ".join(sorted({t["group"] for t in travellers if t["id"] in who}))
                )
            out.risks.append(RiskOnTrip(risk, rated, why, who, road, dark))
    out.risks.sort(key=lambda r: worst_first(r.risk))
    return out


def no_go_near(code: str, rated: Rated) -> list[tuple[str, str, int]]:
    """The level-5 areas of the assessment that take in ``code`` or part of it: (code, name,
    level) — a custom area such as the VRAEM reaching into a region on the itinerary."""
    found = []
    for entry_code, entry in rated.entries.items():
        applying = risks_in(entry_code, rated.risks, rated.parts)
        level = level_of(entry, applying).level
        if level is None or level.value < 5:
            continue
        mine = set(ground(code, rated.parts))
        theirs = set(ground(entry_code, rated.parts))
        if entry_code == code or mine & theirs or covers(entry_code, code, rated.parts):
            found.append((entry_code, rated.names.get(entry_code, entry_code), level.value))
    return found
