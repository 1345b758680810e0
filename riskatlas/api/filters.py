"""Query-string filters of the list routes (``?assessment=pe-2009&version=1&category=ACI``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.db.models.functions import Length
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from riskatlas.api.access import visible_versions
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion, Risk, Status
from riskatlas.apps.care.models import HelpCall
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.apps.intelligence.models import Actor, Incident, Source
from riskatlas.method import Matrix, default_taxonomy

CATEGORIES = [(code, default_taxonomy().name(code)) for code in default_taxonomy().codes]


def list_holds(queryset: QuerySet[Any], field: str, value: str) -> QuerySet[Any]:
    """Rows whose JSON list ``field`` holds the string ``value`` (SQLite and PostgreSQL)."""
    return queryset.filter(**{f"{field}__icontains": f'"{value}"'})


class IntegerFilter(filters.NumberFilter):
    """A whole number (a version number): ``1.5`` is refused, not rounded."""

    field_class = forms.IntegerField


class StrictFilters(filters.FilterSet):
    """Filters that refuse what the description does not allow: a number, date, choice or
    true/false filter sent empty, and a true/false filter given anything but ``true`` or
    ``false`` (400 naming it). An empty text filter filters nothing."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, wanted in self.filters.items():
            if name not in self.data:
                continue
            value = self.data.get(name)
            if value == "" and not isinstance(wanted, filters.CharFilter):
                self.form.add_error(name, "give a value or leave the parameter out")
            elif isinstance(wanted, filters.BooleanFilter) and value not in ("true", "false"):
                self.form.add_error(name, "true or false")
        return valid and not self.form.errors


class AssessmentFilter(StrictFilters):
    country = filters.CharFilter(lookup_expr="iexact", help_text="ISO 3166-1 alpha-2 code")
    team = filters.CharFilter(field_name="team__slug", help_text="Team slug")

    class Meta:
        model = Assessment
        fields = ["country", "team"]


class VersionFilter(StrictFilters):
    status = filters.ChoiceFilter(choices=Status.choices)

    class Meta:
        model = AssessmentVersion
        fields = ["status"]


