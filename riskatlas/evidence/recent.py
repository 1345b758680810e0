"""Recent events in given areas, for alerts on trips: how many each source recorded in each
ISO 3166-2 area over a window of days, and the deaths among them. Sources overlap (one
protest in ACLED and in GDELT), so an area's count is its largest single source's, never the
sum."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from riskatlas.evidence.store import connect


@dataclass(frozen=True)
class RecentEvents:
    area: str
    events: int
    deaths: int
    source: str
    categories: tuple[str, ...]


def recent_events(
    db_path: str | Path, areas: Iterable[str], since: date, until: date
) -> dict[str, RecentEvents]:
    """{area code: RecentEvents} for the areas with any event from ``since`` to ``until``
    (both included). Raises FileNotFoundError when there is no store, StoreBusy while an
    import holds it."""
    codes = sorted({a.upper() for a in areas})
    if not codes:
        return {}
    con = connect(db_path, read_only=True)
    try:
        rows = con.execute(
            "SELECT area_code, source, count(*), coalesce(sum(fatalities), 0),"
            " list(DISTINCT category ORDER BY category) FROM events"
            " WHERE area_code IN (SELECT unnest(?)) AND event_date BETWEEN ? AND ?"
            " GROUP BY area_code, source ORDER BY area_code, count(*) DESC, source",
            [codes, since, until],
        ).fetchall()
    finally:
        con.close()
    out: dict[str, RecentEvents] = {}
    for area, source, events, deaths, categories in rows:
        if area not in out:  # the source with most events in the area
            out[area] = RecentEvents(area, int(events), int(deaths), source, tuple(categories))
    return out
