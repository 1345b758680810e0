"""Areas an assessment covers (ISO 3166 codes or custom areas) and named places."""

from __future__ import annotations

from django.db import models

from riskatlas.apps.assessments.models.assessments import VersionPart
from riskatlas.geography import area_label, iso_area


class AssessmentArea(VersionPart):
    """An area covered by an assessment version: an ISO 3166-1/-2 area, or a custom area made
    of several ISO areas (the VRAEM)."""

    code = models.CharField(max_length=80)
    name = models.CharField(max_length=200)
    parts = models.JSONField(default=list, blank=True, help_text="ISO codes of a custom area")
    description = models.TextField(blank=True)
    hot_spot = models.BooleanField(default=False)
    no_go = models.BooleanField(default=False)
    level_override = models.PositiveSmallIntegerField(null=True, blank=True)
    level_reason = models.TextField(blank=True)
    not_assessed_reason = models.TextField(
        blank=True,
        help_text="Why the area has no security level (no risk counts towards it and none is "
        "set by hand); publication needs it for such an area.",
    )

    class Meta(VersionPart.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="unique_area")]

    def __str__(self) -> str:
        return area_label(self.name, self.code)

    @property
    def is_custom(self) -> bool:
        return iso_area(self.code) is None


class Place(VersionPart):
    """A named place with coordinates: a town, a project site, a hamlet, a valley."""

    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, blank=True)
    spellings = models.JSONField(default=list, blank=True)
    area = models.ForeignKey(AssessmentArea, on_delete=models.PROTECT, related_name="places")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    description = models.TextField(blank=True)

    class Meta(VersionPart.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_place")]

    def __str__(self) -> str:
        return self.name
