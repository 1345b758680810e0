"""What a trip's check reads besides the assessments and the policy, as the web app and the
command line both gather it: the countries of the itinerary, and the official advice held in
the evidence store."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from riskatlas.geography import country_code_of
from riskatlas.travel.check import advice_index, locate


def trip_countries(trip: dict[str, Any]) -> list[str]:
    """The countries (ISO alpha-2) the itinerary stays in or crosses, in order. Segments
    given by coordinates alone get their area first (``check.locate``)."""
    if any("area" not in s for s in trip["segments"]):
        trip = copy.deepcopy(trip)
        locate(trip, {})
    codes: list[str] = []
    for segment in trip["segments"]:
        for code in [segment.get("area") or segment["place"], *segment.get("via", [])]:
            country = country_code_of(code)
            if country and country not in codes:
                codes.append(country)
    return codes


def official_advice(db_path: Path | None) -> dict[str, list[dict[str, Any]]]:
    """Imported official advice by ISO code: what a trip shows where no assessment covers an
    area. Nothing when there is no store, it is busy, or it holds no advice."""
    if db_path is None or not Path(db_path).is_file():
        return {}
    import duckdb

    from riskatlas.evidence.advice_records import records_from_store
    from riskatlas.evidence.store import StoreBusy

    try:
        return advice_index(records_from_store(db_path))
    except (StoreBusy, duckdb.Error):  # busy, or a store with no advice imported
        return {}
