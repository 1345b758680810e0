"""Incidents, actors and sources: their serializers belong to the intelligence app (the
OpenAPI settings name ``ACTOR_STATUSES`` here)."""

from riskatlas.apps.intelligence.serializers import (
    ACTOR_STATUSES,
    ActorSerializer,
    IncidentSerializer,
    LinkSerializer,
    NewActorSerializer,
    NewIncidentSerializer,
    NewSourceSerializer,
    SourceSerializer,
    StrengthSerializer,
)

__all__ = [
    "ACTOR_STATUSES",
    "ActorSerializer",
    "IncidentSerializer",
    "LinkSerializer",
    "NewActorSerializer",
    "NewIncidentSerializer",
    "NewSourceSerializer",
    "SourceSerializer",
    "StrengthSerializer",
]
