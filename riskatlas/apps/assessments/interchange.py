"""Storing interchange documents in the database and reading them back.

``import_document`` writes a normalised document in one transaction (all or nothing);
``export_version`` reads a version back as the same normalised document, so
import → export → import changes nothing. While a version is in review, a changed document is
refused (``VersionLockedError``) rather than replacing it or making a version beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from riskatlas.apps.accounts.models import Team
from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments.models import (
    Activity,
    Assessment,
    AssessmentVersion,
    ContextSection,
    ExposureGroup,
    Mitigation,
    OfficialAdvice,
    Recommendation,
    Risk,
    Route,
    Site,
    Status,
    ThreatNarrative,
    VersionLockedError,
    WatchItem,
)
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.models import Actor, ActorLink, Evidence, Incident, Source
from riskatlas.document.normalise import normalise

PART_MODELS = (
    Evidence,
    ActorLink,
    Incident,
    Actor,
    Risk,
    Recommendation,
    WatchItem,
    OfficialAdvice,
    ThreatNarrative,
    ContextSection,
    Mitigation,
    Site,
    Route,
    Activity,
    ExposureGroup,
    Place,
    Source,
    AssessmentArea,
)


def content_hash(doc: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ImportResult:
    assessment: Assessment
    version: AssessmentVersion
    action: str  # created | replaced | unchanged | new-version

    def describe(self) -> str:
        v = self.version
        return {
            "created": f"created {v.assessment.slug} version {v.number} ({v.status})",
            "replaced": f"replaced the content of {v.assessment.slug} version {v.number} "
            f"({v.status})",
            "unchanged": f"{v.assessment.slug} version {v.number} is already up to date; "
            "nothing changed",
            "new-version": f"{v.assessment.slug}: the stored version is frozen, so the changes "
            f"were saved as new draft version {v.number}",
        }[self.action]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


class TeamMismatch(ValueError):
    """The assessment exists but belongs to another team."""


DEFAULT_TEAM = "default"


def import_document(doc: dict[str, Any], team: Team | None = None) -> ImportResult:
    """Store a valid document (see ``riskatlas.document``); all or nothing.

    A new assessment belongs to ``team`` (default: the team named "default"). Raises
    VersionLockedError when the document changes anything while a version is in review."""
    doc = normalise(doc)
    meta = doc["assessment"]
    digest = content_hash(doc)
    with transaction.atomic():
        owner = team or ensure_team(DEFAULT_TEAM)
        assessment = Assessment.objects.filter(slug=meta["slug"]).first()
        if assessment is None:
            assessment = Assessment.objects.create(
                slug=meta["slug"], country=meta["country"], team=owner
            )
        elif team is not None and assessment.team_id != team.pk:
            raise TeamMismatch(
                f"assessment {meta['slug']!r} belongs to team {assessment.team.slug!r}, "
                f"not {team.slug!r}"
            )
        wanted = int(meta["version"])
        existing = assessment.versions.filter(number=wanted).first()
        if existing is not None and existing.content_hash == digest:
            return ImportResult(assessment, existing, "unchanged")
        if existing is not None and export_version(existing) == doc:
            return ImportResult(assessment, existing, "unchanged")
        _refuse_in_review(assessment, existing)
        if existing is not None and existing.is_frozen:
            latest = assessment.latest_version()
            number = (latest.number if latest else wanted) + 1
            version = _create_version(assessment, doc, number, Status.DRAFT)
            action = "new-version"
        elif existing is not None:
            for model in PART_MODELS:
                model.objects.filter(version=existing).delete()
            version = existing
            _set_metadata(version, doc, Status.DRAFT)
            version.save()
            action = "replaced"
        else:
            version = _create_version(assessment, doc, wanted, Status.DRAFT)
            action = "created"
        _write_parts(version, doc)
        if assessment.country != meta["country"]:
            assessment.country = meta["country"]
            assessment.save()
        # Set the final status last: approving or publishing freezes the version.
        final_status = meta["status"] if action != "new-version" else Status.DRAFT
        version.status = final_status
        stored = export_version(version)
        version.content_hash = content_hash(stored)
        version.save()
        return ImportResult(assessment, version, action)


def _refuse_in_review(assessment: Assessment, existing: AssessmentVersion | None) -> None:
    """A version in review is locked: replacing it, or making another version beside it, would
    change what the reviewers are reading."""
    latest = assessment.latest_version()
    for version in (existing, latest):
        if version is not None and version.status == Status.IN_REVIEW:
            raise VersionLockedError(
                f"{assessment.slug} version {version.number} is in review; an analyst can "
                "withdraw it, or a reviewer return it to draft, before changes are imported"
            )


def _set_metadata(version: AssessmentVersion, doc: dict[str, Any], status: str) -> None:
    meta = doc["assessment"]
    visit = meta.get("field_visit") or {}
    author = meta["author"]
    version.status = status
    version.title = meta["title"]
    version.scope = meta["scope"]
    version.language = meta.get("language", "en")
    version.author_name = author["name"]
    version.author_organisation = author.get("organisation", "")
    version.field_visit_start = _date(visit.get("start"))
    version.field_visit_end = _date(visit.get("end"))
    version.field_visit_note = visit.get("note", "")
    version.as_of = _date(meta["as_of"])  # type: ignore[assignment]
    version.review_by = _date(meta.get("review_by"))
    version.likelihood_period = meta.get("likelihood_period", "")
    version.risk_appetite = meta.get("risk_appetite", "")
    version.summary = meta.get("summary", "")
    version.trend = meta.get("trend", "")
    version.trend_note = meta.get("trend_note", "")
    version.matrix = doc["matrix"]


def _create_version(
    assessment: Assessment, doc: dict[str, Any], number: int, status: str
) -> AssessmentVersion:
    version = AssessmentVersion(assessment=assessment, number=number)
    _set_metadata(version, doc, status)
    version.save()
    return version


def _evidence(
    version: AssessmentVersion,
    sources: dict[str, Source],
    kind: str,
    subject_id: int,
    items: list[dict[str, Any]] | None,
) -> list[Evidence]:
    return [
        Evidence(
            version=version,
            position=i,
            source=sources[e["source"]],
            credibility=e.get("credibility"),
            quote=e.get("quote", ""),
            note=e.get("note", ""),
            subject_kind=kind,
            subject_id=subject_id,
        )
        for i, e in enumerate(items or [])
    ]


def _write_parts(version: AssessmentVersion, doc: dict[str, Any]) -> None:
    v = version
    evidence: list[Evidence] = []

    sources = {}
    for i, s in enumerate(doc.get("sources") or []):
        sources[s["id"]] = Source.objects.create(
            version=v,
            position=i,
            key=s["id"],
            title=s["title"],
            kind=s["kind"],
            author=s.get("author", ""),
            date=_date(s.get("date")),
            url=s.get("url", ""),
            reliability=s["reliability"],
            credibility=s["credibility"],
            note=s.get("note", ""),
        )
    areas = {}
    for i, a in enumerate(doc.get("areas") or []):
        areas[a["code"]] = AssessmentArea.objects.create(
            version=v,
            position=i,
            code=a["code"],
            name=a.get("name", a["code"]),
            parts=a.get("parts", []),
            description=a.get("description", ""),
            hot_spot=a.get("hot_spot", False),
            no_go=a.get("no_go", False),
            level_override=a.get("level"),
            level_reason=a.get("level_reason", ""),
        )
    places = {}
    for i, p in enumerate(doc.get("places") or []):
        places[p["id"]] = Place.objects.create(
            version=v,
            position=i,
            key=p["id"],
            name=p["name"],
            kind=p.get("kind", ""),
            spellings=p.get("spellings", []),
            area=areas[p["area"]],
            lat=p.get("lat"),
            lon=p.get("lon"),
            description=p.get("description", ""),
        )
    exposure = doc.get("exposure") or {}
    for i, g in enumerate(exposure.get("groups") or []):
        ExposureGroup.objects.create(
            version=v,
            position=i,
            key=g["id"],
            name=g["name"],
            description=g.get("description", ""),
        )
    for i, a in enumerate(exposure.get("activities") or []):
        Activity.objects.create(
            version=v,
            position=i,
            name=a["name"],
            description=a.get("description", ""),
            areas=a.get("areas", []),
        )
    for i, s in enumerate(exposure.get("sites") or []):
        Site.objects.create(
            version=v,
            position=i,
            name=s["name"],
            place=places.get(s.get("place", "")),
            description=s.get("description", ""),
        )
    for i, r in enumerate(exposure.get("routes") or []):
        Route.objects.create(
            version=v,
            position=i,
            name=r["name"],
            origin=places.get(r.get("from", "")),
            destination=places.get(r.get("to", "")),
            description=r.get("description", ""),
        )
    for i, c in enumerate(doc.get("context") or []):
        section = ContextSection.objects.create(
            version=v, position=i, topic=c["topic"], title=c["title"], text=c["text"]
        )
        evidence += _evidence(v, sources, "context", section.pk, c.get("evidence"))
    actors = {}
    for i, a in enumerate(doc.get("actors") or []):
        strength = a.get("strength") or {}
        actor = Actor.objects.create(
            version=v,
            position=i,
            key=a["id"],
            name=a["name"],
            aliases=a.get("aliases", []),
            type=a["type"],
            status=a.get("status", ""),
            description=a.get("description", ""),
            strength_estimate=strength.get("estimate", ""),
            strength_fighters=strength.get("fighters"),
            strength_as_of=_date(strength.get("as_of")),
            strength_source=sources.get(strength.get("source", "")),
            strength_credibility=strength.get("credibility"),
            areas=a.get("areas", []),
            categories=a.get("categories", []),
        )
        actors[a["id"]] = actor
        evidence += _evidence(v, sources, "actor", actor.pk, a.get("evidence"))
    for a in doc.get("actors") or []:
        for j, link in enumerate(a.get("links") or []):
            ActorLink.objects.create(
                version=v,
                position=j,
                actor=actors[a["id"]],
                other=actors[link["actor"]],
                relation=link["relation"],
            )
    for i, inc in enumerate(doc.get("incidents") or []):
        casualties = inc.get("casualties") or {}
        incident = Incident.objects.create(
            version=v,
            position=i,
            key=inc["id"],
            title=inc["title"],
            date=str(inc["date"]),
            place=places.get(inc.get("place", "")),
            area=areas.get(inc.get("area", "")),
            categories=inc["categories"],
            actors=inc.get("actors", []),
            killed=casualties.get("killed"),
            injured=casualties.get("injured"),
            abducted=casualties.get("abducted"),
            description=inc.get("description", ""),
        )
        evidence += _evidence(v, sources, "incident", incident.pk, inc.get("evidence"))
    for i, t in enumerate(doc.get("threats") or []):
        threat = ThreatNarrative.objects.create(
            version=v,
            position=i,
            category=t["category"],
            summary=t["summary"],
            modus_operandi=t.get("modus_operandi", ""),
            targeting=t.get("targeting", ""),
            trend=t.get("trend", ""),
            trend_note=t.get("trend_note", ""),
        )
        evidence += _evidence(v, sources, "threat", threat.pk, t.get("evidence"))
    for i, r in enumerate(doc.get("risks") or []):
        current = r.get("current") or {}
        risk = Risk.objects.create(
            version=v,
            position=i,
            key=r["id"],
            title=r["title"],
            category=r["category"],
            area=areas[r["area"]],
            exposed=r.get("exposed", []),
            circumstance=r.get("circumstance", ""),
            inherent_likelihood=r["inherent"]["likelihood"],
            inherent_impact=r["inherent"]["impact"],
            current_likelihood=current.get("likelihood"),
            current_impact=current.get("impact"),
            residual_likelihood=r["residual"]["likelihood"],
            residual_impact=r["residual"]["impact"],
            trend=r.get("trend", ""),
            confidence=r.get("confidence", ""),
            rationale=r["rationale"],
            owner=r.get("owner", ""),
            measures=r.get("measures", []),
        )
        evidence += _evidence(v, sources, "risk", risk.pk, r.get("evidence"))
    for i, m in enumerate(doc.get("mitigations") or []):
        Mitigation.objects.create(
            version=v,
            position=i,
            code=m["code"],
            name=m["name"],
            domain=m["domain"],
            description=m["description"],
            threats=m.get("threats", []),
        )
    for i, rec in enumerate(doc.get("recommendations") or []):
        recommendation = Recommendation.objects.create(
            version=v,
            position=i,
            key=rec["id"],
            text=rec["text"],
            priority=rec["priority"],
            mitigation=rec.get("mitigation", ""),
            risks=rec.get("risks", []),
            applies_to=rec.get("applies_to", []),
        )
        evidence += _evidence(v, sources, "recommendation", recommendation.pk, rec.get("evidence"))
    for i, w in enumerate(doc.get("watch_items") or []):
        item = WatchItem.objects.create(
            version=v,
            position=i,
            key=w["id"],
            title=w["title"],
            kind=w.get("kind", ""),
            date=str(w.get("date", "")),
            description=w.get("description", ""),
            areas=w.get("areas", []),
            categories=w.get("categories", []),
            triggers=w["triggers"],
        )
        evidence += _evidence(v, sources, "watch_item", item.pk, w.get("evidence"))
    for i, adv in enumerate(doc.get("official_advice") or []):
        OfficialAdvice.objects.create(
            version=v,
            position=i,
            government=adv["government"],
            level=adv["level"],
            as_of=_date(adv.get("as_of")),
            summary=adv.get("summary", ""),
            no_go=adv.get("no_go", []),
            url=adv.get("url", ""),
        )
    Evidence.objects.bulk_create(evidence)


# --- export ------------------------------------------------------------------------------


def _put(out: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless the value is empty (the format omits empty optional fields)."""
    if value is None or value == "" or value == [] or value == {}:
        return
    out[key] = value


