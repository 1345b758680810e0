"""What to watch (section 11, security levels and triggers): coming events and developments
with the triggers that would change the levels."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskatlas.method import Category, default_taxonomy
from riskatlas.reports.citations import Citations, Ref
from riskatlas.reports.dates import date_text


@dataclass
class WatchItemView:
    title: str
    kind: str
    when: str
    description: str
    areas: list[str]
    categories: list[Category]
    triggers: list[str]
    refs: list[Ref]


def watch_item_views(
    doc: dict[str, Any], cites: Citations, area_names: dict[str, str]
) -> list[WatchItemView]:
    """The document's watch items in document order, citing their evidence."""
    taxonomy = default_taxonomy()
    return [
        WatchItemView(
            title=w["title"],
            kind=w.get("kind", "").replace("-", " "),
            when=date_text(w.get("date")),
            description=w.get("description", ""),
            areas=[area_names.get(c, c) for c in w.get("areas") or []],
            categories=[taxonomy.get(c) for c in w.get("categories") or []],
            triggers=list(w["triggers"]),
            refs=cites.cite(w.get("evidence"), f"Watch item: {w['title']}"),
        )
        for w in doc.get("watch_items") or []
    ]
