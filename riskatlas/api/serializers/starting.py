"""What the API takes to start a new assessment (``POST /api/v1/assessments/``)."""

from __future__ import annotations

import pycountry
from rest_framework import serializers


class CustomAreaSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="VRAEM")
    parts = serializers.ListField(
        child=serializers.CharField(),
        min_length=1,
        help_text="ISO 3166-2 codes of the country's subdivisions it is made of",
    )


class NewAssessmentSerializer(serializers.Serializer):
    team = serializers.SlugField(
        required=False, help_text="The team's slug; needed only when you are in several"
    )
    country = serializers.ChoiceField(
        choices=sorted(c.alpha_2 for c in pycountry.countries),
        help_text="ISO 3166-1 alpha-2 code, e.g. CO",
    )
    areas = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="ISO 3166-2 subdivisions of the country to assess, e.g. CO-ANT (codes of "
        "another country are refused)",
    )
    custom_areas = CustomAreaSerializer(many=True, required=False, default=list)
    title = serializers.CharField(
        required=False, help_text="Default: “<country> security risk assessment”"
    )
    slug = serializers.RegexField(
        r"^[a-z0-9][a-z0-9-]*$",
        max_length=80,
        required=False,
        help_text="Default: <country>-<year> (with -2, -3… when taken); refused when taken",
    )
    scope = serializers.CharField(
        required=False,
        help_text="Default: “Staff and operations in <the areas> (<country>)”",
    )
    author = serializers.CharField(required=False, help_text="Default: your name")
    as_of = serializers.DateField(required=False, help_text="YYYY-MM-DD; default: today")
    review_by = serializers.DateField(
        required=False, help_text="YYYY-MM-DD; default: six months after as_of"
    )
    source = serializers.SlugField(
        required=False,
        help_text="Start from this assessment of your team instead of the team's template",
    )
    full_copy = serializers.BooleanField(
        default=False,
        help_text="With source: copy every part (the country must be the source's)",
    )
    with_risks = serializers.BooleanField(
        default=False, help_text="With source as a template: copy its risks too"
    )
    with_context = serializers.BooleanField(
        default=True,
        help_text="The template's context sections, each saying what to cover (publication "
        "needs each written or deleted); false: none",
    )
