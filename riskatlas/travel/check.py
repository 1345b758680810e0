"""A trip checked against the published assessments and the travel policy.

``check_trip`` is what `riskatlas trip check` prints and what the web app stores on a
decision: per segment the areas and their levels, the risks that apply to these travellers,
the policy rules that fired and why, what the itinerary breaks; for the whole trip the
approvals in the order they sign, the measures, training, check-ins and warnings (an overdue
assessment, an area no assessment covers, a level-5 area on or next to the route). Its
``fingerprint`` changes whenever the itinerary or anything the decision rests on changes, so a
decided trip can be reopened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from riskatlas.geography import country_code_of
from riskatlas.method.levels import security_level
from riskatlas.method.staleness import stale_warning
from riskatlas.travel.exposure import (
    Covering,
    Rated,
    SegmentExposure,
    no_go_near,
    rate,
    segment_exposure,
)
from riskatlas.travel.policy import course_names, describe_when, level_rule
from riskatlas.travel.schedule import check_in_times
from riskatlas.travel.trip_file import TRANSPORT_NAMES

# Warnings, most decisive first: what the whole decision rests on, then the itinerary.
WARNING_ORDER = (
    "stale-assessment",
    "not-assessed",
    "essential-only",
    "no-go-area",
    "breaks-measure",
)


#: The key of the official advice held on an assessed area (or, failing that, its country),
#: shown beside the assessment's level and left out of the fingerprint: the organisation's
#: assessment decides, the governments' advice is read beside it.
BESIDE = "advice_beside"


@dataclass
class TripCheck:
    trip: dict[str, Any]
    segments: list[SegmentExposure]
    policy: dict[str, Any]
    today: dt.date
    advice: dict[str, list[dict[str, Any]]]
    rules: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # segment -> fired
    breaches: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    approvals: list[dict[str, Any]] = field(default_factory=list)
    measures: list[dict[str, Any]] = field(default_factory=list)
    training: dict[str, Any] = field(default_factory=dict)
    check_in: dict[str, Any] = field(default_factory=dict)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    no_go: list[dict[str, Any]] = field(default_factory=list)

    @property
    def level(self) -> int | None:
        values = [s.level for s in self.segments if s.level is not None]
        return max(values) if values else None

    def as_dict(self) -> dict[str, Any]:
        level = self.level
        out = {
            "trip": {
                **{k: self.trip["trip"].get(k) for k in ("id", "title", "purpose", "essential")},
                "start": self.trip["segments"][0]["start"],
                "end": self.trip["segments"][-1]["end"],
            },
            "travellers": [
                {
                    k: t.get(k)
                    for k in ("id", "name", "staff", "group", "role", "experience", "training")
                }
                for t in self.trip["travellers"]
            ],
            "level": level,
            "level_name": security_level(level).name if level else None,
            "policy": self.policy.get("name", ""),
            "checked_on": self.today.isoformat(),
            "segments": [self._segment(s) for s in self.segments],
            "approvals": self.approvals,
            "measures": self.measures,
            "training": self.training,
            "check_in": self.check_in,
            "warnings": self.warnings,
            "no_go": self.no_go,
        }
        out["fingerprint"] = fingerprint(out)
        return out

    def _advice_on(self, code: str) -> list[dict[str, Any]]:
        """Each government's advice on the area itself, else its country-wide advice; not
        advice on a named place within it (a border strip is not the whole area)."""
        country = code.split("-")[0]
        whole = [r for r in self.advice.get(code, []) if not r.get("place")]
        return whole or [r for r in self.advice.get(country, []) if r.get("area") == country]

    def _segment(self, s: SegmentExposure) -> dict[str, Any]:
        seg = s.segment
        level = s.level
        areas = []
        for a in s.areas:
            entry = a.as_dict()
            if a.rated is None:
                entry["advice"] = self.advice.get(a.code, [])
            else:  # a second opinion beside the assessment's level: shown, decides nothing
                entry[BESIDE] = self._advice_on(a.code)
            areas.append(entry)
        return {
            "index": s.index,
            "place": seg["place"],
            "area": seg["area"],
            "area_name": next((a.name for a in s.areas if a.code == seg["area"]), seg["area"]),
            "lat": seg.get("lat"),
            "lon": seg.get("lon"),
            "start": seg["start"],
            "end": seg["end"],
            "departs": seg.get("departs"),
            "transport": seg["transport"],
            "transport_name": TRANSPORT_NAMES[seg["transport"]],
            "night_travel": seg["night_travel"],
            "via": seg["via"],
            "accommodation": seg.get("accommodation", ""),
            "areas": areas,
            "level": level,
            "level_name": security_level(level).name if level else None,
            "risks": [r.as_dict() for r in s.risks],
            "rules": self.rules.get(s.index, []),
            "breaches": self.breaches.get(s.index, []),
        }


def fingerprint(result: dict[str, Any]) -> str:
    """A hash of everything a decision rests on (the check without its date and fingerprint).
    A course's name is words for people: renaming one, or a check that names them where an
    older one did not, decides nothing, and reopens nothing; nor does the official advice shown
    beside an assessed area (``BESIDE``)."""
    basis = {k: v for k, v in result.items() if k not in ("fingerprint", "checked_on")}
    if "segments" in basis:  # official advice beside an assessed area is for reading only
        basis["segments"] = [
            {**seg, "areas": [{k: v for k, v in a.items() if k != BESIDE} for a in seg["areas"]]}
            if "areas" in seg else seg
            for seg in basis["segments"]
        ]  # fmt: skip
    if "training" in basis:
        training = dict(basis["training"])
        training["required"] = [
            {k: v for k, v in c.items() if k != "name"} for c in training.get("required") or []
        ]
        basis["training"] = training
    text = json.dumps(basis, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _conditions_met(when: dict[str, Any], seg: SegmentExposure, traveller: dict[str, Any]) -> bool:
    s = seg.segment
    level = seg.level or 0
    tests = {
        "level_at_least": lambda v: level >= v,
        "staff": lambda v: traveller["staff"] in v,
        "experience": lambda v: traveller["experience"] in v,
        "transport": lambda v: s["transport"] in v,
        "night_travel": lambda v: bool(s["night_travel"]) == v,
        "assessment_stale": lambda v: any(a.stale for a in seg.areas) == v,
        "not_assessed": lambda v: any(a.rated is None for a in seg.areas) == v,
    }
    return all(tests[key](value) for key, value in when.items())


def _forbidden(measure: dict[str, Any], segment: dict[str, Any]) -> bool:
    forbids = measure.get("forbids")
    if not forbids:
        return False
    if "transport" in forbids and segment["transport"] not in forbids["transport"]:
        return False
    return not (
        "night_travel" in forbids and bool(segment["night_travel"]) != forbids["night_travel"]
    )


class _Needs:
    """What the policy asks, gathered segment by segment with the reasons."""

    def __init__(self, policy: dict[str, Any]) -> None:
        self.policy = policy
        self.approvals: dict[str, list[str]] = {}
        self.approval_segments: dict[str, list[int]] = {}
        self.measures: dict[str, list[str]] = {}
        self.training: dict[str, list[str]] = {}
        self.intervals: list[int] = []
        self.measure_segments: dict[str, list[int]] = {}

    def add(self, entry: dict[str, Any], reason: str, index: int) -> None:
        for role in entry.get("approvals") or []:
            self.approvals.setdefault(role, [])
            if reason not in self.approvals[role]:
                self.approvals[role].append(reason)
            segments = self.approval_segments.setdefault(role, [])
            if index not in segments:
                segments.append(index)
        for measure in entry.get("measures") or []:
            reasons = self.measures.setdefault(measure, [])
            if reason not in reasons:
                reasons.append(reason)
            segments = self.measure_segments.setdefault(measure, [])
            if index not in segments:
                segments.append(index)
        for course in entry.get("training") or []:
            self.training.setdefault(course, [])
            if reason not in self.training[course]:
                self.training[course].append(reason)
        if entry.get("check_in_hours"):
            self.intervals.append(int(entry["check_in_hours"]))


def _level_reason(seg: SegmentExposure) -> str:
    level = seg.level
    assert level is not None
    name = security_level(level).name
    return f"level {level} ({name})"


def check_trip(
    trip: dict[str, Any],
    assessments: list[Covering],
    policy: dict[str, Any],
    today: dt.date | None = None,
    advice: dict[str, list[dict[str, Any]]] | None = None,
) -> TripCheck:
    """Check a normalised trip (``trip_file.normalise_trip``) against the latest published
    assessment of each country (the first given for a country counts) and a checked policy."""
    today = today or dt.date.today()
    by_country: dict[str, Rated] = {}
    for covering in assessments:
        by_country.setdefault(covering.country, rate(covering))
    locate(trip, by_country)
    travellers = trip["travellers"]
    segments = [
        segment_exposure(i, s, travellers, by_country, today)
        for i, s in enumerate(trip["segments"], start=1)
    ]
    result = TripCheck(trip, segments, policy, today, advice or {})
    needs = _Needs(policy)
    rules = policy.get("rules") or []
    measures_by_id = {m["id"]: m for m in policy["measures"]}
    for seg in segments:
        if seg.level is not None:
            needs.add(level_rule(policy, seg.level), _level_reason(seg), seg.index)
        fired = []
        for rule in rules:
            who = [t for t in travellers if _conditions_met(rule["when"], seg, t)]
            if not who:
                continue
            because = describe_when(rule["when"])
            reason = f"rule {rule['id']}: {rule['reason']}"
            needs.add(rule, reason, seg.index)
            fired.append(
                {
                    "id": rule["id"],
                    "reason": rule["reason"],
                    "because": because,
                    "travellers": [t["id"] for t in who],
                }
            )
        result.rules[seg.index] = fired
    for measure_id, indices in needs.measure_segments.items():
        measure = measures_by_id[measure_id]
        for index in indices:
            segment = trip["segments"][index - 1]
            if _forbidden(measure, segment):
                text = (
                    f"segment {index} ({segment['place']}, {TRANSPORT_NAMES[segment['transport']]}"
                    f"{', after dark' if segment['night_travel'] else ''}) breaks the measure "
                    f"“{measure['name']}”"
                )
                result.breaches.setdefault(index, []).append(
                    {"measure": measure_id, "reason": text}
                )
                result.warnings.append(
                    {"kind": "breaks-measure", "text": text, "segments": [index]}
                )
    _gather(result, needs, measures_by_id)
    _warn(result, by_country)
    result.warnings.sort(key=lambda w: WARNING_ORDER.index(w["kind"]))
    return result


def locate(trip: dict[str, Any], by_country: dict[str, Rated]) -> None:
    """Give every segment an area and, where known, coordinates: a place the assessment names
    gives both; coordinates alone give the area from the nearest populated place."""
    to_geocode = []
    for segment in trip["segments"]:
        for rated in by_country.values():
            place = rated.places.get(segment["place"].casefold())
            if place is None:
                continue
            if "lat" not in segment and place.get("lat") is not None:
                segment["lat"], segment["lon"] = place["lat"], place["lon"]
            if "area" not in segment and place.get("area"):
                segment["area"] = place["area"]
            break
        if "area" not in segment:
            to_geocode.append(segment)
    if to_geocode:
        from riskatlas.evidence.areas import areas_from_coordinates

        found = areas_from_coordinates([(s["lat"], s["lon"]) for s in to_geocode])
        for segment, (_, match) in zip(to_geocode, found, strict=True):
            segment["area"] = match.code or "ZZ"


def _gather(result: TripCheck, needs: _Needs, measures_by_id: dict[str, dict[str, Any]]) -> None:
    policy = result.policy
    names = {a["id"]: a["name"] for a in policy["approvers"]}
    order = [a["id"] for a in policy["approvers"]]
    result.approvals = [
        {
            "role": role,
            "name": names[role],
            "reasons": needs.approvals[role],
            "segments": needs.approval_segments[role],
        }
        for role in order
        if role in needs.approvals
    ]
    broken: dict[str, list[int]] = {}
    for index, items in result.breaches.items():
        for item in items:
            broken.setdefault(item["measure"], []).append(index)
    result.measures = [
        {
            "id": m,
            "name": measures_by_id[m]["name"],
            "reasons": reasons,
            "segments": needs.measure_segments[m],
            "broken_by": sorted(broken.get(m, [])),
        }
        for m, reasons in needs.measures.items()
    ]
    required = list(needs.training)
    courses = course_names(policy)
    result.training = {
        "required": [
            {"course": c, "name": courses.get(c, c), "reasons": needs.training[c]} for c in required
        ],
        "missing": {
            t["id"]: [c for c in required if c not in t["training"]]
            for t in result.trip["travellers"]
            if any(c not in t["training"] for c in required)
        },
    }
    interval = min(needs.intervals) if needs.intervals else None
    result.check_in = {
        "interval_hours": interval,
        "times": [t.isoformat(timespec="minutes") for t in check_in_times(result.trip, interval)]
        if interval
        else [],
    }


def _warn(result: TripCheck, by_country: dict[str, Rated]) -> None:
    stale: dict[str, list[int]] = {}
    unassessed: dict[str, list[int]] = {}
    no_go: dict[str, dict[str, Any]] = {}
    for seg in result.segments:
        for area in seg.areas:
            if area.rated is None:
                on = unassessed.setdefault(area.code, [])
                if seg.index not in on:
                    on.append(seg.index)
                continue
            stale_on = stale.setdefault(area.rated.covering.label, []) if area.stale else None
            if stale_on is not None and seg.index not in stale_on:
                stale_on.append(seg.index)
            for code, name, level in no_go_near(area.code, area.rated):
                found = no_go.setdefault(
                    code, {"code": code, "name": name, "level": level, "segments": []}
                )
                if seg.index not in found["segments"]:
                    found["segments"].append(seg.index)
    for label, segments in stale.items():
        rated = next(r for r in by_country.values() if r.covering.label == label)
        text = f"{label}: " + stale_warning(rated.covering.review_by, result.today)
        result.warnings.append({"kind": "stale-assessment", "text": text, "segments": segments})
    for code, segments in unassessed.items():
        country = country_code_of(code) or code
        advice = result.advice.get(code, []) or result.advice.get(country, [])
        told = "; ".join(f"{a.get('government')}: level {a.get('level')}" for a in advice)
        text = f"No published assessment covers {code}." + (
            f" Official advice: {told}." if told else " No official advice held either."
        )
        result.warnings.append({"kind": "not-assessed", "text": text, "segments": segments})
    for item in no_go.values():
        text = (
            f"{item['name']} is a level {item['level']} area and takes in part of the itinerary "
            f"(segments {', '.join(map(str, item['segments']))}): plan the route to stay out of it"
        )
        result.warnings.append({"kind": "no-go-area", "text": text, "segments": item["segments"]})
    result.no_go = list(no_go.values())
    essential = bool(result.trip["trip"].get("essential"))
    for seg in result.segments:
        if (
            seg.level
            and level_rule(result.policy, seg.level).get("essential_only")
            and not essential
        ):
            result.warnings.append(
                {
                    "kind": "essential-only",
                    "text": (
                        f"segment {seg.index} is at level {seg.level}: the policy allows "
                        "essential travel only, and the trip is not marked essential"
                    ),
                    "segments": [seg.index],
                }
            )


def advice_index(records: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Official advice records (``evidence.advice_records``) by the ISO code they speak of:
    a subdivision's code for advice on it, the country's for national advice; advice on a named
    place (a border strip, a city) is kept under its country."""
    out: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        code = (
            record["area"] if record.get("area") and not record.get("place") else record["country"]
        )
        if code:
            out.setdefault(code, []).append(record)
    return out
