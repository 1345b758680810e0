"""The report's threats by category (section 6): each threat category with the analyst's
summary, and the risks, incidents and actors under it, most serious first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskatlas.method import Category, default_taxonomy
from riskatlas.method.register import RatedRisk
from riskatlas.reports.actors import ActorView
from riskatlas.reports.citations import Citations, Ref
from riskatlas.reports.incidents import IncidentView


@dataclass
class CategoryView:
    category: Category
    summary: str
    modus_operandi: str
    targeting: str
    trend: str
    trend_note: str
    refs: list[Ref]
    risks: list[RatedRisk]
    incidents: list[IncidentView]
    actors: list[ActorView]

    @property
    def top_rank(self) -> int:
        return max((r.residual.level.rank for r in self.risks), default=0)


def threat_refs(doc: dict[str, Any], cites: Citations) -> dict[str, list[Ref]]:
    """The references of each threat's evidence by category code, cited in document order."""
    taxonomy = default_taxonomy()
    threats = {t["category"]: t for t in doc.get("threats") or []}
    return {
        code: cites.cite(t.get("evidence"), f"Threat: {taxonomy.name(code)}")
        for code, t in threats.items()
    }


def category_views(
    doc: dict[str, Any],
    refs: dict[str, list[Ref]],
    risks: list[RatedRisk],
    incidents: list[IncidentView],
    actors: list[ActorView],
) -> list[CategoryView]:
    """Every category with a threat, a risk or an incident; the category of the highest
    residual level first, then that of the better-ranked risk, then taxonomy order."""
    taxonomy = default_taxonomy()
    threats = {t["category"]: t for t in doc.get("threats") or []}
    codes = set(threats) | {r.category.code for r in risks}
    codes |= {c.code for i in incidents for c in i.categories}
    categories = []
    for code in codes:
        threat = threats.get(code, {})
        categories.append(
            CategoryView(
                category=taxonomy.get(code),
                summary=threat.get("summary", ""),
                modus_operandi=threat.get("modus_operandi", ""),
                targeting=threat.get("targeting", ""),
                trend=threat.get("trend", ""),
                trend_note=threat.get("trend_note", ""),
                refs=refs.get(code, []),
                risks=[r for r in risks if r.category.code == code],
                incidents=[i for i in incidents if any(c.code == code for c in i.categories)],
                actors=[a for a in actors if any(c.code == code for c in a.categories)],
            )
        )
    order = {code: n for n, code in enumerate(taxonomy.codes)}
    categories.sort(
        key=lambda c: (
            -c.top_rank,
            min((r.number for r in c.risks), default=0) or 999,
            order[c.category.code],
        )
    )
    return categories
