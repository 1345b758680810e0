"""Turn a normalised assessment document into everything a report shows. Pure Python.

``build_context(doc)`` rates every risk on the assessment's own matrix and numbers the
register worst first (``riskatlas.method.register``), derives area levels, counts the heat
maps, groups threats by category with their incidents and actors, numbers evidence like
footnotes and assembles the glossary. Each report section's part is built by its own module
(``about``, ``topics``, ``actors``, ``incidents``, ``threats``, ``areas``, ``heat_maps``,
``exposure``, ``mitigation``, ``watch``, ``advice``); the templates (HTML, PDF, Markdown)
only format what is here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from riskatlas.method import AreaLevel, Category, Matrix
from riskatlas.method.areas import area_names, overall_level
from riskatlas.method.register import RatedRisk, rate_risks
from riskatlas.reports.about import Metadata, metadata
from riskatlas.reports.actors import ActorView, actor_views
from riskatlas.reports.advice import official_advice
from riskatlas.reports.areas import AreaView, area_views
from riskatlas.reports.citations import Citations, Judgement, Ref, SourceEntry
from riskatlas.reports.exposure import exposure_view
from riskatlas.reports.glossary import Glossary, glossary
from riskatlas.reports.heat_maps import HeatMap, heat_map
from riskatlas.reports.incidents import IncidentView, incident_views
from riskatlas.reports.mitigation import (
    MitigationView,
    RecommendationView,
    mitigation_groups,
    recommendation_views,
)
from riskatlas.reports.sections import SECTIONS, Section
from riskatlas.reports.threats import CategoryView, category_views, threat_refs
from riskatlas.reports.topics import ContextTopic, context_topics
from riskatlas.reports.watch import WatchItemView, watch_item_views

__all__ = ["RatedRisk", "ReportContext", "build_context"]

TOP_RISKS = 5


@dataclass
class ReportContext:
    meta: Metadata
    sections: tuple[Section, ...]
    matrix: Matrix
    risks: list[RatedRisk]
    top_risks: list[RatedRisk]
    areas: list[AreaView]
    overall: AreaLevel
    heat_maps: tuple[HeatMap, HeatMap]
    categories: list[CategoryView]
    context: list[ContextTopic]
    actors: list[ActorView]
    incidents: list[IncidentView]
    exposure: dict[str, Any]
    mitigations: list[tuple[str, list[MitigationView]]]
    recommendations: list[RecommendationView]
    key_recommendations: list[RecommendationView]
    watch_items: list[WatchItemView]
    official_advice: list[dict[str, Any]]
    sources: list[SourceEntry]
    glossary: Glossary
    # The footnote references of each risk's evidence, by risk id (the register's rationale).
    risk_refs: dict[str, list[Ref]] = field(default_factory=dict)
    # The named judgements behind each risk's ratings (who, when, why), by risk id.
    risk_judgements: dict[str, list[Judgement]] = field(default_factory=dict)
    # Whose each place and its coordinates are, by place id.
    place_refs: dict[str, list[Ref]] = field(default_factory=dict)
    # Imported open data beside the assessment (riskatlas.reports.open_data.gather):
    # {"evidence": {"panels": {risk id: panel}, "window": ...}, "advice": {...}}; empty if none.
    open_data: dict[str, Any] = field(default_factory=dict)

    @property
    def hot_spots(self) -> list[AreaView]:
        return [a for a in self.areas if a.hot_spot or a.no_go]

    @property
    def no_go_areas(self) -> list[AreaView]:
        return [a for a in self.areas if a.no_go]

    def risks_by_category(self) -> list[tuple[Category, list[RatedRisk]]]:
        out: dict[str, tuple[Category, list[RatedRisk]]] = {}
        for risk in self.risks:
            out.setdefault(risk.category.code, (risk.category, []))[1].append(risk)
        return sorted(out.values(), key=lambda pair: (-len(pair[1]), pair[0].code))


def _risk_refs(
    doc: dict[str, Any], cites: Citations, risks: list[RatedRisk]
) -> dict[str, list[Ref]]:
    """Each risk's evidence cited in register order (the first risk of an id counts)."""
    evidence: dict[str, Any] = {}
    for risk in doc.get("risks") or []:
        evidence.setdefault(risk["id"], risk.get("evidence"))
    return {r.id: cites.cite(evidence[r.id], f"Risk: {r.label} {r.title}") for r in risks}


def build_context(doc: dict[str, Any], open_data: dict[str, Any] | None = None) -> ReportContext:
    """Everything the report shows, derived from a normalised assessment document (and the
    imported open data gathered for it, when given)."""
    matrix = Matrix.from_dict(doc["matrix"])
    cites = Citations(doc.get("sources") or [])
    names = area_names(doc)
    risks = rate_risks(doc, matrix)
    # Cite in section order so that footnote numbers rise through the text.
    topics = context_topics(doc, cites)
    actors = actor_views(doc, cites, names)
    threats = threat_refs(doc, cites)
    incidents = incident_views(doc, cites, names)
    risk_refs = _risk_refs(doc, cites, risks)
    recommendations = recommendation_views(doc, cites, risks)
    watch_items = watch_item_views(doc, cites, names)
    areas = area_views(doc, risks, names)
    area_refs = {
        a["code"]: cites.cite(a.get("evidence"), f"Area: {names.get(a['code'], a['code'])}")
        for a in doc.get("areas") or []
    }
    for view in areas:
        view.refs = area_refs.get(view.code, [])
    place_refs = {
        p["id"]: cites.cite(p.get("evidence"), f"Place: {p['name']}")
        for p in doc.get("places") or []
    }
    risk_evidence: dict[str, Any] = {}
    for risk in doc.get("risks") or []:
        risk_evidence.setdefault(risk["id"], risk.get("evidence"))
    risk_judgements = {r.id: cites.judgements(risk_evidence[r.id]) for r in risks}
    return ReportContext(
        meta=metadata(doc),
        sections=SECTIONS,
        matrix=matrix,
        risks=risks,
        top_risks=risks[:TOP_RISKS],
        areas=areas,
        overall=overall_level(doc, risks),
        heat_maps=(heat_map("inherent", matrix, risks), heat_map("residual", matrix, risks)),
        categories=category_views(doc, threats, risks, incidents, actors),
        context=topics,
        actors=actors,
        incidents=incidents,
        exposure=exposure_view(doc, names),
        mitigations=mitigation_groups(doc, risks),
        recommendations=recommendations,
        key_recommendations=[r for r in recommendations if r.priority in ("essential", "high")],
        watch_items=watch_items,
        official_advice=official_advice(doc),
        sources=cites.annex(),
        glossary=glossary(matrix),
        risk_refs=risk_refs,
        risk_judgements=risk_judgements,
        place_refs=place_refs,
        open_data=open_data or {},
    )
