"""Risks: a threat × area × exposed group × circumstance, rated inherent, current, residual."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from riskatlas.apps.assessments.models.assessments import VersionPart
from riskatlas.method.matrix import Matrix, MatrixLevel

RATING = [MinValueValidator(1), MaxValueValidator(9)]


class Risk(VersionPart):
    class Trend(models.TextChoices):
        RISING = "rising", "Rising"
        STABLE = "stable", "Stable"
        FALLING = "falling", "Falling"
        NEW = "new", "New"
        UNKNOWN = "unknown", "Unknown"

    class Confidence(models.TextChoices):
        LOW = "low", "Low"
        MODERATE = "moderate", "Moderate"
        HIGH = "high", "High"

    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    category = models.CharField(max_length=3)
    area = models.ForeignKey("geography.AssessmentArea", on_delete=models.PROTECT, related_name="+")
    exposed = models.JSONField(default=list, blank=True, help_text="Exposure group ids")
    circumstance = models.CharField(max_length=300, blank=True)
    inherent_likelihood = models.PositiveSmallIntegerField(validators=RATING)
    inherent_impact = models.PositiveSmallIntegerField(validators=RATING)
    current_likelihood = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    current_impact = models.PositiveSmallIntegerField(null=True, blank=True, validators=RATING)
    residual_likelihood = models.PositiveSmallIntegerField(validators=RATING)
    residual_impact = models.PositiveSmallIntegerField(validators=RATING)
    trend = models.CharField(max_length=10, choices=Trend.choices, blank=True)
    confidence = models.CharField(max_length=10, choices=Confidence.choices, blank=True)
    rationale = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    measures = models.JSONField(default=list, blank=True, help_text="Mitigation codes")

    class Meta(VersionPart.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_risk")]

    def __str__(self) -> str:
        return self.title

    def residual_level(self, matrix: Matrix) -> MatrixLevel:
        return matrix.level(self.residual_likelihood, self.residual_impact)

    def inherent_level(self, matrix: Matrix) -> MatrixLevel:
        return matrix.level(self.inherent_likelihood, self.inherent_impact)
