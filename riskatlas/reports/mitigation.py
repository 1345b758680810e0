"""The report's mitigation (section 10): the recommendations by priority and the measures of
the mitigation library by domain, each with the risks it serves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskatlas.method.register import Measure, RatedRisk, group_names, measures_of
from riskatlas.reports.citations import Citations, Ref

DOMAIN_NAMES = {
    "movement": "Movement",
    "communications": "Communications",
    "medical": "Medical",
    "training": "Training",
    "procedures": "Procedures (SOPs)",
    "site": "Sites and accommodation",
    "information": "Information",
    "personal": "Personal security",
}
PRIORITIES = ("essential", "high", "medium", "low")


@dataclass
class RecommendationView:
    id: str
    text: str
    priority: str
    applies_to: list[str]
    mitigation: Measure | None
    risks: list[str]
    refs: list[Ref]


@dataclass
class MitigationView:
    code: str
    name: str
    domain: str
    description: str
    risks: list[str]


def recommendation_views(
    doc: dict[str, Any], cites: Citations, risks: list[RatedRisk]
) -> list[RecommendationView]:
    """The recommendations, most urgent priority first, citing their evidence."""
    groups, measures = group_names(doc), measures_of(doc)
    risk_labels = {r.id: r.label for r in risks}
    recommendations = []
    for rec in doc.get("recommendations") or []:
        code = rec.get("mitigation")
        recommendations.append(
            RecommendationView(
                id=rec["id"],
                text=rec["text"],
                priority=rec["priority"],
                applies_to=[groups.get(g, g) for g in rec.get("applies_to") or []],
                mitigation=measures.get(code, Measure(code, code)) if code else None,
                risks=[risk_labels[r] for r in rec.get("risks") or []],
                refs=cites.cite(rec.get("evidence"), f"Recommendation: {rec['text'].rstrip('.')}"),
            )
        )
    recommendations.sort(key=lambda r: PRIORITIES.index(r.priority))
    return recommendations


def mitigation_groups(
    doc: dict[str, Any], risks: list[RatedRisk]
) -> list[tuple[str, list[MitigationView]]]:
    """The mitigation library as (domain name, measures), domains in a fixed order."""
    by_domain: dict[str, list[MitigationView]] = {}
    labels: dict[str, list[str]] = {}  # the risks that name each measure, in register order
    for r in risks:
        for code in dict.fromkeys(x.code for x in r.measures):
            labels.setdefault(code, []).append(r.label)
    for m in doc.get("mitigations") or []:
        by_domain.setdefault(m["domain"], []).append(
            MitigationView(
                code=m["code"],
                name=m["name"],
                domain=m["domain"],
                description=m["description"],
                risks=list(labels.get(m["code"], [])),
            )
        )
    return [(DOMAIN_NAMES[d], by_domain[d]) for d in DOMAIN_NAMES if d in by_domain]
