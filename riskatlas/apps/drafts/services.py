"""Reading a report into a version, and accepting or rejecting what it proposes.

Nothing reaches the assessment until an analyst accepts an item. Accepting makes real
content in the version (an incident, an actor, a place or area, a recommendation, or
evidence under a risk) and an Evidence row quoting the report, graded with the document's
Source: reliability F (cannot be judged until the analyst grades the source) and the
credibility of a cue in the same sentence ("according to official data" 2, "allegedly" 4…),
else 6 (truth cannot be judged).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from riskatlas.apps.assessments.lookup import find_version
from riskatlas.apps.assessments.models import (
    AssessmentVersion,
    FrozenVersionError,
    OfficialAdvice,
    Recommendation,
    Risk,
    VersionLockedError,
)
from riskatlas.apps.assessments.views.editing import _ensure_in_version, changed
from riskatlas.apps.drafts.models import DraftItem, SourceDocument
from riskatlas.apps.drafts.proposals import categories_of, proposals
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.models import Actor, Evidence, Incident, Source
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
UNDER_RISK = (DraftItem.Kind.CATEGORY, DraftItem.Kind.TREND, DraftItem.Kind.LIKELIHOOD)
NO_RISK = "no risk of their categories"


class DraftError(ValueError):
    """A decision that cannot be made; the message says why, ``reason`` the same for a
    group of items (what a bulk decision reports for those it left)."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message


def frozen_message(version: AssessmentVersion) -> str:
    status = version.get_status_display().lower()
    return f"version {version.number} is {status} and frozen; make a new version first"


def locked_error(version: AssessmentVersion) -> FrozenVersionError:
    """Why a report cannot be read into ``version`` nor items accepted: only a draft takes
    new content (VersionLockedError in review, FrozenVersionError once frozen)."""
    if version.is_frozen:
        return FrozenVersionError(frozen_message(version))
    return VersionLockedError(version.locked_message)


def editable_version(ref: str) -> AssessmentVersion:
    """The version ``ref`` names (``slug`` = its newest version, ``slug@N``), if it is a
    draft; else FrozenVersionError (VersionLockedError in review) with what to do."""
    number = ref.partition("@")[2]
    version = find_version(ref)
    if not number:
        version = version.assessment.latest_version() or version
    if version.is_locked:
        raise locked_error(version)
    return version


def _refuse_frozen(version: AssessmentVersion) -> None:
    version.refresh_from_db(fields=["frozen_at", "status"])
    if version.is_locked:
        raise locked_error(version)


def read_into(
    version: AssessmentVersion, title: str, text: str, user: Any = None, use_model: bool = True
) -> SourceDocument:
    """Extract ``text`` and keep it in ``version`` with its proposed items (nothing else in
    the version changes). An installed spaCy pipeline is used unless ``use_model`` is off;
    the document records which engine read it. The same text read into the version before
    is not read again: that document comes back with ``already_read`` set."""
    from riskatlas.extraction.engine import extract

    _refuse_frozen(version)
    title = title.strip() or "Untitled report"
    earlier = SourceDocument.objects.filter(version=version, text=text).first()
    if earlier is not None:  # the same text again: nothing new to propose
        earlier.already_read = True  # type: ignore[attr-defined]
        return earlier
    draft = extract(text, use_model=use_model)
    with transaction.atomic():
        document = SourceDocument.objects.create(
            version=version,
            position=SourceDocument.objects.filter(version=version).count(),
            title=title[:300],
            text=text,
            engine=draft["engine"],
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        DraftItem.objects.bulk_create(
            DraftItem(
                document=document,
                kind=row.kind,
                payload=row.payload,
                start=row.start,
                end=row.end,
                quote=row.quote,
            )
            for row in proposals(draft, text)
        )
    return document


def counts(document: SourceDocument) -> dict[str, int]:
    """Proposed items per kind, in the order of ``DraftItem.Kind``."""
    found: dict[str, int] = {}
    for kind in document.items.values_list("kind", flat=True):
        found[kind] = found.get(kind, 0) + 1
    return {k: found[k] for k in DraftItem.Kind.values if k in found}


_WORD = re.compile(r"[a-z]{4,}")


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower())}


