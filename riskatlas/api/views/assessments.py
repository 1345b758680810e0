"""Assessments, their versions and each version's full interchange document."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from riskatlas.api.access import (
    API,
    Conflict,
    team_assessments,
    visible_assessments,
    visible_versions,
)
from riskatlas.api.filters import AssessmentFilter, VersionFilter
from riskatlas.api.schema import ApiSchema
from riskatlas.api.serializers.assessments import (
    AssessmentSerializer,
    CommentSerializer,
    VersionSerializer,
    VersionSummarySerializer,
)
from riskatlas.api.serializers.starting import NewAssessmentSerializer
from riskatlas.api.starting import start_from_api
from riskatlas.apps.accounts.permissions import roles_by_team
from riskatlas.apps.assessments import workflow
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion
from riskatlas.apps.assessments.workflow import WorkflowError
from riskatlas.apps.audit.context import acting_as

SLUG = OpenApiParameter(
    "slug",
    {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
    OpenApiParameter.PATH,
    description="Assessment slug",
)
NUMBER = OpenApiParameter(
    "number", {"type": "integer", "minimum": 0}, OpenApiParameter.PATH, description="Version number"
)


@extend_schema_view(
    list=extend_schema(summary="Assessments of your teams, each with its current version"),
    retrieve=extend_schema(summary="One assessment", parameters=[SLUG]),
    create=extend_schema(
        summary="Start a new assessment (analysts)",
        description="A new draft, version 1: the country with the subdivisions given as areas "
        "(and custom areas made of several), pre-filled from the team's template (exposure "
        "groups, context sections, matrix) or from another assessment of the team (`source`: "
        "as a template, or a full copy). Checked as every assessment is; a problem is a 400 "
        "naming its field, and then nothing is made.",
        request=NewAssessmentSerializer,
        responses={
            201: VersionSerializer,
            400: OpenApiResponse(description="The problems, by field; nothing was made"),
            403: OpenApiResponse(description="You are not an analyst of the team"),
        },
        filters=False,
    ),
)
class AssessmentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    schema = ApiSchema()
    # A new assessment's body is JSON (its custom areas are a list of objects), as every other
    # body of the API: a form-encoded one would lose the difference between an empty and an
    # absent author.
    parser_classes = [JSONParser]
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    queryset = Assessment.objects.none()
    lookup_field = "slug"
    ordering_fields = ["slug", "country", "created_at"]
    ordering = ["slug"]

    def get_queryset(self) -> QuerySet[Assessment]:
        user = self.request.user
        roles = roles_by_team(user)  # once for both: the assessments and their versions
        readable = visible_versions(user, roles).order_by("-number")
        return (
            visible_assessments(user, roles)
            .select_related("team")
            .prefetch_related(Prefetch("versions", readable, to_attr="readable_versions"))
        )

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = NewAssessmentSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        with acting_as(request.user, API):
            version = start_from_api(request.user, given.validated_data)
        shown = VersionSerializer(version, context=self.get_serializer_context())
        return Response(shown.data, status=201)


CHANGE_ERRORS = {
    403: OpenApiResponse(description="Your role in the team is not strong enough"),
    404: OpenApiResponse(description="No such assessment or version in your teams"),
    409: OpenApiResponse(description="The version's status does not allow this step"),
}


def _step_schema(summary: str, description: str) -> Any:
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[SLUG, NUMBER],
        request=CommentSerializer,
        responses={200: VersionSerializer, **CHANGE_ERRORS},
        filters=False,
    )


@contextmanager
def as_workflow_step(request: Request) -> Iterator[None]:
    """Record changes as the API user's (audit log); a refused step is a 409."""
    try:
        with acting_as(request.user, API):
            yield
    except WorkflowError as exc:
        raise Conflict(str(exc)) from exc


@extend_schema_view(
    list=extend_schema(summary="Versions of an assessment", parameters=[SLUG]),
    retrieve=extend_schema(summary="One version", parameters=[SLUG, NUMBER]),
    create=extend_schema(
        summary="Start a new draft version (analysts)",
        description="Copies the newest approved or published version into a new draft. "
        "Refused (409) while a draft or a version in review is open.",
        parameters=[SLUG],
        request=None,
        responses={201: VersionSerializer, **CHANGE_ERRORS},
    ),
)
class VersionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Readers see published versions only; analysts and above see them all. The review
    steps are those of the pages (``riskatlas.apps.assessments.workflow``)."""

    schema = ApiSchema()
    filterset_class = VersionFilter
    parser_classes = [JSONParser]
    queryset = AssessmentVersion.objects.none()
    lookup_field = "number"
    ordering_fields = ["number", "as_of", "created_at"]
    ordering = ["number"]

    def get_serializer_class(self) -> Any:
        return VersionSummarySerializer if self.action == "list" else VersionSerializer

    def get_queryset(self) -> QuerySet[AssessmentVersion]:
        user = self.request.user
        if self.request.method in SAFE_METHODS:
            roles = roles_by_team(user)
            assessments, versions = visible_assessments(user, roles), visible_versions(user, roles)
        else:  # every member finds it, so that a weak role is told 403 rather than 404
            assessments = team_assessments(user)
            versions = AssessmentVersion.objects.filter(assessment__in=assessments)
        assessment = get_object_or_404(assessments, slug=self.kwargs["slug"])
        return versions.filter(assessment=assessment).select_related("assessment")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        assessment = get_object_or_404(team_assessments(request.user), slug=kwargs["slug"])
        with as_workflow_step(request):
            version = workflow.new_version(assessment, request.user)
        shown = VersionSerializer(version, context=self.get_serializer_context())
        return Response(shown.data, status=201)

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

    def _step(self, request: Request, move: Callable[..., AssessmentVersion]) -> Response:
        version = self.get_object()
        comment = CommentSerializer(data=request.data)
        comment.is_valid(raise_exception=True)
        with as_workflow_step(request):
            version = move(version, request.user, comment.validated_data["comment"])
        return Response(VersionSerializer(version, context=self.get_serializer_context()).data)

    @_step_schema("Submit a draft for review (analysts)", "draft → in review")
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def submit(self, request: Request, slug: str, number: str) -> Response:
        return self._step(request, workflow.submit_for_review)

    @_step_schema(
        "Return a version in review to draft (reviewers)",
        "in review → draft; the comment, saying what to change, is required",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        pagination_class=None,
        filterset_class=None,
    )
    def return_to_draft(self, request: Request, slug: str, number: str) -> Response:
        return self._step(request, workflow.return_to_draft)

    @_step_schema(
        "Withdraw a version from review (analysts)",
        "in review → draft, to change it; a version in review cannot be changed",
    )
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def withdraw(self, request: Request, slug: str, number: str) -> Response:
        return self._step(request, workflow.withdraw)

    @_step_schema("Approve a version in review (reviewers)", "in review → approved (frozen)")
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def approve(self, request: Request, slug: str, number: str) -> Response:
        return self._step(request, workflow.approve)

    @_step_schema("Publish an approved version (reviewers)", "approved → published")
    @action(detail=True, methods=["post"], pagination_class=None, filterset_class=None)
    def publish(self, request: Request, slug: str, number: str) -> Response:
        return self._step(request, workflow.publish)
