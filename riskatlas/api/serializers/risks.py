"""Risks as the API shows and accepts them: ratings as ``{likelihood, impact}`` like the
interchange format, each with its level on the version's matrix."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from riskatlas.api.changes import next_position, save_risk
from riskatlas.api.serializers.common import LevelSerializer, PartSerializer
from riskatlas.apps.assessments.models import Risk
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.method import default_taxonomy


class RatingSerializer(serializers.Serializer):
    likelihood = serializers.IntegerField(min_value=1, max_value=9)
    impact = serializers.IntegerField(min_value=1, max_value=9)
    level = LevelSerializer(read_only=True, allow_null=True, help_text="On the version's matrix")


@extend_schema_field(RatingSerializer)
class RatingField(serializers.Field):
    """One of a risk's three ratings (inherent, current, residual), stored as two columns."""

    def __init__(self, which: str, **kwargs: Any) -> None:
        self.which = which
        super().__init__(source="*", **kwargs)

    def to_representation(self, risk: Risk) -> dict[str, Any] | None:
        likelihood = getattr(risk, f"{self.which}_likelihood")
        impact = getattr(risk, f"{self.which}_impact")
        if likelihood is None or impact is None:
            return None
        parent = self.parent
        assert isinstance(parent, PartSerializer)
        return {
            "likelihood": likelihood,
            "impact": impact,
            "level": parent.level_of(risk.version, likelihood, impact),
        }

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None and self.allow_null:
            return True, {f"{self.which}_likelihood": None, f"{self.which}_impact": None}
        return super().validate_empty_values(data)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        rating = RatingSerializer(data=data)
        if not isinstance(data, dict):
            raise serializers.ValidationError("expected an object with likelihood and impact")
        if not rating.is_valid():
            raise serializers.ValidationError(rating.errors)
        return {
            f"{self.which}_likelihood": rating.validated_data["likelihood"],
            f"{self.which}_impact": rating.validated_data["impact"],
        }


class RiskSerializer(PartSerializer):
    category = serializers.ChoiceField(choices=list(default_taxonomy().codes))
    category_name = serializers.SerializerMethodField()
    area = serializers.CharField(source="area.code", max_length=80, help_text="An area code")
    area_name = serializers.CharField(source="area.name", read_only=True)
    exposed = serializers.ListField(
        child=serializers.SlugField(), required=False, help_text="Exposure group ids"
    )
    measures = serializers.ListField(
        child=serializers.CharField(max_length=60), required=False, help_text="Mitigation codes"
    )
    inherent = RatingField("inherent")
    current = RatingField("current", required=False, allow_null=True)
    residual = RatingField("residual")

    class Meta:
        model = Risk
        fields = [
            "id",
            "assessment",
            "version",
            "key",
            "title",
            "category",
            "category_name",
            "area",
            "area_name",
            "exposed",
            "circumstance",
            "inherent",
            "current",
            "residual",
            "trend",
            "confidence",
            "rationale",
            "owner",
            "measures",
            "position",
        ]
        read_only_fields = ["key", "position"]

    def get_category_name(self, risk: Risk) -> str:
        return default_taxonomy().name(risk.category) if risk.category in default_taxonomy() else ""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        version = self.instance.version if self.instance else self.context["version"]
        if "area" in attrs:
            code = attrs["area"]["code"]
            area = AssessmentArea.objects.filter(version=version, code=code).first()
            if area is None:
                known = ", ".join(
                    AssessmentArea.objects.filter(version=version).values_list("code", flat=True)
                )
                raise serializers.ValidationError(
                    {"area": [f"no area {code!r} in this version (areas: {known})"]}
                )
            attrs["area"] = area
        return attrs

    def update(self, risk: Risk, validated_data: dict[str, Any]) -> Risk:
        def write() -> Risk:
            for name, value in validated_data.items():
                setattr(risk, name, value)
            risk.save()
            return risk

        return save_risk(risk.version, write, self.context.get("seen"))


class NewRiskSerializer(RiskSerializer):
    """A new risk: which assessment and version it goes into, and its id (``key``)."""

    assessment = serializers.SlugField(write_only=True, help_text="Assessment slug")
    version = serializers.IntegerField(write_only=True, min_value=1, help_text="Version number")
    key = serializers.SlugField(max_length=80, help_text="The risk's id within the version")

    def get_validators(self) -> list[Any]:
        # Not DRF's check of the model's (version, key) constraint: it would look the version
        # number up as a version's database id. validate_key checks within the right version.
        return []

    def validate_key(self, key: str) -> str:
        version = self.context["version"]
        if Risk.objects.filter(version=version, key=key).exists():
            raise serializers.ValidationError(
                f"{version.assessment.slug} version {version.number} already has a risk {key!r}"
            )
        return key

    def create(self, validated_data: dict[str, Any]) -> Risk:
        version = self.context["version"]
        validated_data.pop("assessment", None)
        validated_data.pop("version", None)
        return save_risk(
            version,
            lambda: Risk.objects.create(
                version=version, position=next_position(version), **validated_data
            ),
        )


class TargetSerializer(serializers.Serializer):
    """Where a new part goes: checked before anything else (404, 403, 409)."""

    assessment = serializers.SlugField()
    version = serializers.IntegerField(min_value=1)
