"""What each kind of draft item becomes when an analyst accepts it: an incident, an actor, a
place or area, a recommendation, an official-advice entry, or evidence under a risk — each
with an Evidence row quoting the report, graded with the report's Source (reliability F until
the analyst grades it; the credibility of a cue in the same sentence, else 6). The handlers
only write rows; ``services.accept`` runs them through the single writer."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Model
from django.utils.text import slugify

from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.models import (
    AssessmentVersion,
    OfficialAdvice,
    Recommendation,
    Risk,
)
from riskatlas.apps.assessments.part_form import free_key
from riskatlas.apps.drafts.models import DraftItem, SourceDocument
from riskatlas.apps.drafts.proposals import categories_of
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.matching import looks_like_url, normal_title, same_source
from riskatlas.apps.intelligence.models import Actor, Evidence, Incident, Source
from riskatlas.document.checks import not_of_country
from riskatlas.geography import iso_area

UNJUDGED = 6
ACTOR_TYPES = {
    "insurgent group": "insurgent",
    "terrorist group": "terrorist",
    "criminal organisation": "criminal",
    "security forces": "security-forces",
    "international organisation": "international",
    "community": "community",
}
FIGHTER_UNITS = ("fighters", "members", "men", "combatants", "militants")


class DraftError(ValueError):
    """A decision that cannot be made; the message says why, ``reason`` the same for a
    group of items (what a bulk decision reports for those it left)."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


def credibility_for(item: DraftItem) -> int | None:
    """The credibility of a cue in the item's sentence that the analyst has not rejected."""
    cues = item.document.items.filter(kind=DraftItem.Kind.CREDIBILITY).exclude(
        status=DraftItem.Status.REJECTED
    )
    for cue in cues:
        sentence = cue.payload.get("sentence", {})
        if sentence.get("start", -1) <= item.start < sentence.get("end", -1):
            return int(cue.payload["credibility"])
    return None


def _source(document: SourceDocument) -> Source:
    if document.source_id is not None:
        return document.source
    version = document.version
    # The analyst's own source for this report (same address, else same title), if any.
    named = document.title.strip()
    source = same_source(
        version, title=named, url=named if looks_like_url(named) else ""
    ) or Source.objects.create(
        version=version,
        position=Source.objects.filter(version=version).count(),
        key=free_key(Source, version, f"report-{document.pk}"),
        title=document.title,
        kind="other",
        reliability=Source.Reliability.F,
        credibility=UNJUDGED,
        note=(
            f"Report read with riskatlas extract ({document.engine}). Reliability F until "
            "the analyst grades the source; each item's credibility comes from a cue in its "
            "sentence, else 6."
        ),
    )
    document.source = source
    document.save(update_fields=["source"])
    return source


def _evidence(item: DraftItem, subject_kind: str, subject_id: int, note: str = "") -> Evidence:
    version = item.document.version
    return Evidence.objects.create(
        version=version,
        position=Evidence.objects.filter(
            version=version, subject_kind=subject_kind, subject_id=subject_id
        ).count(),
        source=_source(item.document),
        credibility=credibility_for(item) or UNJUDGED,
        quote=item.quote,
        note=note,
        subject_kind=subject_kind,
        subject_id=subject_id,
    )


def _position(model: type[Model], version: AssessmentVersion) -> int:
    return int(model.objects.filter(version=version).count())


def _under_risk(item: DraftItem, version: AssessmentVersion, **choices: Any) -> Risk:
    risk: Risk | None = choices.get("risk")
    if risk is None or risk.version_id != version.pk:
        raise DraftError("choose the risk of this version that the sentence bears on")
    note = f"From “{item.document.title}”"
    if item.kind == DraftItem.Kind.TREND:
        trend = item.payload["trend"]
        note += f": trend {trend} (“{item.payload.get('text', '')}”)"
        if choices.get("set_trend") and trend in Risk.Trend.values:
            risk.trend = trend
            risk.save()
            note += "; set as the risk's trend"
    elif item.kind == DraftItem.Kind.LIKELIHOOD:
        low, high = item.payload.get("probability", [0, 0])
        note += (
            f": estimative language suggests likelihood {item.payload['likelihood']} of 5 "
            f"(“{item.payload.get('text', '')}”, {low:.0%}–{high:.0%})"
        )
    else:
        codes = ", ".join(categories_of(item.kind, item.payload))
        note += f": categories {codes}"
    _evidence(item, "risk", risk.pk, note + ".")
    return risk


