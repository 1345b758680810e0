"""Bringing a stored draft's parts in line with a document, changing only what differs.

A part is matched by its id in the document (``id``, or ``code`` for areas and mitigations),
else by its place in its section. A matched part whose values differ is updated in place (one
audit entry, and it keeps its database id, so evidence filed under it, draft items accepted
into it and links to it stay attached); a new one is created; one the document no longer
has is deleted with the evidence filed under it. Unchanged parts are not written at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model

from riskatlas.apps.assessments.interchange.registry import PART_MAPPERS, items_in
from riskatlas.apps.assessments.mapping import Item, Lookups, PartMapper
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.intelligence.interchange import ACTORS, file_evidence, filed_evidence
from riskatlas.apps.intelligence.models import Actor, ActorLink, Evidence

IDENTITY_KEYS = ("id", "code")


@dataclass
class Update:
    """What updating a version did, kind by kind: ``created``, ``changed``, ``deleted``."""

    created: list[Model] = field(default_factory=list)
    changed: list[Model] = field(default_factory=list)
    deleted: list[Model] = field(default_factory=list)


def update_parts(version: AssessmentVersion, doc: dict[str, Any]) -> Update:
    """Make the stored parts of ``version`` those of ``doc``, writing only the differences."""
    lookups = Lookups()
    stored = {mapper.name: mapper.rows(version) for mapper in PART_MAPPERS}
    for mapper in PART_MAPPERS:
        lookups.remember(mapper, stored[mapper.name])
    filed_evidence(version, lookups)
    update = Update()
    gone: list[list[Model]] = []
    for mapper in PART_MAPPERS:
        items = items_in(doc, mapper.section)
        kept = _update_kind(version, mapper, stored[mapper.name], items, lookups, update)
        lookups.remember(mapper, kept)
        if mapper is ACTORS:
            _update_links(version, kept, items, lookups)
        kept_pks = {row.pk for row in kept}
        gone.append([row for row in stored[mapper.name] if row.pk not in kept_pks])
    file_evidence(version, lookups)
    for mapper, rows in reversed(list(zip(PART_MAPPERS, gone, strict=True))):
        for row in rows:
            if mapper.evidence_kind:
                Evidence.objects.filter(
                    version=version, subject_kind=mapper.evidence_kind, subject_id=row.pk
                ).delete()
            if isinstance(row, Actor):
                ActorLink.objects.filter(version=version, actor=row).delete()
                ActorLink.objects.filter(version=version, other=row).delete()
            row.delete()
            update.deleted.append(row)
    return update


def _identity(mapper: PartMapper) -> tuple[str, str] | None:
    """(document key, model attribute) of what identifies a part of this kind, if anything."""
    for part in mapper.fields:
        if part.key in IDENTITY_KEYS:
            return part.key, part.name
    return None


def _pairs(mapper: PartMapper, rows: list[Any], items: list[Item]) -> list[tuple[Item, Any]]:
    """Each item with the stored row it updates (None for a new one)."""
    identity = _identity(mapper)
    if identity is None:
        return [(item, rows[i] if i < len(rows) else None) for i, item in enumerate(items)]
    key, attr = identity
    by_id = {getattr(row, attr): row for row in rows}
    return [(item, by_id.get(item.get(key))) for item in items]


def _update_kind(
    version: AssessmentVersion,
    mapper: PartMapper,
    rows: list[Any],
    items: list[Item],
    lookups: Lookups,
    update: Update,
) -> list[Any]:
    kept = []
    for position, (item, row) in enumerate(_pairs(mapper, rows, items)):
        values = mapper.values(item, lookups)
        if row is None:
            row = mapper.model._default_manager.create(version=version, position=position, **values)
            update.created.append(row)
        elif _differs(row, values, position):
            for name, value in values.items():
                setattr(row, name, value)
            row.position = position
            row.save()
            update.changed.append(row)
        if mapper.evidence_kind:
            _update_evidence(version, mapper.evidence_kind, row, item, lookups)
        kept.append(row)
    return kept


def _differs(row: Model, values: dict[str, Any], position: int) -> bool:
    if getattr(row, "position", None) != position:
        return True
    for name, value in values.items():
        model_field = row._meta.get_field(name)
        if model_field.is_relation:
            wanted = value.pk if value is not None else None
            if getattr(row, model_field.attname) != wanted:
                return True
        elif getattr(row, name) != value:
            return True
    return False


def _update_evidence(
    version: AssessmentVersion, kind: str, row: Any, item: Item, lookups: Lookups
) -> None:
    """Refile the evidence under ``row`` when the document's list differs from the stored."""
    wanted = item.get("evidence") or []
    if lookups.filed.get((kind, row.pk), []) == wanted:
        return
    Evidence.objects.filter(version=version, subject_kind=kind, subject_id=row.pk).delete()
    lookups.to_file.append((kind, row.pk, wanted))


def _update_links(
    version: AssessmentVersion, actors: list[Actor], items: list[Item], lookups: Lookups
) -> None:
    """Store each actor's links anew where the document's differ from the stored ones."""
    by_key = {actor.key: actor for actor in actors}
    stored: dict[int, list[tuple[str, str]]] = {}
    for link in ActorLink.objects.filter(version=version).select_related("other"):
        stored.setdefault(link.actor_id, []).append((link.other.key, link.relation))
    for item in items:
        actor = by_key[item["id"]]
        wanted = [(link["actor"], link["relation"]) for link in item.get("links") or []]
        if stored.get(actor.pk, []) == wanted:
            continue
        ActorLink.objects.filter(version=version, actor=actor).delete()
        for position, (other, relation) in enumerate(wanted):
            ActorLink.objects.create(
                version=version,
                position=position,
                actor=actor,
                other=by_key[other],
                relation=relation,
            )
