"""The report's incidents (the incident log, annex A, and the threats section): numbered in
date order, with the place, casualties and actors in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskatlas.method import Category, default_taxonomy
from riskatlas.reports.actors import actor_names
from riskatlas.reports.citations import Citations, Ref
from riskatlas.reports.dates import date_text, precision


@dataclass
class IncidentView:
    number: int
    id: str
    title: str
    date: str
    when: str
    precision: str
    place: str
    categories: list[Category]
    actors: list[str]
    casualties: str
    description: str
    refs: list[Ref]

    @property
    def line(self) -> str:
        """Its title and place in one line: "Attack on a patrol, Ayacucho" (the title's full
        stop left out before the place, as in a sentence read from a report)."""
        if not self.place:
            return self.title
        title = self.title[:-1] if self.title.endswith(".") else self.title
        return f"{title}, {self.place}"


def _place_text(place: str, area: str) -> str:
    """'Villa Tunari, Trópico de Cochabamba'; 'Lima (Metropolitan Lima)' rather than
    'Lima, Lima (Metropolitan Lima)'."""
    if place and area and not area.startswith(place):
        return f"{place}, {area}"
    return area or place


def _casualties(data: dict[str, int] | None) -> str:
    data = data or {}
    words = [f"{data[k]} {k}" for k in ("killed", "injured", "abducted") if data.get(k)]
    return ", ".join(words)


def _description(inc: dict[str, Any]) -> str:
    """The description, unless it only repeats the title (a sentence read from a report is
    both)."""
    text = inc.get("description", "")
    return "" if " ".join(text.split()) == " ".join(inc["title"].split()) else text


def incident_views(
    doc: dict[str, Any], cites: Citations, area_names: dict[str, str]
) -> list[IncidentView]:
    """The document's incidents, oldest first and numbered from 1, citing their evidence."""
    taxonomy = default_taxonomy()
    places = {p["id"]: p for p in doc.get("places") or []}
    actors = actor_names(doc)
    incidents = []
    for number, inc in enumerate(sorted(doc.get("incidents") or [], key=lambda i: i["date"]), 1):
        place = places.get(inc.get("place", ""))
        area_code = inc.get("area") or (place["area"] if place else "")
        where = _place_text(place["name"] if place else "", area_names.get(area_code, ""))
        incidents.append(
            IncidentView(
                number=number,
                id=inc["id"],
                title=inc["title"],
                date=inc["date"],
                when=date_text(inc["date"]),
                precision=precision(inc["date"]),
                place=where,
                categories=[taxonomy.get(c) for c in inc["categories"]],
                actors=[actors.get(x, x) for x in inc.get("actors") or []],
                casualties=_casualties(inc.get("casualties")),
                description=_description(inc),
                refs=cites.cite(inc.get("evidence"), f"Incident: {number}. {inc['title']}"),
            )
        )
    return incidents
