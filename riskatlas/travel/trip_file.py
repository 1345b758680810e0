"""The trip file (TRIP.yaml): who travels, where, when and how.

Its form is published as ``schema/trip.schema.json``; beyond the schema a trip's segments must
run forward in time, each place must be locatable (an ISO code, an ``area`` or coordinates)
and traveller ids must be unique. ``normalise_trip`` fills the defaults every reader relies on.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from riskatlas.document.problems import Problem
from riskatlas.geography import is_iso_code
from riskatlas.travel.files import FileCheck, check_bytes, check_data, check_text

TRANSPORT_NAMES = {
    "none": "start",
    "air": "by air",
    "road": "by road",
    "off-road": "off-road",
    "rail": "by rail",
    "boat": "by boat",
    "foot": "on foot",
}
ROAD = frozenset({"road", "off-road"})


def _references(data: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, traveller in enumerate(data["travellers"]):
        if traveller["id"] in seen:
            problems.append(Problem(("travellers", i, "id"), f"{traveller['id']!r} is used twice"))
        seen.add(traveller["id"])
    previous_end: dt.date | None = None
    for i, segment in enumerate(data["segments"]):
        where = ("segments", i)
        try:
            start = dt.date.fromisoformat(segment["start"])
            end = dt.date.fromisoformat(segment["end"])
        except ValueError as exc:
            problems.append(Problem((*where, "start"), f"not a real day: {exc}"))
            continue
        if end < start:
            problems.append(Problem((*where, "end"), f"{end} is before the start {start}"))
        if previous_end is not None and start < previous_end:
            problems.append(
                Problem(
                    (*where, "start"),
                    f"{start} is before the previous segment ends ({previous_end})",
                )
            )
        previous_end = end
        if ("lat" in segment) != ("lon" in segment):
            missing = "lon" if "lat" in segment else "lat"
            problems.append(Problem((*where, missing), "give both lat and lon, or neither"))
        locatable = is_iso_code(segment["place"]) or "area" in segment or "lat" in segment
        if not locatable:
            problems.append(
                Problem(
                    (*where, "area"),
                    f"{segment['place']!r} is not an ISO 3166-2 code: give its area (e.g. PE-LMA) "
                    "or its lat and lon",
                )
            )
        for j, code in enumerate(segment.get("via") or []):
            if not is_iso_code(code):
                problems.append(Problem((*where, "via", j), f"{code!r} is not an ISO 3166 code"))
        if "area" in segment and not is_iso_code(segment["area"]):
            problems.append(
                Problem((*where, "area"), f"{segment['area']!r} is not an ISO 3166 code")
            )
    return problems


def check_trip_text(text: str, filename: str = "<trip>") -> FileCheck:
    return check_text(text, filename, "trip", _references)


def check_trip_bytes(content: bytes, filename: str) -> FileCheck:
    return check_bytes(content, filename, "trip", _references)


def check_trip_data(data: dict[str, Any], filename: str = "<trip>") -> FileCheck:
    """A trip already held as data (the web app's, the API's) checked like a file."""
    return check_data(data, filename, "trip", _references)


def load_trip(path: str | Path) -> dict[str, Any]:
    """The normalised trip in ``path``; raises DocumentError listing every problem."""
    try:
        content = Path(path).read_bytes()
    except OSError as exc:
        return FileCheck(str(path), None, [Problem((), f"cannot read: {exc.strerror}")]).content()
    return normalise_trip(check_trip_bytes(content, str(path)).content())


def default_group(staff: str) -> str:
    return f"{staff}-staff"


def normalise_trip(data: dict[str, Any]) -> dict[str, Any]:
    """A checked trip with every default filled in (a copy)."""
    trip = dict(data["trip"])
    trip.setdefault("purpose", "")
    trip.setdefault("essential", False)
    travellers = []
    for t in data["travellers"]:
        t = dict(t)
        t.setdefault("group", default_group(t["staff"]))
        t.setdefault("experience", "experienced")
        t["training"] = list(t.get("training") or [])
        travellers.append(t)
    segments = []
    for i, s in enumerate(data["segments"]):
        s = dict(s)
        s.setdefault("transport", "none" if i == 0 else "road")
        s.setdefault("night_travel", False)
        s["via"] = list(s.get("via") or [])
        if "area" not in s and is_iso_code(s["place"]):
            s["area"] = s["place"]
        segments.append(s)
    return {"riskatlas_trip": 1, "trip": trip, "travellers": travellers, "segments": segments}
