"""Risks, incidents, actors and areas across the versions a user may read.

Each list can be narrowed to one assessment and version (``?assessment=…&version=…`` or
``?current=true``). Risks can also be created and changed, by analysts, in draft versions
(not in review, not frozen)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Model, Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from riskatlas.api.access import API, check_can_change, team_parts, version_to_change, visible_parts
from riskatlas.api.filters import ActorFilter, AreaFilter, IncidentFilter, RiskFilter
from riskatlas.api.serializers.geography import AreaSerializer
from riskatlas.api.serializers.intelligence import ActorSerializer, IncidentSerializer
from riskatlas.api.serializers.risks import NewRiskSerializer, RiskSerializer, TargetSerializer
from riskatlas.apps.assessments.models import Risk
from riskatlas.apps.audit.context import acting_as
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.models import Actor, ActorLink, Incident

PART_ORDER = ["version__assessment__slug", "version__number", "position"]


class ChangesNeedAnalyst(BasePermission):
    """403 for a member without the analyst role, 409 for a version in review or frozen."""

    def has_object_permission(self, request: Request, view: Any, obj: Any) -> bool:
        if request.method not in SAFE_METHODS:
            check_can_change(request.user, obj.version)
        return True


class PartViewSet(viewsets.GenericViewSet):
    model: type[Model]
    permission_classes = [IsAuthenticated, ChangesNeedAnalyst]
    ordering = PART_ORDER

    def get_queryset(self) -> QuerySet[Any]:
        if self.request.method in SAFE_METHODS:
            queryset = visible_parts(self.model, self.request.user)
        else:  # found for any member, so that a reader is told 403 rather than 404
            queryset = team_parts(self.model, self.request.user)
        return self.shape(queryset.select_related("version__assessment"))

    def shape(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset


ERRORS = {
    400: OpenApiResponse(description="Invalid fields; the body names each one"),
    403: OpenApiResponse(description="You are a reader of the assessment's team"),
    404: OpenApiResponse(description="No such assessment, version or risk in your teams"),
    409: OpenApiResponse(description="The version is in review, or approved or published"),
}


@extend_schema_view(
    list=extend_schema(summary="Risks"),
    retrieve=extend_schema(summary="One risk"),
    create=extend_schema(
        summary="Add a risk to a draft version (analysts)",
        request=NewRiskSerializer,
        responses={201: RiskSerializer, **ERRORS},
    ),
    update=extend_schema(
        summary="Replace a risk (analysts)", responses={200: RiskSerializer, **ERRORS}
    ),
    partial_update=extend_schema(
        summary="Change some of a risk's fields (analysts)",
        responses={200: RiskSerializer, **ERRORS},
    ),
)
class RiskViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    PartViewSet,
):
    model = Risk
    queryset = Risk.objects.none()
    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    ordering_fields = ["key", "title", "category", "position", "residual_score", "inherent_score"]

    def shape(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("area").annotate(
            residual_score=F("residual_likelihood") * F("residual_impact"),
            inherent_score=F("inherent_likelihood") * F("inherent_impact"),
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        target = TargetSerializer(data=request.data)
        target.is_valid(raise_exception=True)
        version = version_to_change(
            request.user, target.validated_data["assessment"], target.validated_data["version"]
        )
        context = {**self.get_serializer_context(), "version": version}
        serializer = NewRiskSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        with acting_as(request.user, API):
            risk = serializer.save()
        stored = Risk.objects.select_related("version__assessment", "area").get(pk=risk.pk)
        return Response(RiskSerializer(stored, context=context).data, status=201)

    def perform_update(self, serializer: Any) -> None:
        with acting_as(self.request.user, API):
            serializer.save()


@extend_schema_view(
    list=extend_schema(summary="Incidents"), retrieve=extend_schema(summary="One incident")
)
class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartViewSet):
    model = Incident
    queryset = Incident.objects.none()
    serializer_class = IncidentSerializer
    filterset_class = IncidentFilter
    ordering_fields = ["date", "title", "key", "killed", "injured", "position"]

    def shape(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.select_related("place", "area")


@extend_schema_view(
    list=extend_schema(summary="Actors"), retrieve=extend_schema(summary="One actor")
)
class ActorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartViewSet):
    model = Actor
    queryset = Actor.objects.none()
    serializer_class = ActorSerializer
    filterset_class = ActorFilter
    ordering_fields = ["name", "key", "type", "status", "position"]

    def shape(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        links = ActorLink.objects.select_related("other").order_by("position")
        return queryset.select_related("strength_source").prefetch_related(Prefetch("links", links))


@extend_schema_view(list=extend_schema(summary="Areas"), retrieve=extend_schema(summary="One area"))
class AreaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PartViewSet):
    model = AssessmentArea
    queryset = AssessmentArea.objects.none()
    serializer_class = AreaSerializer
    filterset_class = AreaFilter
    ordering_fields = ["code", "name", "position"]

    def shape(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.prefetch_related(Prefetch("places", Place.objects.order_by("position")))
