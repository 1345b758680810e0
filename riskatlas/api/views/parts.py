"""Risks, incidents, actors, areas and sources across the versions a user may read.

Each list can be narrowed to one assessment and version (``?assessment=…&version=…`` or
``?current=true``). Analysts can also add, change and delete them in draft versions (not in
review, not frozen): see ``changing.py``."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Model, Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from riskatlas.api.access import check_can_change, team_parts, visible_parts
from riskatlas.api.changes import etag
from riskatlas.api.filters import ActorFilter, AreaFilter, IncidentFilter, RiskFilter, SourceFilter
from riskatlas.api.schema import ApiSchema
from riskatlas.api.serializers.risks import NewRiskSerializer, RiskSerializer
from riskatlas.api.views.changing import ChangeMixin, change_schemas
from riskatlas.apps.assessments.models import Risk
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.geography.serializers import AreaSerializer, NewAreaSerializer
from riskatlas.apps.intelligence.models import Actor, ActorLink, Incident, Source
from riskatlas.apps.intelligence.serializers import (
    ActorSerializer,
    IncidentSerializer,
    NewActorSerializer,
    NewIncidentSerializer,
    NewSourceSerializer,
    SourceSerializer,
)

PART_ORDER = ["version__assessment__slug", "version__number", "position"]


class ChangesNeedAnalyst(BasePermission):
    """403 for a member without the analyst role, 409 for a version in review or frozen."""

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method not in SAFE_METHODS:
            check_can_change(request.user, obj.version)
        return True


class PartViewSet(viewsets.GenericViewSet):
    schema = ApiSchema()
    model: type[Model]
    permission_classes = [IsAuthenticated, ChangesNeedAnalyst]
    parser_classes = [JSONParser]  # bodies are JSON (nested ratings, strength, lists)
    ordering = PART_ORDER

    def get_queryset(self) -> QuerySet[Any]:
        if self.request.method in SAFE_METHODS:
            queryset = visible_parts(self.model, self.request.user)
        else:  # found for any member, so that a reader is told 403 rather than 404
            queryset = team_parts(self.model, self.request.user)
        return self.shape(queryset.select_related("version__assessment"))

    def shape(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset

    def get_object(self) -> Any:
        self.shown_part = super().get_object()
        return self.shown_part

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        """One part read or changed carries its revision as the ETag, for ``If-Match``."""
        part = getattr(self, "shown_part", None)
        if part is not None and response.status_code == 200 and "ETag" not in response:
            response["ETag"] = etag(part)
        return super().finalize_response(request, response, *args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="Risks"),
    retrieve=extend_schema(summary="One risk"),
    **change_schemas("risk", RiskSerializer, NewRiskSerializer),
)
class RiskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ChangeMixin,
    PartViewSet,
):
    model = Risk
    queryset = Risk.objects.none()
    serializer_class = RiskSerializer
    new_serializer_class = NewRiskSerializer
    filterset_class = RiskFilter
    ordering_fields = ["key", "title", "category", "position", "residual_score", "inherent_score"]

    def shape(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("area").annotate(
            residual_score=F("residual_likelihood") * F("residual_impact"),
            inherent_score=F("inherent_likelihood") * F("inherent_impact"),
        )


@extend_schema_view(
    list=extend_schema(summary="Incidents"),
    retrieve=extend_schema(summary="One incident"),
    **change_schemas("incident", IncidentSerializer, NewIncidentSerializer),
)
class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChangeMixin, PartViewSet):
    model = Incident
    queryset = Incident.objects.none()
    serializer_class = IncidentSerializer
    new_serializer_class = NewIncidentSerializer
    filterset_class = IncidentFilter
    ordering_fields = ["date", "title", "key", "killed", "injured", "position"]

    def shape(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("place", "area")


@extend_schema_view(
    list=extend_schema(summary="Actors"),
    retrieve=extend_schema(summary="One actor"),
    **change_schemas("actor", ActorSerializer, NewActorSerializer),
)
class ActorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChangeMixin, PartViewSet):
    model = Actor
    queryset = Actor.objects.none()
    serializer_class = ActorSerializer
    new_serializer_class = NewActorSerializer
    filterset_class = ActorFilter
    ordering_fields = ["name", "key", "type", "status", "position"]

    def shape(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        links = ActorLink.objects.select_related("other").order_by("position")
        return queryset.select_related("strength_source").prefetch_related(Prefetch("links", links))


@extend_schema_view(
    list=extend_schema(summary="Areas"),
    retrieve=extend_schema(summary="One area"),
    **change_schemas("area", AreaSerializer, NewAreaSerializer),
)
class AreaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChangeMixin, PartViewSet):
    model = AssessmentArea
    queryset = AssessmentArea.objects.none()
    serializer_class = AreaSerializer
    new_serializer_class = NewAreaSerializer
    filterset_class = AreaFilter
    ordering_fields = ["code", "name", "position"]

    def shape(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.prefetch_related(Prefetch("places", Place.objects.order_by("position")))


@extend_schema_view(
    list=extend_schema(summary="Sources"),
    retrieve=extend_schema(summary="One source"),
    **change_schemas("source", SourceSerializer, NewSourceSerializer),
)
class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ChangeMixin, PartViewSet):
    model = Source
    queryset = Source.objects.none()
    serializer_class = SourceSerializer
    new_serializer_class = NewSourceSerializer
    filterset_class = SourceFilter
    ordering_fields = ["key", "title", "date", "reliability", "credibility", "position"]
