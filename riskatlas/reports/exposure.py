"""The report's exposure (section 8): the groups, activities, sites and routes exposed, with
area and place names filled in."""

from __future__ import annotations

from typing import Any


def filled(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    """A copy of ``item`` with every optional text field present (empty when absent)."""
    return {**dict.fromkeys(keys, ""), **item}


def exposure_view(doc: dict[str, Any], area_names: dict[str, str]) -> dict[str, Any]:
    """The document's exposure as the templates read it."""
    exposure = doc.get("exposure") or {}
    places = {p["id"]: p for p in doc.get("places") or []}

    def place(pid: str | None) -> str:
        return places[pid]["name"] if pid and pid in places else ""

    return {
        "groups": [filled(g, "description") for g in exposure.get("groups") or []],
        "activities": [
            {
                **filled(a, "description"),
                "area_names": [area_names.get(c, c) for c in a.get("areas") or []],
            }
            for a in exposure.get("activities") or []
        ],
        "sites": [
            {**filled(s, "description"), "place_name": place(s.get("place"))}
            for s in exposure.get("sites") or []
        ],
        "routes": [
            {
                **filled(r, "description"),
                "from_name": place(r.get("from")),
                "to_name": place(r.get("to")),
            }
            for r in exposure.get("routes") or []
        ],
    }