class PartFilter(StrictFilters):
    """Filters every part of a version has: which assessment and which version."""

    assessment = filters.CharFilter(
        field_name="version__assessment__slug", help_text="Assessment slug"
    )
    version = IntegerFilter(field_name="version__number", help_text="Version number")
    current = filters.BooleanFilter(
        method="only_current",
        help_text="true: only the current version of each assessment (the newest published "
        "one, else for analysts the newest one)",
    )

    @extend_schema_field(OpenApiTypes.BOOL)
    def only_current(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if not value:
            return queryset
        newest: dict[int, tuple[bool, int, int]] = {}
        user = getattr(self.request, "user", None)
        rows = visible_versions(user).values_list("pk", "assessment_id", "number", "status")
        for pk, assessment_id, number, status in rows:
            rank = (status == Status.PUBLISHED, number, pk)
            if assessment_id not in newest or rank > newest[assessment_id]:
                newest[assessment_id] = rank
        return queryset.filter(version_id__in=[rank[2] for rank in newest.values()])


def _level_filter(prefix: str) -> Callable[..., QuerySet[Any]]:
    """A filter method: risks whose ``prefix`` rating is at a level of their version's
    matrix, given by code or name."""

    def by_level(self: Any, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        wanted = value.strip().lower()
        match = Q()
        found = False
        versions = AssessmentVersion.objects.filter(pk__in=queryset.values("version_id"))
        for version in versions.only("pk", "matrix"):
            for likelihood, impact, level in Matrix.from_dict(version.matrix).cells():
                if wanted in (level.code.lower(), level.name.lower()):
                    found = True
                    match |= Q(
                        version_id=version.pk,
                        **{f"{prefix}_likelihood": likelihood, f"{prefix}_impact": impact},
                    )
        return queryset.filter(match) if found else queryset.none()

    return by_level


class RiskFilter(PartFilter):
    category = filters.ChoiceFilter(choices=CATEGORIES, help_text="Threat category code")
    area = filters.CharFilter(field_name="area__code", help_text="Area code")
    residual_level = filters.CharFilter(
        method="by_residual_level",
        help_text="Level on the version's matrix, by code or name (H, high, very high…)",
    )
    inherent_level = filters.CharFilter(
        method="by_inherent_level", help_text="Level on the version's matrix, by code or name"
    )
    trend = filters.ChoiceFilter(choices=Risk.Trend.choices)
    confidence = filters.ChoiceFilter(choices=Risk.Confidence.choices)
    key = filters.CharFilter(help_text="The risk's id within its version")

    by_residual_level = _level_filter("residual")
    by_inherent_level = _level_filter("inherent")

    class Meta:
        model = Risk
        fields = ["assessment", "version", "current", "category", "area", "trend", "confidence"]


class IncidentFilter(PartFilter):
    category = filters.ChoiceFilter(
        choices=CATEGORIES, method="by_category", help_text="Threat category code"
    )
    area = filters.CharFilter(field_name="area__code", help_text="Area code")
    actor = filters.CharFilter(method="by_actor", help_text="Actor id")
    date_from = filters.DateFilter(
        method="since",
        help_text="On or after this date (an incident dated only to a month or "
        "year counts if that period reaches the date)",
    )
    date_to = filters.DateFilter(method="until", help_text="On or before this date")
    key = filters.CharFilter(help_text="The incident's id within its version")

    class Meta:
        model = Incident
        fields = ["assessment", "version", "current", "area"]

    def by_category(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return list_holds(queryset, "categories", value)

    def by_actor(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return list_holds(queryset, "actors", value)

    def since(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        day = value.isoformat()
        # A date "2023" or "2023-06" stands for a period; keep it if the period ends on or
        # after the day, i.e. if it is not before the day's year or month.
        queryset = queryset.annotate(date_length=Length("date"))
        return queryset.filter(
            Q(date_length=10, date__gte=day)
            | Q(date_length=7, date__gte=day[:7])
            | Q(date_length=4, date__gte=day[:4])
        )

    def until(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        # "2023" and "2023-06" sort before any day in them, so a plain comparison keeps every
        # incident whose period starts on or before the day.
        return queryset.filter(date__lte=value.isoformat())


class ActorFilter(PartFilter):
    type = filters.CharFilter(help_text="insurgent, criminal, state…")
    status = filters.CharFilter()
    category = filters.ChoiceFilter(
        choices=CATEGORIES, method="by_category", help_text="Threat category code"
    )
    area = filters.CharFilter(method="by_area", help_text="Area code")
    key = filters.CharFilter(help_text="The actor's id within its version")

    class Meta:
        model = Actor
        fields = ["assessment", "version", "current", "type", "status"]

    def by_category(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return list_holds(queryset, "categories", value)

    def by_area(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return list_holds(queryset, "areas", value)


class AreaFilter(PartFilter):
    code = filters.CharFilter(help_text="Area code (ISO 3166 or a custom area's)")
    hot_spot = filters.BooleanFilter()
    no_go = filters.BooleanFilter()

    class Meta:
        model = AssessmentArea
        fields = ["assessment", "version", "current", "code", "hot_spot", "no_go"]


class SourceFilter(PartFilter):
    kind = filters.CharFilter(help_text="press, field-mission, official…")
    reliability = filters.ChoiceFilter(
        choices=Source.Reliability.choices, help_text="Admiralty reliability, A to F"
    )
    key = filters.CharFilter(help_text="The source's id within its version")

    class Meta:
        model = Source
        fields = ["assessment", "version", "current", "kind", "reliability"]


class HelpCallFilter(StrictFilters):
    trip = IntegerFilter(field_name="trip", help_text="The trip's id")
    open = filters.BooleanFilter(
        field_name="handled_at",
        lookup_expr="isnull",
        help_text="true: only the calls not yet marked handled; false: only handled ones",
    )

    class Meta:
        model = HelpCall
        fields = ["trip", "open"]
