"""``GET /api/v1/changes/``: what the feed imports recorded as changed — official advice
levels up or down, new orange or red hazard alerts, new outbreaks — newest first, as on the
"What changed" page: by default about the countries of your teams' assessments
(``scope=all`` for every country), ``kind`` to keep one kind."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from riskatlas.api.schema import ApiSchema
from riskatlas.apps.feeds.concerns import ChangeRows, assessed_countries
from riskatlas.evidence.changes import KINDS
from riskatlas.evidence.store import StoreBusy


class ChangeSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="What changed, as a key: the same change has the same id")
    kind = serializers.ChoiceField(choices=KINDS)
    source = serializers.CharField(help_text="The feed: canada-advice, gdacs, who-don…")
    country = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-3")
    area_code = serializers.CharField(
        allow_null=True, help_text="ISO 3166-1 alpha-2 (whole country) or ISO 3166-2 code"
    )
    area_name = serializers.CharField()
    countries = serializers.ListField(
        child=serializers.CharField(), help_text="Every country it concerns (alpha-3)"
    )
    before = serializers.CharField(allow_blank=True)
    after = serializers.CharField()
    before_level = serializers.IntegerField(
        allow_null=True, help_text="Advice 1–4; hazards 1 green … 4 red"
    )
    after_level = serializers.IntegerField(allow_null=True)
    direction = serializers.ChoiceField(choices=["up", "down", "changed", "new"])
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True)
    observed = serializers.DateField(allow_null=True, help_text="The publisher's date")
    recorded = serializers.DateTimeField(help_text="When riskatlas recorded the change")


class StoreBusyError(APIException):
    status_code = 503
    default_detail = "An import is writing the evidence store; try again when it has finished."


@extend_schema(
    summary="What changed in official advice, hazards and outbreaks",
    parameters=[
        OpenApiParameter(
            "scope", OpenApiTypes.STR, enum=["ours", "all"],
            description="ours (default): the countries of your teams' assessments; all: every "
            "country",
        ),
        OpenApiParameter("kind", OpenApiTypes.STR, enum=list(KINDS), description="One kind"),
    ],
)  # fmt: skip
class ChangeList(generics.ListAPIView):
    schema = ApiSchema()
    serializer_class = ChangeSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        scope = self.request.query_params.get("scope", "ours")
        kind = self.request.query_params.get("kind")
        problems = {}
        if scope not in ("ours", "all"):
            problems["scope"] = [f"ours or all, not {scope!r}"]
        if kind is not None and kind not in KINDS:
            problems["kind"] = [f"one of {', '.join(KINDS)}, not {kind!r}"]
        if problems:
            raise ValidationError(problems)
        countries = assessed_countries(self.request.user) if scope == "ours" else None
        try:
            return ChangeRows(countries, [kind] if kind else None)
        except StoreBusy as exc:
            raise StoreBusyError() from exc

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().list(request, *args, **kwargs)
        except StoreBusy as exc:
            raise StoreBusyError() from exc