def _area(
    version: AssessmentVersion, code: str, name: str, parts: list[str] | None = None
) -> AssessmentArea:
    """The version's area of this code, else a new one: never one of another country (a
    report on Peru naming Medellín does not make Antioquia an area of the assessment)."""
    area = AssessmentArea.objects.filter(version=version, code=code).first()
    if area is not None:
        area.matched = True  # type: ignore[attr-defined]
        return area
    country = version.assessment.country
    for elsewhere in filter(None, (not_of_country(c, country) for c in [code, *(parts or [])])):
        raise DraftError(f"{name}: {elsewhere}; reject it", reason=ELSEWHERE)
    return AssessmentArea.objects.create(
        version=version,
        position=_position(AssessmentArea, version),
        code=code,
        name=name[:200],
        parts=parts or [],
    )


#: What a proposed place that is no area becomes, by the engine's kind (interchange kinds).
PLACE_KINDS = {"city": "city", "neighbourhood": "district", "subdivision": "district"}
OUTSIDE = "outside the version's areas (tick “add as an assessment area”)"
ELSEWHERE = "in another country than the one assessed"


def containing_area(version: AssessmentVersion, code: str) -> AssessmentArea | None:
    """The version's most specific area that holds the ISO 3166 area ``code``: that area, a
    custom area made of it, else its country (or a custom area holding the country)."""
    areas = list(AssessmentArea.objects.filter(version=version))
    country = code.split("-")[0]
    for wanted in (code, country):
        for area in areas:
            if area.code == wanted:
                return area
        parts = [a for a in areas if wanted in (a.parts or [])]
        if parts:
            return min(parts, key=lambda a: len(a.parts))
    return None


def _region_code(place: dict[str, Any]) -> str:
    """A region's area code: its acronym ("VRAEM"), else its name made a slug."""
    acronym = re.search(r"\(([A-Z]{2,})\)", place["name"])
    return acronym.group(1) if acronym else slugify(place["name"])


def area_held(areas: list[AssessmentArea], place: dict[str, Any]) -> AssessmentArea | None:
    """The version's area (of ``areas``) that a proposed place already is: a region of the
    same code or name, else the area of the place's ISO 3166 code; None when there is none."""
    if place.get("kind") == "region":
        names = {place["name"].casefold(), _region_code(place).casefold()}
        return next(
            (a for a in areas if a.code.casefold() in names or a.name.casefold() in names), None
        )
    iso = place.get("iso_3166") or ""
    return next((a for a in areas if iso and a.code == iso), None)


def _place(item: DraftItem, version: AssessmentVersion, **choices: Any) -> Model:
    """A place, or an area when the analyst ticks "add as an assessment area": accepting
    never adds an area on its own, so a report naming fourteen departments in passing does
    not make fourteen areas that print "not assessed". Without the tick, a place in an area
    of the version is recorded as a place of its most specific area; one outside them all is
    refused with what to do."""
    place = item.payload
    add_area = bool(choices.get("add_area"))
    iso = place.get("iso_3166") or ""
    held = area_held(list(AssessmentArea.objects.filter(version=version)), place)
    if place.get("kind") == "region":
        if held is not None:
            held.matched = True  # type: ignore[attr-defined]
            return held
        if add_area:
            return _area(version, _region_code(place), place["name"], place.get("subdivisions"))
        return _named_place(item, version, "valley", place.get("country") or "")
    if not iso:
        raise DraftError(
            f"{place['name']} has no ISO 3166 code; add it to the areas by hand",
            reason="no ISO 3166 code (add their areas by hand)",
        )
    official = iso_area(iso)
    if add_area:
        area = _area(version, iso, official.name if official else place["name"])
        if place.get("kind") == "subdivision":
            return area
        return _named_place(item, version, "city", iso, area)
    if place.get("kind") == "subdivision" and held is not None:
        held.matched = True  # type: ignore[attr-defined]
        return held
    return _named_place(item, version, PLACE_KINDS.get(place.get("kind", ""), "other"), iso)