def _evidence_out(items: list[Evidence]) -> list[dict[str, Any]]:
    out = []
    for e in items:
        item: dict[str, Any] = {"source": e.source.key}
        _put(item, "credibility", e.credibility)
        _put(item, "quote", e.quote)
        _put(item, "note", e.note)
        out.append(item)
    return out


def export_version(version: AssessmentVersion) -> dict[str, Any]:
    """The version as a normalised interchange document."""
    v = version
    evidence: dict[tuple[str, int], list[Evidence]] = {}
    for e in (
        Evidence.objects.filter(version=v)
        .select_related("source")
        .order_by("subject_kind", "subject_id", "position")
    ):
        evidence.setdefault((e.subject_kind, e.subject_id), []).append(e)

    def ev(kind: str, pk: int) -> list[dict[str, Any]]:
        return _evidence_out(evidence.get((kind, pk), []))

    meta: dict[str, Any] = {
        "slug": v.assessment.slug,
        "title": v.title,
        "country": v.assessment.country,
    }
    _put(meta, "version", v.number)
    _put(meta, "status", v.status)
    _put(meta, "language", v.language)
    meta["scope"] = v.scope
    author: dict[str, Any] = {"name": v.author_name}
    _put(author, "organisation", v.author_organisation)
    meta["author"] = author
    if v.field_visit_start and v.field_visit_end:
        visit: dict[str, Any] = {"start": _iso(v.field_visit_start), "end": _iso(v.field_visit_end)}
        _put(visit, "note", v.field_visit_note)
        meta["field_visit"] = visit
    meta["as_of"] = _iso(v.as_of)
    _put(meta, "review_by", _iso(v.review_by))
    _put(meta, "likelihood_period", v.likelihood_period)
    _put(meta, "risk_appetite", v.risk_appetite)
    _put(meta, "summary", v.summary)
    _put(meta, "trend", v.trend)
    _put(meta, "trend_note", v.trend_note)

    doc: dict[str, Any] = {"riskatlas": 1, "assessment": meta, "matrix": v.matrix}

    place_keys = {p.pk: p.key for p in Place.objects.filter(version=v)}
    exposure: dict[str, Any] = {}
    _put(
        exposure,
        "groups",
        [
            _compact({"id": g.key, "name": g.name, "description": g.description})
            for g in ExposureGroup.objects.filter(version=v)
        ],
    )
    _put(
        exposure,
        "activities",
        [
            _compact({"name": a.name, "description": a.description, "areas": a.areas})
            for a in Activity.objects.filter(version=v)
        ],
    )
    _put(
        exposure,
        "sites",
        [
            _compact(
                {
                    "name": s.name,
                    "place": place_keys.get(s.place_id or 0),
                    "description": s.description,
                }
            )
            for s in Site.objects.filter(version=v)
        ],
    )
    _put(
        exposure,
        "routes",
        [
            _compact(
                {
                    "name": r.name,
                    "from": place_keys.get(r.origin_id or 0),
                    "to": place_keys.get(r.destination_id or 0),
                    "description": r.description,
                }
            )
            for r in Route.objects.filter(version=v)
        ],
    )
    _put(doc, "exposure", exposure)

    doc["sources"] = [
        _compact(
            {
                "id": s.key,
                "title": s.title,
                "kind": s.kind,
                "author": s.author,
                "date": _iso(s.date),
                "url": s.url,
                "reliability": s.reliability,
                "credibility": s.credibility,
                "note": s.note,
            }
        )
        for s in Source.objects.filter(version=v)
    ]
    doc["areas"] = [
        _compact(
            {
                "code": a.code,
                "name": a.name,
                "parts": a.parts,
                "description": a.description,
                "hot_spot": a.hot_spot or None,
                "no_go": a.no_go or None,
                "level": a.level_override,
                "level_reason": a.level_reason,
            }
        )
        for a in AssessmentArea.objects.filter(version=v)
    ]
    _put(
        doc,
        "places",
        [
            _compact(
                {
                    "id": p.key,
                    "name": p.name,
                    "kind": p.kind,
                    "spellings": p.spellings,
                    "area": p.area.code,
                    "lat": p.lat,
                    "lon": p.lon,
                    "description": p.description,
                }
            )
            for p in Place.objects.filter(version=v).select_related("area")
        ],
    )
    _put(
        doc,
        "context",
        [
            _compact(
                {
                    "topic": c.topic,
                    "title": c.title,
                    "text": c.text,
                    "evidence": ev("context", c.pk),
                }
            )
            for c in ContextSection.objects.filter(version=v)
        ],
    )
    actors = list(Actor.objects.filter(version=v).select_related("strength_source"))
    links: dict[int, list[ActorLink]] = {}
    for link in ActorLink.objects.filter(version=v).select_related("other"):
        links.setdefault(link.actor_id, []).append(link)
    _put(
        doc,
        "actors",
        [
            _compact(
                {
                    "id": a.key,
                    "name": a.name,
                    "aliases": a.aliases,
                    "type": a.type,
                    "status": a.status,
                    "description": a.description,
                    "strength": _compact(
                        {
                            "estimate": a.strength_estimate,
                            "fighters": a.strength_fighters,
                            "as_of": _iso(a.strength_as_of),
                            "source": a.strength_source.key if a.strength_source else None,
                            "credibility": a.strength_credibility,
                        }
                    )
                    if a.strength_estimate
                    else None,
                    "areas": a.areas,
                    "categories": a.categories,
                    "links": [
                        {"actor": link.other.key, "relation": link.relation}
                        for link in sorted(links.get(a.pk, []), key=lambda x: x.position)
                    ],
                    "evidence": ev("actor", a.pk),
                }
            )
            for a in actors
        ],
    )
    area_codes = {a.pk: a.code for a in AssessmentArea.objects.filter(version=v)}
    _put(
        doc,
        "incidents",
        [
            _compact(
                {
                    "id": i.key,
                    "title": i.title,
                    "date": i.date,
                    "place": place_keys.get(i.place_id or 0),
                    "area": area_codes.get(i.area_id or 0),
                    "categories": i.categories,
                    "actors": i.actors,
                    "casualties": _compact(
                        {"killed": i.killed, "injured": i.injured, "abducted": i.abducted}
                    ),
                    "description": i.description,
                    "evidence": ev("incident", i.pk),
                }
            )
            for i in Incident.objects.filter(version=v)
        ],
    )
    _put(
        doc,
        "threats",
        [
            _compact(
                {
                    "category": t.category,
                    "summary": t.summary,
                    "modus_operandi": t.modus_operandi,
                    "targeting": t.targeting,
                    "trend": t.trend,
                    "trend_note": t.trend_note,
                    "evidence": ev("threat", t.pk),
                }
            )
            for t in ThreatNarrative.objects.filter(version=v)
        ],
    )
    doc["risks"] = [
        _compact(
            {
                "id": r.key,
                "title": r.title,
                "category": r.category,
                "area": area_codes[r.area_id],
                "exposed": r.exposed,
                "circumstance": r.circumstance,
                "inherent": {"likelihood": r.inherent_likelihood, "impact": r.inherent_impact},
                "current": {"likelihood": r.current_likelihood, "impact": r.current_impact}
                if r.current_likelihood is not None
                else None,
                "residual": {"likelihood": r.residual_likelihood, "impact": r.residual_impact},
                "trend": r.trend,
                "confidence": r.confidence,
                "rationale": r.rationale,
                "owner": r.owner,
                "measures": r.measures,
                "evidence": ev("risk", r.pk),
            }
        )
        for r in Risk.objects.filter(version=v)
    ]
    _put(
        doc,
        "mitigations",
        [
            _compact(
                {
                    "code": m.code,
                    "name": m.name,
                    "domain": m.domain,
                    "description": m.description,
                    "threats": m.threats,
                }
            )
            for m in Mitigation.objects.filter(version=v)
        ],
    )
    _put(
        doc,
        "recommendations",
        [
            _compact(
                {
                    "id": r.key,
                    "text": r.text,
                    "priority": r.priority,
                    "mitigation": r.mitigation,
                    "risks": r.risks,
                    "applies_to": r.applies_to,
                    "evidence": ev("recommendation", r.pk),
                }
            )
            for r in Recommendation.objects.filter(version=v)
        ],
    )
    _put(
        doc,
        "watch_items",
        [
            _compact(
                {
                    "id": w.key,
                    "title": w.title,
                    "kind": w.kind,
                    "date": w.date,
                    "description": w.description,
                    "areas": w.areas,
                    "categories": w.categories,
                    "triggers": w.triggers,
                    "evidence": ev("watch_item", w.pk),
                }
            )
            for w in WatchItem.objects.filter(version=v)
        ],
    )
    _put(
        doc,
        "official_advice",
        [
            _compact(
                {
                    "government": a.government,
                    "level": a.level,
                    "as_of": _iso(a.as_of),
                    "summary": a.summary,
                    "no_go": a.no_go,
                    "url": a.url,
                }
            )
            for a in OfficialAdvice.objects.filter(version=v)
        ],
    )
    return normalise(doc)


def _compact(item: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in item.items():
        _put(out, key, value)
    return out
