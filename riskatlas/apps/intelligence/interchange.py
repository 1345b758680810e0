"""Sources, actors (with their links), incidents and the evidence filed under parts, in the
interchange document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskatlas.apps.assessments.mapping import (
    Item,
    Lookups,
    PartMapper,
    compact,
    date,
    group,
    many,
    number,
    ref,
    required,
    text,
)
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.intelligence.models import Actor, ActorLink, Evidence, Incident, Source

SOURCES = PartMapper(
    section=("sources",),
    model=Source,
    id_attr="key",
    fields=(
        required("id", "key"),
        required("title"),
        required("kind"),
        text("author"),
        date("date"),
        text("url"),
        required("reliability"),
        required("credibility"),
        text("note"),
    ),
)


@dataclass(frozen=True)
class ActorMapper(PartMapper):
    """Actors, each with its links to other actors (stored once every actor exists)."""

    def to_document(self, rows: list[Any], lookups: Lookups) -> list[Item]:
        if not rows:
            return []
        links: dict[int, list[Item]] = {}
        stored = ActorLink.objects.filter(version_id=rows[0].version_id).order_by("position")
        for link in stored:
            other = lookups.ids[self.name][link.other_id]
            links.setdefault(link.actor_id, []).append({"actor": other, "relation": link.relation})
        return [self.with_links(row, links.get(row.pk, []), lookups) for row in rows]

    def with_links(self, row: Actor, links: list[Item], lookups: Lookups) -> Item:
        item = {part.key: part.dump(row, lookups) for part in self.fields}
        item["links"] = links
        item["evidence"] = self.evidence_of(row, lookups)
        return compact(item)

    def from_document(
        self, version: AssessmentVersion, items: list[Item], lookups: Lookups
    ) -> list[Any]:
        rows = super().from_document(version, items, lookups)
        actors = {actor.key: actor for actor in rows}
        for item in items:
            for position, link in enumerate(item.get("links") or []):
                ActorLink.objects.create(
                    version=version,
                    position=position,
                    actor=actors[item["id"]],
                    other=actors[link["actor"]],
                    relation=link["relation"],
                )
        return rows


ACTORS = ActorMapper(
    section=("actors",),
    model=Actor,
    id_attr="key",
    evidence_kind="actor",
    fields=(
        required("id", "key"),
        required("name"),
        many("aliases"),
        required("type"),
        text("status"),
        text("description"),
        group(
            "strength",
            text("estimate", "strength_estimate"),
            number("fighters", "strength_fighters"),
            date("as_of", "strength_as_of"),
            ref("source", "strength_source", table="sources"),
            number("credibility", "strength_credibility"),
            shown=lambda actor: bool(actor.strength_estimate),
        ),
        many("areas"),
        many("categories"),
    ),
)

INCIDENTS = PartMapper(
    section=("incidents",),
    model=Incident,
    id_attr="key",
    evidence_kind="incident",
    fields=(
        required("id", "key"),
        required("title"),
        required("date", load=str),
        ref("place", table="places"),
        ref("area", table="areas"),
        required("categories"),
        many("actors"),
        group("casualties", number("killed"), number("injured"), number("abducted")),
        text("description"),
    ),
)

# A piece of evidence as the document files it under a part.
EVIDENCE_FIELDS = (
    ref("source", table="sources", required=True),
    number("credibility"),
    text("quote"),
    text("note"),
)


def file_evidence(version: AssessmentVersion, lookups: Lookups) -> None:
    """Store the evidence the other kinds left in ``lookups.to_file``, all at once."""
    rows = []
    for kind, subject_id, items in lookups.to_file:
        for position, item in enumerate(items):
            values: dict[str, Any] = {}
            for part in EVIDENCE_FIELDS:
                part.load(item, lookups, values)
            rows.append(
                Evidence(
                    version=version,
                    position=position,
                    subject_kind=kind,
                    subject_id=subject_id,
                    **values,
                )
            )
    Evidence.objects.bulk_create(rows)


def filed_evidence(version: AssessmentVersion, lookups: Lookups) -> None:
    """Read the version's evidence into ``lookups.filed``, by the part it is filed under."""
    stored = Evidence.objects.filter(version=version).order_by(
        "subject_kind", "subject_id", "position"
    )
    for evidence in stored:
        item = compact({part.key: part.dump(evidence, lookups) for part in EVIDENCE_FIELDS})
        lookups.filed.setdefault((evidence.subject_kind, evidence.subject_id), []).append(item)
