"""Areas an assessment covers, with their named places (read-only here, as on the page), as
the API shows them. Analysts change areas through the editing page's form (``forms.py``)."""

from __future__ import annotations

from rest_framework import serializers

from riskatlas.api.serializers.forms import FormSerializer, NewPart
from riskatlas.apps.assessments.api_fields import IsoCodes, ranged
from riskatlas.apps.geography.models import AssessmentArea, Place


class PlaceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Place
        fields = ["key", "name", "kind", "lat", "lon"]


class AreaSerializer(FormSerializer):
    """An area the assessment covers: ISO 3166, or custom (made of ISO areas)."""

    part_kind = "areas"

    parts = IsoCodes(required=False, help_text="ISO 3166 codes of a custom area")
    level_override = ranged(
        1,
        5,
        required=False,
        allow_null=True,
        help_text="A security level (1–5) set by hand; needs a reason",
    )
    is_custom = serializers.BooleanField(read_only=True)
    places = PlaceSerializer(many=True, read_only=True)

    class Meta:
        model = AssessmentArea
        fields = [
            "id",
            "assessment",
            "version",
            "code",
            "name",
            "is_custom",
            "parts",
            "description",
            "hot_spot",
            "no_go",
            "level_override",
            "level_reason",
            "not_assessed_reason",
            "places",
        ]
        read_only_fields = ["code"]
        extra_kwargs = {
            "not_assessed_reason": {
                "help_text": "Why the area has no security level (no risk counts towards it); "
                "approving and publishing need it for such an area. Empty when a level is set "
                "by hand (level_override)"
            }
        }


class NewAreaSerializer(NewPart, AreaSerializer):
    """A new area."""

    code = serializers.CharField(
        max_length=80,
        help_text="An ISO 3166 code (PE, PE-LMA) or a lower-case id for a custom area",
    )
