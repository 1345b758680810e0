"""The assessment's own kinds of part in the interchange document: who and what is exposed,
context, threats, risks, measures, recommendations, watch items and official advice."""

from __future__ import annotations

from riskatlas.apps.assessments.mapping import (
    PartMapper,
    date,
    group,
    many,
    number,
    ref,
    required,
    text,
)
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

EXPOSURE_GROUPS = PartMapper(
    section=("exposure", "groups"),
    model=ExposureGroup,
    fields=(required("id", "key"), required("name"), text("description")),
)

ACTIVITIES = PartMapper(
    section=("exposure", "activities"),
    model=Activity,
    fields=(required("name"), text("description"), many("areas")),
)

SITES = PartMapper(
    section=("exposure", "sites"),
    model=Site,
    fields=(required("name"), ref("place", table="places"), text("description")),
)

ROUTES = PartMapper(
    section=("exposure", "routes"),
    model=Route,
    fields=(
        required("name"),
        ref("from", "origin", table="places"),
        ref("to", "destination", table="places"),
        text("description"),
    ),
)

CONTEXT = PartMapper(
    section=("context",),
    model=ContextSection,
    evidence_kind="context",
    fields=(required("topic"), required("title"), required("text")),
)

THREATS = PartMapper(
    section=("threats",),
    model=ThreatNarrative,
    evidence_kind="threat",
    fields=(
        required("category"),
        required("summary"),
        text("modus_operandi"),
        text("targeting"),
        text("trend"),
        text("trend_note"),
    ),
)


RISKS = PartMapper(
    section=("risks",),
    model=Risk,
    evidence_kind="risk",
    fields=(
        required("id", "key"),
        required("title"),
        required("category"),
        ref("area", table="areas", required=True),
        many("exposed"),
        text("circumstance"),
        group(
            "inherent",
            required("likelihood", "inherent_likelihood"),
            required("impact", "inherent_impact"),
            required=True,
        ),
        group(
            "current",
            number("likelihood", "current_likelihood"),
            number("impact", "current_impact"),
            shown=lambda risk: risk.current_likelihood is not None,
        ),
        group(
            "residual",
            required("likelihood", "residual_likelihood"),
            required("impact", "residual_impact"),
            required=True,
        ),
        text("trend"),
        text("confidence"),
        required("rationale"),
        text("owner"),
        many("measures"),
    ),
)

MITIGATIONS = PartMapper(
    section=("mitigations",),
    model=Mitigation,
    fields=(
        required("code"),
        required("name"),
        required("domain"),
        required("description"),
        many("threats"),
    ),
)

RECOMMENDATIONS = PartMapper(
    section=("recommendations",),
    model=Recommendation,
    evidence_kind="recommendation",
    fields=(
        required("id", "key"),
        required("text"),
        required("priority"),
        text("mitigation"),
        many("risks"),
        many("applies_to"),
    ),
)

WATCH_ITEMS = PartMapper(
    section=("watch_items",),
    model=WatchItem,
    evidence_kind="watch_item",
    fields=(
        required("id", "key"),
        required("title"),
        text("kind"),
        text("date", load=str),
        text("description"),
        many("areas"),
        many("categories"),
        required("triggers"),
    ),
)

OFFICIAL_ADVICE = PartMapper(
    section=("official_advice",),
    model=OfficialAdvice,
    fields=(
        required("government"),
        required("level"),
        date("as_of"),
        text("summary"),
        many("no_go"),
        text("url"),
    ),
)
