"""Which recorded changes concern a team: those about the countries of its assessments
(a hazard also when one of the countries it affects is one of them). The store keeps the
changes of every country (``riskatlas.evidence.changes``); this is where teams come in."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from riskatlas.apps.accounts.permissions import teams_of
from riskatlas.apps.assessments.models import Assessment
from riskatlas.evidence import events_db_path
from riskatlas.evidence.areas import area_name, country_alpha2, country_iso3
from riskatlas.evidence.changes import list_changes

#: The feeds as people know them, for pages and messages.
SOURCE_NAMES = {
    "us-advice": "US State Department",
    "canada-advice": "Global Affairs Canada",
    "australia-advice": "Smartraveller (Australia)",
    "germany-advice": "Federal Foreign Office (Germany)",
    "gdacs": "GDACS (disaster alerts)",
    "usgs": "USGS (earthquakes)",
    "who-don": "WHO Disease Outbreak News",
}


def assessed_countries(user: Any) -> list[str]:
    """ISO 3166-1 alpha-3 codes of the countries of the assessments of the user's teams."""
    codes = (
        Assessment.objects.filter(team__in=teams_of(user).values("pk"))
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted({iso3 for code in codes if (iso3 := country_iso3(code))})


class ChangeRows:
    """What a paginator (the page's, the API's) pages through: the store is asked for one page
    at a time. Raises StoreBusy while an import writes the store."""

    def __init__(
        self, countries: list[str] | None, kinds: list[str] | None, since: datetime | None = None
    ) -> None:
        self.countries, self.kinds, self.since = countries, kinds, since
        self.total, _ = list_changes(
            events_db_path(), countries=countries, kinds=kinds, since=since, limit=0
        )

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, window: slice) -> list[dict[str, object]]:
        start, stop = window.start or 0, window.stop or self.total
        rows = list_changes(
            events_db_path(), countries=self.countries, kinds=self.kinds, since=self.since,
            limit=stop - start, offset=start,
        )[1]  # fmt: skip
        for row in rows:
            row["recorded_at"] = datetime.fromisoformat(str(row["recorded"]))
        return rows


def itinerary_areas(check: dict[str, Any] | None) -> dict[str, list[int]]:
    """{ISO 3166-2 code: the segments that stay in or cross it} of a trip's check."""
    areas: dict[str, list[int]] = {}
    for segment in (check or {}).get("segments", []):
        for area in segment.get("areas", []):
            found = areas.setdefault(area["code"], [])
            if segment["index"] not in found:
                found.append(segment["index"])
    return areas


def country_of_area(change: dict[str, Any]) -> str:
    """The name of the country of a change's area when the area is part of it ("Ecuador" for
    El Oro), else "" (the area is the country, or there is none)."""
    code, country = change.get("area_code"), change.get("country")
    if code and country and country_alpha2(country) != code:
        return area_name(country)
    return ""


def place_of(change: dict[str, Any]) -> str:
    """Where a change is, with its country when that is not already said: "El Oro (EC-O),
    Ecuador", "Peru (PE)", "Peru"."""
    code, name = change.get("area_code"), str(change.get("area_name") or "")
    where = f"{name} ({code})" if code and code != name else name
    country = country_of_area(change)
    return f"{where}, {country}" if country else where


def on_trip(change: dict[str, Any], areas: dict[str, list[int]], countries: set[str]) -> str:
    """Where a change stands against a trip, in words: on its itinerary (which segments),
    elsewhere in one of its countries, or in another country that it concerns (a hazard near
    the border, a cyclone GDACS says affects it)."""
    code, country = change.get("area_code"), change.get("country")
    if code in areas:
        segments = areas[code]
        return (
            f"on the itinerary (segment{'s' if len(segments) > 1 else ''} "
            f"{', '.join(map(str, segments))})"
        )
    trip_names = ", ".join(area_name(c) for c in sorted(countries))
    if country in countries:
        if code and country_alpha2(country) == code:
            return f"the whole of {area_name(country)}, a country of the trip"
        if not code:  # an outbreak in the country: where in it, the report does not say
            return f"in {area_name(country)}, a country of the trip (no area named)"
        return f"in {area_name(country)}, a country of the trip, off the itinerary"
    return f"outside the trip's countries, near or affecting {trip_names}"


def changes_on_trip(
    check: dict[str, Any] | None, countries: set[str], since: datetime,
    kinds: list[str] | None = None, db_path: Path | None = None, limit: int = 100,
) -> list[dict[str, Any]]:  # fmt: skip
    """The changes recorded since ``since`` about a trip's countries (alpha-3), newest
    first, each with ``place`` and ``on_trip`` in words, ``on_itinerary`` and
    ``source_name``. Raises StoreBusy while an import writes the store."""
    if not countries:
        return []
    _, rows = list_changes(
        db_path or events_db_path(), countries=countries, kinds=kinds, since=since, limit=limit
    )
    areas = itinerary_areas(check)
    for row in rows:
        row["place"] = place_of(row)
        row["on_trip"] = on_trip(row, areas, countries)
        row["on_itinerary"] = row.get("area_code") in areas
        row["source_name"] = SOURCE_NAMES.get(str(row["source"]), row["source"])
        row["recorded_at"] = datetime.fromisoformat(str(row["recorded"]))
    return rows
