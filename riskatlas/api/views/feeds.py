"""``GET /api/v1/changes/``: what the feed imports recorded as changed — official advice
levels up or down, new orange or red hazard alerts, new outbreaks — newest first, as on the
"What changed" page: by default about the countries of your teams' assessments
(``scope=all`` for every country), ``kind`` to keep one kind."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from riskatlas.api.schema import ApiSchema
from riskatlas.apps.feeds.concerns import ChangeRows, assessed_countries
from riskatlas.evidence.areas import country_iso3
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


def _moment(text: str) -> datetime | None:
    """An ISO 8601 time (without a zone: UTC) or date (its midnight UTC); None if neither."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "+"))
    except ValueError:
        return None
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # the first or last day there is, in a zone off UTC
        return (datetime.min if moment.year == 1 else datetime.max).replace(tzinfo=UTC)


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
        OpenApiParameter(
            "country", OpenApiTypes.STR, pattern=r"^[A-Za-z]{2,3}$",
            description="One country (ISO 3166-1 alpha-2 or alpha-3): its changes, a hazard's "
            "also when it concerns the country; within scope=ours, one of your teams' (none "
            "for another, or a code no country has)",
        ),
        OpenApiParameter(
            "since", OpenApiTypes.DATETIME,
            description="Only the changes recorded at or after this time (ISO 8601; a date is "
            "its midnight UTC): what a poller asks with the last `recorded` it saw (ids repeat "
            "a change already seen)",
        ),
    ],
)  # fmt: skip
class ChangeList(generics.ListAPIView):
    schema = ApiSchema()
    serializer_class = ChangeSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        params = self.request.query_params
        scope, kind = params.get("scope", "ours"), params.get("kind")
        country, since = params.get("country"), params.get("since")
        problems = {}
        if scope not in ("ours", "all"):
            problems["scope"] = [f"ours or all, not {scope!r}"]
        if kind is not None and kind not in KINDS:
            problems["kind"] = [f"one of {', '.join(KINDS)}, not {kind!r}"]
        if country and not re.fullmatch(r"[A-Za-z]{2,3}", country):
            problems["country"] = [f"an ISO 3166-1 alpha-2 or alpha-3 code, not {country!r}"]
        when = _moment(since) if since else None
        if since and when is None:
            problems["since"] = [f"an ISO 8601 date or time, not {since!r}"]
        if problems:
            raise ValidationError(problems)
        countries = assessed_countries(self.request.user) if scope == "ours" else None
        if country:
            iso3 = country_iso3(country)
            countries = [iso3] if iso3 and (countries is None or iso3 in countries) else []
        try:
            return ChangeRows(countries, [kind] if kind else None, when)
        except StoreBusy as exc:
            raise StoreBusyError() from exc

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().list(request, *args, **kwargs)
        except StoreBusy as exc:
            raise StoreBusyError() from exc
