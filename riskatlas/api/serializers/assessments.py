"""Assessments and their versions. The version a user gets as "current" is the newest
published one, else (for analysts and above) the newest one — as on the pages."""

from __future__ import annotations

import copy
import datetime as dt
from functools import cached_property
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from riskatlas.apps.assessments.interchange import ensure_summary
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion, Status
from riskatlas.apps.assessments.summary import COUNTED, level_of
from riskatlas.geography import iso_area
from riskatlas.method.staleness import is_stale


class SecurityLevelSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    name = serializers.CharField()
    colour = serializers.CharField()


class FieldsBuiltOnce(serializers.ModelSerializer):
    """A model serializer whose fields are worked out from its model once per class, not on
    every request (DRF's ``get_fields`` reads the model's fields, their options and unique
    constraints for each new serializer: about a tenth of the API list's time, issue 13). They
    depend on the class alone (its Meta and declared fields); each serializer gets fresh
    copies, as DRF gives of the declared ones, never the kept ones, which stay unbound."""

    def get_fields(self) -> dict[str, Any]:
        kind = type(self)
        built: dict[str, Any] | None = kind.__dict__.get("_fields_built")
        if built is None:
            built = super().get_fields()
            kind._fields_built = built
        return copy.deepcopy(built)


# A slug and a version number that the API's routes take, written into a link reversed once
# and then replaced by each row's own (a slug is letters, digits, "-" and "_": nothing that
# reverse would quote). Reversing every link of every row was a quarter of a long list's time.
SLUG_MARK = "0slug0mark0"
NUMBER_MARK = "987654321"


class Links:
    """The API's links of one serializer's rows: each route reversed once (issue 13)."""

    def __init__(self, request: Any) -> None:
        self.request = request
        self.reversed: dict[str, str] = {}

    def to(self, route: str, slug: str, number: int | None = None) -> str:
        link = self.reversed.get(route)
        if link is None:
            args = [SLUG_MARK] if number is None else [SLUG_MARK, NUMBER_MARK]
            link = self.reversed[route] = reverse(route, args=args, request=self.request)
        if number is not None:  # first: a slug may hold the number's mark, not the reverse
            link = link.replace(NUMBER_MARK, str(number))
        return link.replace(SLUG_MARK, slug)


class VersionSummarySerializer(FieldsBuiltOnce):
    overdue = serializers.SerializerMethodField(help_text="The review-by date has passed")
    stale = serializers.SerializerMethodField(
        help_text="Out of date: the review-by date has passed, so the assessment may no longer "
        "hold; pages, lists and reports warn about it"
    )
    level = serializers.SerializerMethodField(help_text="The overall security level")
    url = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentVersion
        fields = [
            "number",
            "status",
            "title",
            "as_of",
            "review_by",
            "overdue",
            "stale",
            "level",
            "url",
        ]

    def get_overdue(self, version: AssessmentVersion) -> bool:
        return bool(version.review_by and version.review_by < dt.date.today())

    def get_stale(self, version: AssessmentVersion) -> bool:
        return is_stale(version.review_by)

    @extend_schema_field(SecurityLevelSerializer(allow_null=True))
    def get_level(self, version: AssessmentVersion) -> dict[str, Any] | None:
        level = level_of(ensure_summary(version))
        if level is None:
            return None
        return {"value": level.value, "name": level.name, "colour": level.colour}

    def get_url(self, version: AssessmentVersion) -> str:
        return self._links.to("api:version-detail", version.assessment.slug, version.number)

    @cached_property
    def _links(self) -> Links:
        return Links(self.context.get("request"))


class AuthorSerializer(serializers.Serializer):
    name = serializers.CharField(source="author_name")
    organisation = serializers.CharField(source="author_organisation")


class FieldVisitSerializer(serializers.Serializer):
    start = serializers.DateField(source="field_visit_start", allow_null=True)
    end = serializers.DateField(source="field_visit_end", allow_null=True)
    note = serializers.CharField(source="field_visit_note")


class CountsSerializer(serializers.Serializer):
    risks = serializers.IntegerField()
    incidents = serializers.IntegerField()
    actors = serializers.IntegerField()
    areas = serializers.IntegerField()
    sources = serializers.IntegerField()


class VersionSerializer(VersionSummarySerializer):
    assessment = serializers.SlugField(source="assessment.slug", read_only=True)
    author = AuthorSerializer(source="*")
    field_visit = FieldVisitSerializer(source="*")
    matrix = serializers.JSONField(help_text="The version's risk matrix")
    counts = serializers.SerializerMethodField()
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentVersion
        fields = [
            "assessment",
            *VersionSummarySerializer.Meta.fields,
            "scope",
            "language",
            "author",
            "field_visit",
            "likelihood_period",
            "risk_appetite",
            "provenance",
            "summary",
            "trend",
            "trend_note",
            "matrix",
            "created_at",
            "frozen_at",
            "counts",
            "document_url",
        ]

    @extend_schema_field(CountsSerializer)
    def get_counts(self, version: AssessmentVersion) -> dict[str, int]:
        counts = ensure_summary(version).counts
        return {kind: int(counts.get(kind, 0)) for kind in COUNTED}

    def get_document_url(self, version: AssessmentVersion) -> str:
        return reverse(
            "api:version-document",
            args=[version.assessment.slug, version.number],
            request=self.context.get("request"),
        )


def current_for(assessment: Assessment) -> AssessmentVersion | None:
    """From the versions the user may read (prefetched as ``readable_versions``, newest
    first): the newest published one, else the newest."""
    readable: list[AssessmentVersion] = getattr(assessment, "readable_versions", [])
    published = [v for v in readable if v.status == Status.PUBLISHED]
    newest = published or readable
    return newest[0] if newest else None


class AssessmentSerializer(FieldsBuiltOnce):
    team = serializers.SlugField(source="team.slug", read_only=True)
    country_name = serializers.SerializerMethodField()
    current_version = serializers.SerializerMethodField()
    versions_url = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "slug",
            "country",
            "country_name",
            "team",
            "created_at",
            "current_version",
            "url",
            "versions_url",
        ]

    def get_country_name(self, assessment: Assessment) -> str:
        area = iso_area(assessment.country)
        return area.name if area else assessment.country

    @extend_schema_field(VersionSummarySerializer(allow_null=True))
    def get_current_version(self, assessment: Assessment) -> dict[str, Any] | None:
        version = current_for(assessment)
        if version is None:
            return None
        version.assessment = assessment
        return self._summary.to_representation(version)

    @cached_property
    def _summary(self) -> VersionSummarySerializer:
        """One version serializer for every row of a list (its fields built once)."""
        return VersionSummarySerializer(context=self.context)

    def get_url(self, assessment: Assessment) -> str:
        return self._links.to("api:assessment-detail", assessment.slug)

    def get_versions_url(self, assessment: Assessment) -> str:
        return self._links.to("api:version-list", assessment.slug)

    @cached_property
    def _links(self) -> Links:
        return Links(self.context.get("request"))


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Kept in the review history"
    )
