"""Assessments, their versions and each version's full interchange document."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from riskatlas.api.access import visible_assessments, visible_versions
from riskatlas.api.filters import AssessmentFilter, VersionFilter
from riskatlas.api.serializers.assessments import (
    AssessmentSerializer,
    VersionSerializer,
    VersionSummarySerializer,
)
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="Assessment slug")
NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="Version number")


@extend_schema_view(
    list=extend_schema(summary="Assessments of your teams, each with its current version"),
    retrieve=extend_schema(summary="One assessment", parameters=[SLUG]),
)
class AssessmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    queryset = Assessment.objects.none()
    lookup_field = "slug"
    ordering_fields = ["slug", "country", "created_at"]
    ordering = ["slug"]

    def get_queryset(self) -> QuerySet[Assessment]:
        readable = visible_versions(self.request.user).order_by("-number")
        return (
            visible_assessments(self.request.user)
            .select_related("team")
            .prefetch_related(Prefetch("versions", readable, to_attr="readable_versions"))
        )


@extend_schema_view(
    list=extend_schema(summary="Versions of an assessment", parameters=[SLUG]),
    retrieve=extend_schema(summary="One version", parameters=[SLUG, NUMBER]),
)
class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Readers see published versions only; analysts and above see them all."""

    filterset_class = VersionFilter
    queryset = AssessmentVersion.objects.none()
    lookup_field = "number"
    ordering_fields = ["number", "as_of", "created_at"]
    ordering = ["number"]

    def get_serializer_class(self) -> Any:
        return VersionSummarySerializer if self.action == "list" else VersionSerializer

    def get_queryset(self) -> QuerySet[AssessmentVersion]:
        assessment = get_object_or_404(
            visible_assessments(self.request.user), slug=self.kwargs["slug"]
        )
        return (
            visible_versions(self.request.user)
            .filter(assessment=assessment)
            .select_related("assessment")
        )

    @extend_schema(
        summary="The version as an interchange document (JSON)",
        description="The same document `riskatlas export` writes as YAML.",
        parameters=[SLUG, NUMBER],
        responses={200: OpenApiTypes.OBJECT},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def document(self, request: Request, slug: str, number: str) -> Response:
        return Response(export_version(self.get_object()))
