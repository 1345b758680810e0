"""Every kind of part in the order import and export go through them: what a kind refers to
comes before it (sources, areas and places before what is filed, located or rated in them);
evidence is stored last, once everything it is filed under exists."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from riskatlas.apps.assessments.interchange.parts import (
    ACTIVITIES,
    CONTEXT,
    EXPOSURE_GROUPS,
    MITIGATIONS,
    OFFICIAL_ADVICE,
    RECOMMENDATIONS,
    RISKS,
    ROUTES,
    SITES,
    THREATS,
    WATCH_ITEMS,
)
from riskatlas.apps.assessments.mapping import Item, Lookups, PartMapper
from riskatlas.apps.assessments.models import (
    Activity,
    AssessmentVersion,
    ContextSection,
    ExposureGroup,
    Mitigation,
    OfficialAdvice,
    Recommendation,
    Risk,
    Route,
    Site,
    ThreatNarrative,
    WatchItem,
)
from riskatlas.apps.geography.interchange import AREAS, PLACES
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.interchange import (
    ACTORS,
    INCIDENTS,
    SOURCES,
    file_evidence,
    filed_evidence,
)
from riskatlas.apps.intelligence.models import Actor, ActorLink, Evidence, Incident, Source

PART_MAPPERS: tuple[PartMapper, ...] = (
    SOURCES,
    AREAS,
    PLACES,
    EXPOSURE_GROUPS,
    ACTIVITIES,
    SITES,
    ROUTES,
    CONTEXT,
    ACTORS,  # with their links
    INCIDENTS,
    THREATS,
    RISKS,
    MITIGATIONS,
    RECOMMENDATIONS,
    WATCH_ITEMS,
    OFFICIAL_ADVICE,
)

# The document's path to each kind's list, by model (evidence and actor links are not items
# of their own).
SECTIONS: dict[type[Model], tuple[str, ...]] = {m.model: m.section for m in PART_MAPPERS}

# Every model of a version's parts, in the order a replaced version's parts are deleted: what
# refers to another part goes before it.
PART_MODELS: tuple[type[Model], ...] = (
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


def items_in(doc: dict[str, Any], section: tuple[str, ...]) -> list[Item]:
    """The document's items of one section (none when the section is left out)."""
    found: Any = doc
    for key in section:
        found = found.get(key) or {}
    return list(found or [])


def write_parts(version: AssessmentVersion, doc: dict[str, Any]) -> None:
    """Store every part of ``doc`` in ``version`` (which has none yet)."""
    lookups = Lookups()
    for mapper in PART_MAPPERS:
        rows = mapper.from_document(version, items_in(doc, mapper.section), lookups)
        lookups.remember(mapper, rows)
    file_evidence(version, lookups)


def read_parts(version: AssessmentVersion, doc: dict[str, Any]) -> None:
    """Add every stored part of ``version`` to ``doc``, section by section."""
    lookups = Lookups()
    stored = [(mapper, mapper.rows(version)) for mapper in PART_MAPPERS]
    for mapper, rows in stored:
        lookups.remember(mapper, rows)
    filed_evidence(version, lookups)
    for mapper, rows in stored:
        *path, key = mapper.section
        place = doc
        for step in path:
            place = place.setdefault(step, {})
        place[key] = mapper.to_document(rows, lookups)
