"""The report's actors (section 5): armed groups, criminal networks and others, with their
strength, areas, threat categories and links to other actors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskatlas.method import Category, default_taxonomy
from riskatlas.reports.citations import Citations, Ref
from riskatlas.reports.dates import date_text


@dataclass
class ActorView:
    id: str
    name: str
    aliases: list[str]
    type: str
    status: str
    description: str
    strength: str
    strength_as_of: str
    strength_refs: list[Ref]
    areas: list[str]
    categories: list[Category]
    links: list[tuple[str, str]]
    refs: list[Ref]


def actor_names(doc: dict[str, Any]) -> dict[str, str]:
    """Every actor's name by id."""
    return {a["id"]: a["name"] for a in doc.get("actors") or []}


def actor_views(
    doc: dict[str, Any], cites: Citations, area_names: dict[str, str]
) -> list[ActorView]:
    """The document's actors in document order, citing their evidence."""
    taxonomy = default_taxonomy()
    names = actor_names(doc)
    actors = []
    for a in doc.get("actors") or []:
        strength = a.get("strength") or {}
        actors.append(
            ActorView(
                id=a["id"],
                name=a["name"],
                aliases=list(a.get("aliases") or []),
                type=a["type"].replace("-", " "),
                status=a.get("status", ""),
                description=a.get("description", ""),
                strength=strength.get("estimate", ""),
                strength_as_of=date_text(strength.get("as_of")),
                strength_refs=cites.cite_source(
                    strength.get("source"), f"Actor: {a['name']}", strength.get("credibility")
                ),
                areas=[area_names.get(c, c) for c in a.get("areas") or []],
                categories=[taxonomy.get(c) for c in a.get("categories") or []],
                links=[(ln["relation"], names[ln["actor"]]) for ln in a.get("links") or []],
                refs=cites.cite(a.get("evidence"), f"Actor: {a['name']}"),
            )
        )
    return actors
