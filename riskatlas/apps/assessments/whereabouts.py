"""Where a stored part sits in its version's interchange document, so that the document
checks' problems can be told apart: those of the part a change made, and the rest."""

from __future__ import annotations

from typing import Any

from django.db import models

from riskatlas.apps.assessments.models import (
    Activity,
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
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.models import Actor, Incident, Source

# The document's path to each kind's list; items are in the order of the model's rows.
SECTIONS: dict[type[models.Model], tuple[str, ...]] = {
    Source: ("sources",),
    AssessmentArea: ("areas",),
    Place: ("places",),
    ExposureGroup: ("exposure", "groups"),
    Activity: ("exposure", "activities"),
    Site: ("exposure", "sites"),
    Route: ("exposure", "routes"),
    ContextSection: ("context",),
    Actor: ("actors",),
    Incident: ("incidents",),
    ThreatNarrative: ("threats",),
    Risk: ("risks",),
    Mitigation: ("mitigations",),
    Recommendation: ("recommendations",),
    WatchItem: ("watch_items",),
    OfficialAdvice: ("official_advice",),
}


def locate(doc: dict[str, Any], part: models.Model) -> tuple[str | int, ...] | None:
    """The path of ``part`` in ``doc`` (``("risks", 3)``), or None for a kind of row that is
    not an item of its own (evidence, actor links)."""
    section = SECTIONS.get(type(part))
    if section is None:
        return None
    model = type(part)
    order = list(
        model._default_manager.filter(version_id=part.version_id).values_list("pk", flat=True)  # type: ignore[attr-defined]
    )
    if part.pk not in order:
        return None
    return (*section, order.index(part.pk))