def _named_place(
    item: DraftItem,
    version: AssessmentVersion,
    kind: str,
    iso: str,
    area: AssessmentArea | None = None,
) -> Model:
    """The version's place of the item's name (its spelling added), or a new one in ``area``,
    else in the version's area that holds ``iso``."""
    place = item.payload
    spellings = [place["text"]] if place["text"] != place["name"] else []
    existing = Place.objects.filter(version=version, name=place["name"]).first()
    if existing is not None:
        existing.matched = True  # type: ignore[attr-defined]
        new = [s for s in spellings if s not in existing.spellings]
        if new:
            existing.spellings = [*existing.spellings, *new]
            existing.save()
        return existing
    area = area or (containing_area(version, iso) if iso else None)
    if area is None:
        where = f" ({iso})" if iso else ""
        raise DraftError(
            f"{place['name']}{where} lies outside this version's areas: tick “add as an "
            "assessment area” to add it, or reject it",
            reason=OUTSIDE,
        )
    return Place.objects.create(
        version=version,
        position=_position(Place, version),
        key=free_key(Place, version, place["name"]),
        name=place["name"][:200],
        kind=kind,
        spellings=spellings,
        area=area,
        lat=place.get("lat"),
        lon=place.get("lon"),
    )


def _actor(item: DraftItem, version: AssessmentVersion, **_: Any) -> Actor:
    found = item.payload
    figure = next((f for f in found.get("figures", []) if f["kind"] == "strength"), None)
    actor = _same_actor(version, found["name"], found.get("aliases", []))
    if actor is not None:  # already in the version: the report becomes its evidence
        actor.matched = True  # type: ignore[attr-defined]
    else:
        actor = Actor(
            version=version,
            position=_position(Actor, version),
            key=free_key(Actor, version, found["name"]),
            name=found["name"][:200],
            type=ACTOR_TYPES.get(found.get("type", ""), "other"),
        )
    actor.aliases = [
        *actor.aliases,
        *(a for a in found.get("aliases", []) if a not in actor.aliases),
    ]
    if figure is not None and not actor.strength_estimate:
        actor.strength_estimate = figure["text"][:300]
        if figure.get("unit") in FIGHTER_UNITS:
            actor.strength_fighters = int(figure["value"])
        actor.strength_source = _source(item.document)
        actor.strength_credibility = credibility_for(item) or UNJUDGED
    actor.save()
    _evidence(item, "actor", actor.pk, f"From “{item.document.title}”.")
    return actor


def _same_actor(
    version: AssessmentVersion, name: str, aliases: list[str] | tuple[str, ...] = ()
) -> Actor | None:
    """The version's actor known by ``name`` or one of ``aliases`` (its name or one of its
    aliases, case, accents and punctuation set aside: "Túpac Amaru" is "Tupac Amaru")."""
    wanted = {normal_title(n) for n in (name, *aliases)} - {""}
    for actor in Actor.objects.filter(version=version):
        if wanted & {normal_title(n) for n in (actor.name, *actor.aliases)}:
            return actor
    return None


def _same_incident(
    version: AssessmentVersion, date: str, area: AssessmentArea | None, categories: list[str]
) -> Incident | None:
    """The version's incident on the same date (same area when both have one, a category in
    common when both have some): the one the report tells of again."""
    for incident in Incident.objects.filter(version=version, date=date):
        if area is not None and incident.area_id is not None and incident.area_id != area.pk:
            continue
        if categories and incident.categories and not set(categories) & set(incident.categories):
            continue
        return incident
    return None


def _incident(item: DraftItem, version: AssessmentVersion, **_: Any) -> Incident:
    found = item.payload
    codes = {a.code: a for a in AssessmentArea.objects.filter(version=version)}
    area = next(
        (codes[w["iso_3166"]] for w in found.get("where", []) if w.get("iso_3166") in codes), None
    )
    actors = [a.pk for name in found.get("who", []) if (a := _same_actor(version, name))]
    casualties = found.get("casualties", {})
    date = found["when"]["date"]
    same = _same_incident(version, date, area, found.get("categories", []))
    if same is not None:  # already in the version: the report becomes its evidence
        _evidence(item, "incident", same.pk, f"From “{item.document.title}”.")
        same.matched = True  # type: ignore[attr-defined]
        return same
    title = item.quote if len(item.quote) <= 120 else item.quote[:117].rstrip() + "…"
    incident = Incident.objects.create(
        version=version,
        position=_position(Incident, version),
        key=free_key(Incident, version, f"{date}-{' '.join(found.get('what', [])) or 'incident'}"),
        title=title,
        date=date,
        area=area,
        categories=list(found.get("categories", [])),
        actors=actors,
        killed=casualties.get("killed"),
        injured=casualties.get("injured"),
        abducted=casualties.get("abducted"),
        description=item.quote,
    )
    _evidence(item, "incident", incident.pk, f"From “{item.document.title}”.")
    return incident


