"""Pieces every part of a version shares: which assessment and version it belongs to, and
the version's risk matrix (parsed once per response)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.method.matrix import Matrix, MatrixLevel


class LevelSerializer(serializers.Serializer):
    """A level of the version's risk matrix."""

    code = serializers.CharField()
    name = serializers.CharField()
    colour = serializers.CharField()
    rank = serializers.IntegerField()


class PartSerializer(serializers.ModelSerializer):
    """A risk, incident, actor or area: always says which assessment version it is from."""

    assessment = serializers.SlugField(source="version.assessment.slug", read_only=True)
    version = serializers.IntegerField(source="version.number", read_only=True)

    def matrix_of(self, version: AssessmentVersion) -> Matrix:
        cache: dict[int, Matrix] = self.context.setdefault("matrices", {})
        if version.pk not in cache:
            cache[version.pk] = Matrix.from_dict(version.matrix)
        return cache[version.pk]

    def level_of(
        self, version: AssessmentVersion, likelihood: int, impact: int
    ) -> dict[str, Any] | None:
        try:
            level: MatrixLevel = self.matrix_of(version).level(likelihood, impact)
        except ValueError:
            return None
        return {"code": level.code, "name": level.name, "colour": level.colour, "rank": level.rank}
