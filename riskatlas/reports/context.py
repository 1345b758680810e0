"""Turn a normalised assessment document into everything a report shows. Pure Python.

``build_context(doc)`` derives the ratings of every risk on the assessment's own matrix,
sorts the register, derives area levels, counts the heat map, groups threats by category
with their incidents and actors, numbers evidence like footnotes and assembles the glossary.
The templates (HTML, PDF, Markdown) only format what is here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from riskatlas.geography import iso_area
from riskatlas.method import AreaLevel, Category, Matrix, MatrixLevel, default_taxonomy, score_risk
from riskatlas.method.scoring import Rating
from riskatlas.reports.areas import AreaView, area_views, overall_level
from riskatlas.reports.citations import Citations, Ref, SourceEntry
from riskatlas.reports.dates import date_text, precision, span_text
from riskatlas.reports.glossary import Glossary, glossary
from riskatlas.reports.sections import SECTIONS, Section

STATUS_NAMES = {
    "draft": "draft",
    "in_review": "in review",
    "approved": "approved",
    "published": "published",
}
TOPIC_ORDER = (
    "political",
    "economic",
    "social",
    "security-forces",
    "international-relations",
    "other",
)
TOPIC_NAMES = {
    "political": "Political",
    "economic": "Economic",
    "social": "Social",
    "security-forces": "Security forces",
    "international-relations": "International relations",
    "other": "Other",
}
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
GOVERNMENTS = {
    "US": "United States",
    "UK": "United Kingdom",
    "CA": "Canada",
    "AU": "Australia",
    "IE": "Ireland",
    "other": "Other",
}
TOP_RISKS = 5


@dataclass(frozen=True)
class Measure:
    code: str
    name: str


@dataclass
class RatedRisk:
    number: int
    id: str
    title: str
    category: Category
    area: str
    area_name: str
    exposed: list[str]
    circumstance: str
    inherent: Rating
    current: Rating | None
    residual: Rating
    trend: str
    confidence: str
    rationale: str
    owner: str
    measures: list[Measure]
    refs: list[Ref] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"R{self.number}"


@dataclass(frozen=True)
class HeatCell:
    likelihood: int
    impact: int
    level: MatrixLevel
    risks: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.risks)


@dataclass(frozen=True)
class HeatMap:
    kind: str  # "inherent" or "residual"
    likelihood_values: tuple[int, ...]
    impact_values: tuple[int, ...]
    cells: tuple[HeatCell, ...]  # impact descending, likelihood ascending, as drawn

    @property
    def total(self) -> int:
        return sum(c.count for c in self.cells)

    def cell(self, likelihood: int, impact: int) -> HeatCell:
        return next(c for c in self.cells if (c.likelihood, c.impact) == (likelihood, impact))


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


@dataclass
class ContextTopic:
    topic: str
    name: str
    entries: list[tuple[str, str, list[Ref]]]


@dataclass
class Metadata:
    slug: str
    title: str
    country: str
    country_name: str
    scope: str
    author: str
    organisation: str
    as_of: str
    field_visit: str
    field_visit_note: str
    review_by: str
    status: str
    version: int
    likelihood_period: str
    risk_appetite: str
    summary: str
    trend: str
    trend_note: str

    @property
    def marking(self) -> str:
        """The classification-style status line printed on every page."""
        return f"{self.status.upper()} — version {self.version}"


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


def _risk_sort_key(risk: RatedRisk) -> tuple[int, int, int, int, str]:
    return (
        -risk.residual.level.rank,
        -risk.residual.score,
        -risk.inherent.level.rank,
        -risk.inherent.score,
        risk.title,
    )


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


def _area_names(doc: dict[str, Any]) -> dict[str, str]:
    names = {}
    for area in doc.get("areas") or []:
        iso = iso_area(area["code"])
        names[area["code"]] = area.get("name") or (iso.name if iso else area["code"])
    return names


def _pair(rating: dict[str, int] | None) -> tuple[int, int] | None:
    return (int(rating["likelihood"]), int(rating["impact"])) if rating else None


def _rate_risks(
    doc: dict[str, Any],
    matrix: Matrix,
    area_names: dict[str, str],
    groups: dict[str, str],
    measures: dict[str, Measure],
) -> list[RatedRisk]:
    taxonomy = default_taxonomy()
    rated = []
    for risk in doc.get("risks") or []:
        scores = score_risk(
            matrix,
            inherent=_pair(risk["inherent"]),  # type: ignore[arg-type]
            residual=_pair(risk.get("residual")),
            current=_pair(risk.get("current")),
        )
        rated.append(
            RatedRisk(
                number=0,
                id=risk["id"],
                title=risk["title"],
                category=taxonomy.get(risk["category"]),
                area=risk["area"],
                area_name=area_names.get(risk["area"], risk["area"]),
                exposed=[groups.get(g, g) for g in risk.get("exposed") or []],
                circumstance=risk.get("circumstance", ""),
                inherent=scores.inherent,
                current=scores.current,
                residual=scores.residual,
                trend=risk.get("trend", ""),
                confidence=risk.get("confidence", ""),
                rationale=risk["rationale"],
                owner=risk.get("owner", ""),
                measures=[measures.get(c, Measure(c, c)) for c in risk.get("measures") or []],
            )
        )
    rated.sort(key=_risk_sort_key)
    for number, risk in enumerate(rated, start=1):
        risk.number = number
    return rated


def _heat_map(kind: str, matrix: Matrix, risks: list[RatedRisk]) -> HeatMap:
    cells = []
    for likelihood, impact, level in matrix.cells():
        numbers = tuple(
            r.number
            for r in risks
            if (getattr(r, kind).likelihood, getattr(r, kind).impact) == (likelihood, impact)
        )
        cells.append(HeatCell(likelihood, impact, level, numbers))
    return HeatMap(kind, matrix.likelihood_values, matrix.impact_values, tuple(cells))


def _metadata(doc: dict[str, Any]) -> Metadata:
    a = doc["assessment"]
    visit = a.get("field_visit") or {}
    iso = iso_area(a["country"])
    return Metadata(
        slug=a["slug"],
        title=a["title"],
        country=a["country"],
        country_name=iso.name if iso else a["country"],
        scope=a["scope"],
        author=a["author"]["name"],
        organisation=a["author"].get("organisation", ""),
        as_of=date_text(a["as_of"]),
        field_visit=span_text(visit.get("start"), visit.get("end")),
        field_visit_note=visit.get("note", ""),
        review_by=date_text(a.get("review_by")),
        status=STATUS_NAMES.get(a.get("status", "draft"), a.get("status", "draft")),
        version=int(a.get("version", 1)),
        likelihood_period=a.get("likelihood_period", ""),
        risk_appetite=a.get("risk_appetite", ""),
        summary=a.get("summary", ""),
        trend=a.get("trend", ""),
        trend_note=a.get("trend_note", ""),
    )


def build_context(doc: dict[str, Any], open_data: dict[str, Any] | None = None) -> ReportContext:
    """Everything the report shows, derived from a normalised assessment document (and the
    imported open data gathered for it, when given)."""
    taxonomy = default_taxonomy()
    matrix = Matrix.from_dict(doc["matrix"])
    cites = Citations(doc.get("sources") or [])
    area_names = _area_names(doc)
    places = {p["id"]: p for p in doc.get("places") or []}
    exposure = doc.get("exposure") or {}
    groups = {g["id"]: g["name"] for g in exposure.get("groups") or []}
    measures = {m["code"]: Measure(m["code"], m["name"]) for m in doc.get("mitigations") or []}
    actor_names = {a["id"]: a["name"] for a in doc.get("actors") or []}

    risks = _rate_risks(doc, matrix, area_names, groups, measures)
    areas = area_views(doc, risks, area_names)

    # Walk the report in section order so that footnote numbers rise through the text.
    topics = []
    for topic in TOPIC_ORDER:
        entries = [
            (c["title"], c["text"], cites.cite(c.get("evidence"), f"Context: {c['title']}"))
            for c in doc.get("context") or []
            if c["topic"] == topic
        ]
        if entries:
            topics.append(ContextTopic(topic, TOPIC_NAMES[topic], entries))

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
                links=[(ln["relation"], actor_names[ln["actor"]]) for ln in a.get("links") or []],
                refs=cites.cite(a.get("evidence"), f"Actor: {a['name']}"),
            )
        )

    threats = {t["category"]: t for t in doc.get("threats") or []}
    threat_refs = {
        code: cites.cite(t.get("evidence"), f"Threat: {taxonomy.name(code)}")
        for code, t in threats.items()
    }

    incidents = []
    for number, inc in enumerate(sorted(doc.get("incidents") or [], key=lambda i: i["date"]), 1):
        place = places.get(inc.get("place", ""))
        where = place["name"] if place else ""
        area_code = inc.get("area") or (place["area"] if place else "")
        area_name = area_names.get(area_code, "")
        where = _place_text(where, area_name)
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
                actors=[actor_names.get(x, x) for x in inc.get("actors") or []],
                casualties=_casualties(inc.get("casualties")),
                description=inc.get("description", ""),
                refs=cites.cite(inc.get("evidence"), f"Incident: {number}. {inc['title']}"),
            )
        )

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
                refs=threat_refs.get(code, []),
                risks=[r for r in risks if r.category.code == code],
                incidents=[i for i in incidents if any(c.code == code for c in i.categories)],
                actors=[a for a in actors if any(c.code == code for c in a.categories)],
            )
        )
    order = {code: n for n, code in enumerate(taxonomy.codes)}
    # Most serious first: highest residual level, then the category of the better-ranked risk.
    categories.sort(
        key=lambda c: (
            -c.top_rank,
            min((r.number for r in c.risks), default=0) or 999,
            order[c.category.code],
        )
    )

    for risk in risks:
        risk.refs = cites.cite(
            (doc["risks"][_index(doc, risk.id)]).get("evidence"), f"Risk: {risk.label} {risk.title}"
        )

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
                refs=cites.cite(rec.get("evidence"), f"Recommendation: {rec['text'][:60]}"),
            )
        )
    recommendations.sort(key=lambda r: PRIORITIES.index(r.priority))

    watch_items = [
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

    by_domain: dict[str, list[MitigationView]] = {}
    for m in doc.get("mitigations") or []:
        by_domain.setdefault(m["domain"], []).append(
            MitigationView(
                code=m["code"],
                name=m["name"],
                domain=m["domain"],
                description=m["description"],
                risks=[r.label for r in risks if any(x.code == m["code"] for x in r.measures)],
            )
        )
    mitigations = [(DOMAIN_NAMES[d], by_domain[d]) for d in DOMAIN_NAMES if d in by_domain]

    advice = [
        {
            **_filled(a, "summary", "url", "as_of"),
            "no_go": list(a.get("no_go") or []),
            "government_name": GOVERNMENTS.get(a["government"], a["government"]),
            "as_of_text": date_text(a.get("as_of")),
        }
        for a in doc.get("official_advice") or []
    ]

    return ReportContext(
        meta=_metadata(doc),
        sections=SECTIONS,
        matrix=matrix,
        risks=risks,
        top_risks=risks[:TOP_RISKS],
        areas=areas,
        overall=overall_level(doc, risks, areas),
        heat_maps=(_heat_map("inherent", matrix, risks), _heat_map("residual", matrix, risks)),
        categories=categories,
        context=topics,
        actors=actors,
        incidents=incidents,
        exposure=_exposure(exposure, area_names, places),
        mitigations=mitigations,
        recommendations=recommendations,
        key_recommendations=[r for r in recommendations if r.priority in ("essential", "high")],
        watch_items=watch_items,
        official_advice=advice,
        sources=cites.annex(),
        glossary=glossary(matrix),
        open_data=open_data or {},
    )


def _index(doc: dict[str, Any], risk_id: str) -> int:
    return next(i for i, r in enumerate(doc["risks"]) if r["id"] == risk_id)


def _filled(item: dict[str, Any], *keys: str) -> dict[str, Any]:
    """A copy of ``item`` with every optional text field present (empty when absent)."""
    return {**dict.fromkeys(keys, ""), **item}


def _exposure(
    exposure: dict[str, Any], area_names: dict[str, str], places: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    def place(pid: str | None) -> str:
        return places[pid]["name"] if pid and pid in places else ""

    return {
        "groups": [_filled(g, "description") for g in exposure.get("groups") or []],
        "activities": [
            {
                **_filled(a, "description"),
                "area_names": [area_names.get(c, c) for c in a.get("areas") or []],
            }
            for a in exposure.get("activities") or []
        ],
        "sites": [
            {**_filled(s, "description"), "place_name": place(s.get("place"))}
            for s in exposure.get("sites") or []
        ],
        "routes": [
            {
                **_filled(r, "description"),
                "from_name": place(r.get("from")),
                "to_name": place(r.get("to")),
            }
            for r in exposure.get("routes") or []
        ],
    }