def matching_risks(item: DraftItem, risks: Iterable[Risk]) -> list[Risk]:
    """Those of ``risks`` in the item's categories, the likeliest first: the item's strongest
    category first; then a risk in an area the sentence names ("in Lima"); then the risk
    whose title and circumstance share most words with the sentence; then register order."""
    from riskatlas.extraction.places import find_places

    codes = categories_of(item.kind, item.payload)
    matched = [r for r in risks if r.category in codes]
    if len(matched) < 2:
        return matched
    named = {m.place.iso_3166 for m in find_places(item.quote) if m.place.iso_3166}
    words = _words(item.quote)

    def rank(risk: Risk) -> tuple[int, int, int]:
        area = risk.area
        in_named_area = area.code in named or any(part in named for part in area.parts or [])
        shared = len(words & _words(f"{risk.title} {risk.circumstance}"))
        return (codes.index(risk.category), -int(in_named_area), -shared)

    return sorted(matched, key=rank)


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


def accept(item: DraftItem, user: Any, *, risk: Risk | None = None, set_trend: bool = False) -> Any:
    """Turn a proposed item into content of its version; returns what it became (None for
    a credibility cue, which only grades the evidence of its sentence)."""
    with transaction.atomic():
        item = _lock(item)
        version = item.document.version
        _refuse_frozen(version)
        handler = ACCEPT[item.kind]
        made: Model | None = handler(item, version, risk=risk, set_trend=set_trend)
        item.status = DraftItem.Status.ACCEPTED
        _decided(item, user)
        if made is not None:
            item.target_kind = made._meta.model_name or ""
            item.target_id = made.pk
        item.save()
        changed(version)
    return made


def reject(item: DraftItem, user: Any) -> None:
    with transaction.atomic():
        item = _lock(item)
        _refuse_frozen(item.document.version)
        item.status = DraftItem.Status.REJECTED
        _decided(item, user)
        item.save()


@dataclass
class Decided:
    """What a bulk decision did: items decided per kind, items filed under each risk (by
    its title), items left undecided per reason."""

    action: str
    done: Counter[str] = field(default_factory=Counter)
    under: Counter[str] = field(default_factory=Counter)
    left: Counter[str] = field(default_factory=Counter)


def decide_all(
    items: Iterable[DraftItem], user: Any, action: str, *, risk: Risk | None = None
) -> Decided:
    """Accept or reject each of ``items`` as ``accept``/``reject`` would, all in one
    transaction (an error undoes every decision). Accepting files each threat sentence, trend
    and likelihood under ``risk``, else under the first of the version's risks in its
    categories (the one the single decision suggests); an item with no such risk, or that
    cannot be decided for another reason (a place without an ISO code, an item already
    decided), is left proposed and counted under that reason. Trends never set the
    risk's trend here. Kinds are taken in ``DraftItem.Kind`` order, so places and actors
    exist before the incidents that refer to them."""
    if action not in ("accept", "reject"):
        raise ValueError(f"unknown decision {action!r}")
    order = list(DraftItem.Kind.values)
    result = Decided(action)
    with transaction.atomic():
        risks: list[Risk] | None = None
        for item in sorted(items, key=lambda i: (order.index(i.kind), i.start, i.pk)):
            try:
                if action == "reject":
                    reject(item, user)
                else:
                    chosen = risk
                    if chosen is None and item.kind in UNDER_RISK:
                        if risks is None:
                            version_id = item.document.version_id
                            risks = list(Risk.objects.filter(version_id=version_id))
                        chosen = next(iter(matching_risks(item, risks)), None)
                        if chosen is None:
                            raise DraftError(NO_RISK)
                    made = accept(item, user, risk=chosen)
                    if item.kind in UNDER_RISK:
                        result.under[str(made)] += 1
            except DraftError as error:
                result.left[error.reason] += 1
            else:
                result.done[item.kind] += 1
    return result


def _lock(item: DraftItem) -> DraftItem:
    fresh = (
        DraftItem.objects.select_for_update()
        .select_related("document__version__assessment")
        .get(pk=item.pk)
    )
    if fresh.status != DraftItem.Status.PROPOSED:
        raise DraftError(
            f"this {fresh.get_kind_display().lower()} was already {fresh.status}",
            reason="already decided",
        )
    return fresh


