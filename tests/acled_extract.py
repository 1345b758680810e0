"""Synthetic ACLED extracts for tests, written in the real 31-column export format: a full
extract holds every event of its country from its first to its last day."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from riskatlas.evidence.sources.acled import EXPORT_COLUMNS

COLUMNS = list(EXPORT_COLUMNS)


@dataclass(frozen=True)
class Place:
    iso: str  # ISO 3166-1 numeric, as ACLED writes it
    country: str
    admin1: str
    location: str
    latitude: float
    longitude: float
    prefix: str  # the event id prefix ACLED uses for the country ("COL")


ARAUCA = Place("170", "Colombia", "Arauca", "Tame", 6.4609, -71.7370, "COL")
LIMA = Place("604", "Peru", "Lima", "Lima", -12.0432, -77.0282, "PER")
AYACUCHO = Place("604", "Peru", "Ayacucho", "Huanta", -12.9333, -74.25, "PER")

KINDS = {
    "clash": ("Political violence", "Battles", "Armed clash", "ELN: National Liberation Army",
              "", "Military Forces of Colombia (2018-2022)", "", "ELN members clashed with"
              " the army"),
    "abduction": ("Political violence", "Violence against civilians",
                  "Abduction/forced disappearance", "ELN: National Liberation Army", "",
                  "Civilians (Colombia)", "Aid Workers (Colombia)", "ELN members abducted two"
                  " aid workers"),
    "attack": ("Political violence", "Violence against civilians", "Attack",
               "ELN: National Liberation Army", "", "Civilians (Colombia)",
               "Aid Workers (Colombia)", "ELN members abducted and killed an aid worker"),
    "protest": ("Demonstrations", "Protests", "Peaceful protest", "Protesters (Peru)", "",
                "", "", "teachers marched to demand higher pay"),
}  # fmt: skip


def event(place: Place, number: int, day: date, kind: str, fatalities: int = 0) -> dict[str, str]:
    disorder, etype, sub, actor1, assoc1, actor2, assoc2, what = KINDS[kind]
    return {
        "event_id_cnty": f"{place.prefix}{number}", "event_date": day.isoformat(),
        "year": str(day.year), "time_precision": "1", "disorder_type": disorder,
        "event_type": etype, "sub_event_type": sub, "actor1": actor1, "assoc_actor_1": assoc1,
        "inter1": "2", "actor2": actor2, "assoc_actor_2": assoc2, "inter2": "7",
        "interaction": "27", "civilian_targeting": "", "iso": place.iso,
        "region": "South America", "country": place.country, "admin1": place.admin1,
        "admin2": place.location, "admin3": "", "location": place.location,
        "latitude": str(place.latitude), "longitude": str(place.longitude),
        "geo_precision": "1", "source": "El Tiempo", "source_scale": "National",
        "notes": f"On {day.day} {day:%B %Y}, in {place.location} ({place.admin1}), {what}.",
        "fatalities": str(fatalities), "tags": "", "timestamp": "1656900000",
    }  # fmt: skip


def full_year(place: Place, first: date, last: date, kind: str, every: int) -> list[dict[str, str]]:
    """An event of ``kind`` on ``first``, every ``every`` days after, and on ``last``; every
    third one with a death."""
    days = [first + timedelta(days=n) for n in range(0, (last - first).days, every)] + [last]
    return [
        event(place, 90000 + i, d, kind, fatalities=int(i % 3 == 0)) for i, d in enumerate(days)
    ]


def write_extract(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path
