"""Bring a valid document to its canonical form: defaults filled, matrix and mitigations
copied in, ISO area names filled. Export writes this form, so import → export is stable."""

from __future__ import annotations

import copy
from typing import Any

from riskatlas.geography import iso_area
from riskatlas.method.matrix import default_matrix
from riskatlas.method.mitigations import find_mitigation

DEFAULTS = {"version": 1, "status": "draft", "language": "en"}

# The order of top-level sections in a canonical document.
SECTION_ORDER = (
    "riskatlas",
    "assessment",
    "matrix",
    "exposure",
    "sources",
    "areas",
    "places",
    "context",
    "actors",
    "incidents",
    "threats",
    "risks",
    "mitigations",
    "recommendations",
    "watch_items",
    "official_advice",
)


def normalise(doc: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    assessment = out["assessment"]
    for key, value in DEFAULTS.items():
        assessment.setdefault(key, value)
    if "matrix" not in out:
        out["matrix"] = default_matrix().to_dict()
    for area in out.get("areas") or []:
        if "name" not in area:
            iso = iso_area(area["code"])
            if iso is not None:
                area["name"] = iso.name
    # Copy every library mitigation the document uses, so the assessment is self-contained.
    used: list[str] = []
    for risk in out.get("risks") or []:
        used.extend(risk.get("measures") or [])
    for rec in out.get("recommendations") or []:
        if rec.get("mitigation"):
            used.append(rec["mitigation"])
    present = {m["code"] for m in out.get("mitigations") or []}
    for code in used:
        if code not in present:
            found = find_mitigation(code)
            if found is not None:
                out.setdefault("mitigations", []).append(found.to_dict())
                present.add(code)
    out = _strip(out)
    return {key: out[key] for key in SECTION_ORDER if key in out}


# Optional flags whose false value is the same as leaving them out.
_FALSE_IS_ABSENT = frozenset({"hot_spot", "no_go"})


def _strip(value: Any) -> Any:
    """Drop empty optional values (None, "", [], {}, false flags) so equal content compares
    equal however it was written."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = _strip(item)
            if item is None or item == "" or item == [] or item == {}:
                continue
            if key in _FALSE_IS_ABSENT and item is False:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [_strip(item) for item in value]
    return value
