"""Areas an assessment covers, with their named places."""

from __future__ import annotations

from rest_framework import serializers

from riskatlas.api.serializers.common import PartSerializer
from riskatlas.api.serializers.intelligence import PlaceSerializer
from riskatlas.apps.geography.models import AssessmentArea


class AreaSerializer(PartSerializer):
    parts = serializers.ListField(
        child=serializers.CharField(), help_text="ISO 3166 codes of a custom area"
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
            "places",
        ]