#: A heading the report put before its advice ("Recommendations: staff should…").
_ADVICE_HEADING = re.compile(
    r"^\s*(?:key\s+|our\s+)?(?:recommendations?|advice|mitigations?|measures)\s*:\s*", re.I
)


def _without_heading(quote: str) -> str:
    """The recommendation's text: the quote without a heading such as "Recommendations:"
    before it, its first letter a capital."""
    text = _ADVICE_HEADING.sub("", quote, count=1)
    return text[:1].upper() + text[1:] if text != quote else quote


def _recommendation(item: DraftItem, version: AssessmentVersion, **_: Any) -> Recommendation:
    found = item.payload
    code = (found.get("mitigation") or {}).get("code", "")
    same = Recommendation.objects.filter(version=version, mitigation=code).first() if code else None
    if same is not None:  # the version already recommends this measure
        _evidence(item, "recommendation", same.pk, f"From “{item.document.title}”.")
        same.matched = True  # type: ignore[attr-defined]
        return same
    mitigation = writer.ensure_mitigation(version, code) if code else None
    recommendation = Recommendation.objects.create(
        version=version,
        position=_position(Recommendation, version),
        key=free_key(Recommendation, version, " ".join(item.quote.split()[:6])),
        text=_without_heading(item.quote),
        priority=Recommendation.Priority.MEDIUM,
        mitigation=mitigation.code if mitigation else "",
    )
    _evidence(item, "recommendation", recommendation.pk, f"From “{item.document.title}”.")
    return recommendation


#: The national level of an official advice entry until a whole-country statement is accepted.
NO_NATIONAL_LEVEL = "no whole-country level"


def _official_advice(item: DraftItem, version: AssessmentVersion, **_: Any) -> OfficialAdvice:
    """The government's advice entry of the version, made or completed from the statement: a
    statement about places adds them to its areas (no-go at level 4, else with the wording);
    one naming the country and no place in it sets the national level; the sentence joins the
    summary (the only trace of one that names neither: "to these two areas")."""
    found = item.payload
    government = found.get("government") or "other"
    advice = OfficialAdvice.objects.filter(version=version, government=government).first()
    if advice is None:
        advice = OfficialAdvice(
            version=version,
            position=_position(OfficialAdvice, version),
            government=government,
            level=NO_NATIONAL_LEVEL,
        )
    wording = str(found["text"]).lower()
    names = list(dict.fromkeys(str(p["name"]) for p in found.get("places", [])))
    if names:
        suffix = "" if int(found["level"]) >= 4 else f" ({wording})"
        advice.no_go = list(dict.fromkeys([*advice.no_go, *(name + suffix for name in names)]))
    elif found.get("countries"):  # about the whole country it names
        advice.level = f"Level {found['level']}: {wording}"
    sentence = " ".join(item.quote.split())
    if sentence not in advice.summary:
        advice.summary = f"{advice.summary} {sentence}".strip()
    advice.save()
    return advice


def _credibility(item: DraftItem, version: AssessmentVersion, **_: Any) -> None:
    return None  # accepted cues grade the evidence of their sentence (credibility_for)


ACCEPT = {
    DraftItem.Kind.CATEGORY: _under_risk,
    DraftItem.Kind.TREND: _under_risk,
    DraftItem.Kind.LIKELIHOOD: _under_risk,
    DraftItem.Kind.PLACE: _place,
    DraftItem.Kind.ACTOR: _actor,
    DraftItem.Kind.INCIDENT: _incident,
    DraftItem.Kind.RECOMMENDATION: _recommendation,
    DraftItem.Kind.CREDIBILITY: _credibility,
    DraftItem.Kind.ADVICE: _official_advice,
}
