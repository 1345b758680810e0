"""The parts of an assessment version other than risks: context, threats, exposure,
mitigations, recommendations, watch items and official advice."""

from __future__ import annotations

from django.db import models

from riskatlas.apps.assessments.models.assessments import VersionPart


class ContextSection(VersionPart):
    class Topic(models.TextChoices):
        POLITICAL = "political", "Political"
        ECONOMIC = "economic", "Economic"
        SOCIAL = "social", "Social"
        SECURITY_FORCES = "security-forces", "Security forces"
        INTERNATIONAL = "international-relations", "International relations"
        OTHER = "other", "Other"

    topic = models.CharField(max_length=30, choices=Topic.choices)
    title = models.CharField(max_length=300)
    text = models.TextField()

    class Meta(VersionPart.Meta):
        pass

    def __str__(self) -> str:
        return self.title


class ThreatNarrative(VersionPart):
    """What a category of threat looks like in this assessment (report section 6)."""

    category = models.CharField(max_length=3)
    summary = models.TextField()
    modus_operandi = models.TextField(blank=True)
    targeting = models.TextField(blank=True)
    trend = models.CharField(max_length=10, blank=True)
    trend_note = models.TextField(blank=True)

    class Meta(VersionPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "category"], name="unique_threat_category")
        ]

    def __str__(self) -> str:
        return self.category


class ExposureGroup(VersionPart):
    """Who is exposed: national staff, international staff, visitors…"""

    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta(VersionPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_exposure_group")
        ]

    def __str__(self) -> str:
        return self.name


class Activity(VersionPart):
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    areas = models.JSONField(default=list, blank=True, help_text="Area codes")

    class Meta(VersionPart.Meta):
        verbose_name_plural = "activities"

    def __str__(self) -> str:
        return self.name


class Site(VersionPart):
    name = models.CharField(max_length=300)
    place = models.ForeignKey(
        "geography.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class Route(VersionPart):
    name = models.CharField(max_length=300)
    origin = models.ForeignKey(
        "geography.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    destination = models.ForeignKey(
        "geography.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class Mitigation(VersionPart):
    """A mitigation used by this version, copied from the library so it never changes."""

    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=20)
    description = models.TextField()
    threats = models.JSONField(default=list, blank=True)

    class Meta(VersionPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="unique_mitigation_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Recommendation(VersionPart):
    class Priority(models.TextChoices):
        ESSENTIAL = "essential", "Essential"
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    key = models.SlugField(max_length=80)
    text = models.TextField()
    priority = models.CharField(max_length=10, choices=Priority.choices)
    mitigation = models.CharField(max_length=60, blank=True)
    risks = models.JSONField(default=list, blank=True, help_text="Risk ids")
    applies_to = models.JSONField(default=list, blank=True, help_text="Exposure group ids")

    class Meta(VersionPart.Meta):
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_recommendation")
        ]

    def __str__(self) -> str:
        return self.text[:60]


class WatchItem(VersionPart):
    """Something to watch (an election, a protest season) and what would trigger a review."""

    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, blank=True)
    date = models.CharField(max_length=10, blank=True, help_text="YYYY, YYYY-MM or YYYY-MM-DD")
    description = models.TextField(blank=True)
    areas = models.JSONField(default=list, blank=True)
    categories = models.JSONField(default=list, blank=True)
    triggers = models.JSONField(default=list)

    class Meta(VersionPart.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="unique_watch_item")]

    def __str__(self) -> str:
        return self.title


class OfficialAdvice(VersionPart):
    government = models.CharField(max_length=10)
    level = models.CharField(max_length=200)
    as_of = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    no_go = models.JSONField(default=list, blank=True)
    url = models.CharField(max_length=500, blank=True)

    class Meta(VersionPart.Meta):
        verbose_name_plural = "official advice"

    def __str__(self) -> str:
        return f"{self.government}: {self.level}"
