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

from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.lookup import find_version
from riskatlas.apps.assessments.models import (
    AssessmentVersion,
    FrozenVersionError,
    Risk,
    VersionLockedError,
)
from riskatlas.apps.drafts.accepting import ACCEPT, DraftError, credibility_for
from riskatlas.apps.drafts.models import DraftItem, SourceDocument
from riskatlas.apps.drafts.proposals import categories_of, proposals

__all__ = ["DraftError", "credibility_for"]

UNDER_RISK = (DraftItem.Kind.CATEGORY, DraftItem.Kind.TREND, DraftItem.Kind.LIKELIHOOD)
NO_RISK = "no risk of their categories"


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


def reading_country(version: AssessmentVersion) -> str | None:
    """The assessment's country, for the extraction to code its subdivisions named in threat
    sentences; None when it is no ISO 3166-1 code (then only places the text names are read)."""
    from riskatlas.extraction.subdivisions import country_code

    try:
        return country_code(version.assessment.country or "")
    except ValueError:
        return None


def read_into(
    version: AssessmentVersion,
    title: str,
    text: str,
    user: Any = None,
    use_model: bool = True,
    draft: dict[str, Any] | None = None,
) -> SourceDocument:
    """Extract ``text`` (unless its ``draft`` is given, extracted elsewhere) and keep it in
    ``version`` with its proposed items (nothing else in the version changes). An installed
    spaCy pipeline is used unless ``use_model`` is off; the document records which engine
    read it. The same text read into the version before is not read again: that document
    comes back with ``already_read`` set. A text over the limit raises TextTooLong."""
    from riskatlas.extraction.engine import extract
    from riskatlas.extraction.limits import check_length

    check_length(text)
    _refuse_frozen(version)
    title = title.strip() or "Untitled report"
    earlier = SourceDocument.objects.filter(version=version, text=text).first()
    if earlier is not None:  # the same text again: nothing new to propose
        earlier.already_read = True  # type: ignore[attr-defined]
        return earlier
    draft = draft or extract(text, use_model=use_model, country=reading_country(version))
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


def accept(
    item: DraftItem,
    user: Any,
    *,
    risk: Risk | None = None,
    set_trend: bool = False,
    add_area: bool = False,
) -> Any:
    """Turn a proposed item into content of its version; returns what it became (None for
    a credibility cue, which only grades the evidence of its sentence). A place becomes an
    assessment area only with ``add_area`` (the analyst's choice), else a place."""
    with transaction.atomic():
        item = _lock(item)
        version = item.document.version
        _refuse_frozen(version)
        handler = ACCEPT[item.kind]
        try:
            made: Model | None = writer.change(
                version,
                lambda: handler(item, version, risk=risk, set_trend=set_trend, add_area=add_area),
                parts=lambda made: [made] if made is not None else [],
            )
        except writer.ChangeRefused as refused:
            raise DraftError(
                f"accepting it would make the assessment invalid: {refused}",
                reason="it would make the assessment invalid",
            ) from refused
        item.status = DraftItem.Status.ACCEPTED
        _decided(item, user)
        if made is not None:
            item.target_kind = made._meta.model_name or ""
            item.target_id = made.pk
        item.save()
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
