"""Adding, changing and deleting parts of a version (analysts, draft versions only): the
changes every part's view set shares. Each change is recorded in the audit log under the
request's user, with ``via`` = ``api``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from riskatlas.api.access import API, version_to_change
from riskatlas.api.changes import if_match, remove_part
from riskatlas.api.serializers.risks import TargetSerializer
from riskatlas.apps.assessments.forms import PART_KINDS
from riskatlas.apps.assessments.revisions import EditedMeanwhile
from riskatlas.apps.audit.context import acting_as

ERRORS = {
    400: OpenApiResponse(description="Invalid fields; the body names each one"),
    403: OpenApiResponse(description="You are a reader of the assessment's team"),
    404: OpenApiResponse(description="No such assessment, version or part in your teams"),
    409: OpenApiResponse(description="The version is in review, or approved or published"),
}
CHANGE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(
        description="The version is in review, or approved or published; or the part changed "
        "since the ETag sent in If-Match (the body holds `stored` and `yours`; nothing was "
        "saved)"
    ),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description="The part's ETag as read; a part changed since is not overwritten (409)",
)
DELETE_ERRORS = {
    403: ERRORS[403],
    404: ERRORS[404],
    409: OpenApiResponse(
        description="Other parts of the version still refer to it (named in `references`), "
        "or the version is in review, or approved or published"
    ),
}


def change_schemas(
    singular: str,
    serializer: type[serializers.Serializer],
    new_serializer: type[serializers.Serializer],
) -> dict[str, Any]:
    """The description of a part's create, update, partial_update and destroy."""
    return {
        "create": extend_schema(
            summary=f"Add {_a(singular)} to a draft version (analysts)",
            request=new_serializer,
            responses={201: serializer, **ERRORS},
        ),
        "update": extend_schema(
            summary=f"Replace {_a(singular)} (analysts)",
            parameters=[IF_MATCH],
            responses={200: serializer, **CHANGE_ERRORS},
        ),
        "partial_update": extend_schema(
            summary=f"Change some of {_a(singular)}'s fields (analysts)",
            parameters=[IF_MATCH],
            responses={200: serializer, **CHANGE_ERRORS},
        ),
        "destroy": extend_schema(
            summary=f"Delete {_a(singular)} and its evidence (analysts)",
            responses={204: OpenApiResponse(description="Deleted"), **DELETE_ERRORS},
        ),
    }


def _a(word: str) -> str:
    return f"an {word}" if word[0] in "aeiou" else f"a {word}"


class ChangeMixin(mixins.UpdateModelMixin):
    """create (into the version named in the body), update, partial_update and destroy."""

    new_serializer_class: type[serializers.Serializer]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        target = TargetSerializer(data=request.data)
        target.is_valid(raise_exception=True)
        version = version_to_change(
            request.user, target.validated_data["assessment"], target.validated_data["version"]
        )
        context = {**self.get_serializer_context(), "version": version}
        serializer = self.new_serializer_class(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        with acting_as(request.user, API):
            part = serializer.save()
        stored = self.get_queryset().get(pk=part.pk)
        shown = self.get_serializer_class()(stored, context=context)
        return Response(shown.data, status=201)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().update(request, *args, **kwargs)
        except EditedMeanwhile as clash:
            context = self.get_serializer_context()
            stored = self.get_serializer_class()(clash.stored, context=context).data
            body = {"detail": str(clash), "stored": stored, "yours": request.data}
            return Response(body, status=409, headers={"ETag": f'"{clash.current}"'})

    def perform_update(self, serializer: Any) -> None:
        serializer.context["seen"] = if_match(self.request, serializer.instance)
        with acting_as(self.request.user, API):
            serializer.save()

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        part = self.get_object()
        evidence_kind = next(
            k.evidence_kind for k in PART_KINDS.values() if isinstance(part, k.model)
        )
        with acting_as(request.user, API):
            remove_part(part, evidence_kind)
        return Response(status=204)