def _decided(item: DraftItem, user: Any) -> None:
    item.decided_by = user if getattr(user, "is_authenticated", False) else None
    item.decided_at = timezone.now()


# --- what each kind becomes -------------------------------------------------------------


def _source(document: SourceDocument) -> Source:
    if document.source_id is not None:
        return document.source
    version = document.version
    source = Source.objects.create(
        version=version,
        position=Source.objects.filter(version=version).count(),
        key=_unique_key(Source, version, f"report-{document.pk}"),
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


def _unique_key(model: type[Model], version: AssessmentVersion, base: str) -> str:
    base = (slugify(base)[:70] or "item").strip("-")
    key, n = base, 2
    while model.objects.filter(version=version, key=key).exists():
        key, n = f"{base}-{n}", n + 1
    return key


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
    area = AssessmentArea.objects.filter(version=version, code=code).first()
    if area is None:
        area = AssessmentArea.objects.create(
            version=version,
            position=_position(AssessmentArea, version),
            code=code,
            name=name[:200],
            parts=parts or [],
        )
    return area


def _place(item: DraftItem, version: AssessmentVersion, **_: Any) -> Model:
    place = item.payload
    iso = place.get("iso_3166") or ""
    if place.get("kind") == "region":
        acronym = re.search(r"\(([A-Z]{2,})\)", place["name"])
        code = acronym.group(1) if acronym else slugify(place["name"])
        names = {place["name"].casefold(), code.casefold()}
        for area in AssessmentArea.objects.filter(version=version):
            if area.code.casefold() in names or area.name.casefold() in names:
                return area
        return _area(version, code, place["name"], list(place.get("subdivisions", [])))
    if not iso:
        raise DraftError(
            f"{place['name']} has no ISO 3166 code; add it to the areas by hand",
            reason="no ISO 3166 code (add their areas by hand)",
        )
    official = iso_area(iso)
    area = _area(version, iso, official.name if official else place["name"])
    if place.get("kind") == "subdivision":
        return area
    spellings = [place["text"]] if place["text"] != place["name"] else []
    existing = Place.objects.filter(version=version, name=place["name"]).first()
    if existing is not None:
        new = [s for s in spellings if s not in existing.spellings]
        if new:
            existing.spellings = [*existing.spellings, *new]
            existing.save()
        return existing
    return Place.objects.create(
        version=version,
        position=_position(Place, version),
        key=_unique_key(Place, version, place["name"]),
        name=place["name"][:200],
        kind="city",
        spellings=spellings,
        area=area,
        lat=place.get("lat"),
        lon=place.get("lon"),
    )


def _actor(item: DraftItem, version: AssessmentVersion, **_: Any) -> Actor:
    found = item.payload
    figure = next((f for f in found.get("figures", []) if f["kind"] == "strength"), None)
    actor = _same_actor(version, found["name"])
    if actor is None:
        actor = Actor(
            version=version,
            position=_position(Actor, version),
            key=_unique_key(Actor, version, found["name"]),
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


def _same_actor(version: AssessmentVersion, name: str) -> Actor | None:
    for actor in Actor.objects.filter(version=version):
        if actor.name.casefold() == name.casefold() or name in actor.aliases:
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
        key=_unique_key(
            Incident, version, f"{date}-{' '.join(found.get('what', [])) or 'incident'}"
        ),
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


def _recommendation(item: DraftItem, version: AssessmentVersion, **_: Any) -> Recommendation:
    found = item.payload
    code = (found.get("mitigation") or {}).get("code", "")
    same = Recommendation.objects.filter(version=version, mitigation=code).first() if code else None
    if same is not None:  # the version already recommends this measure
        _evidence(item, "recommendation", same.pk, f"From “{item.document.title}”.")
        same.matched = True  # type: ignore[attr-defined]
        return same
    mitigation = _ensure_in_version(version, code) if code else None
    recommendation = Recommendation.objects.create(
        version=version,
        position=_position(Recommendation, version),
        key=_unique_key(Recommendation, version, " ".join(item.quote.split()[:6])),
        text=item.quote,
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
