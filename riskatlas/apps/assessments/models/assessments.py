"""Assessments and their versions. An approved or published version is frozen."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"


FROZEN_STATUSES = (Status.APPROVED, Status.PUBLISHED)


class FrozenVersionError(Exception):
    """A change to an approved or published version: make a new version instead."""


class Assessment(models.Model):
    """A security risk assessment of a country or area, with its versions."""

    slug = models.SlugField(max_length=80, unique=True)
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="The team that owns the assessment; only its members see it.",
    )
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug

    def latest_version(self) -> AssessmentVersion | None:
        return self.versions.order_by("-number").first()

    def current_version(self) -> AssessmentVersion | None:
        """The newest published version, else the newest version."""
        published = self.versions.filter(status=Status.PUBLISHED).order_by("-number").first()
        return published or self.latest_version()


class AssessmentVersion(models.Model):
    """One version of an assessment: its metadata and, through related parts, its content."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=300)
    scope = models.TextField()
    language = models.CharField(max_length=2, default="en")
    author_name = models.CharField(max_length=200)
    author_organisation = models.CharField(max_length=200, blank=True)
    field_visit_start = models.DateField(null=True, blank=True)
    field_visit_end = models.DateField(null=True, blank=True)
    field_visit_note = models.TextField(blank=True)
    as_of = models.DateField()
    review_by = models.DateField(null=True, blank=True)
    likelihood_period = models.CharField(max_length=100, blank=True)
    risk_appetite = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    trend = models.CharField(max_length=10, blank=True)
    trend_note = models.TextField(blank=True)
    matrix = models.JSONField(help_text="The risk matrix, copied in when the version is made.")
    content_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment__slug", "number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.assessment.slug} v{self.number} ({self.get_status_display().lower()})"

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None

    def freeze(self) -> None:
        if self.frozen_at is None:
            self.frozen_at = timezone.now()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.pop("allow_frozen", False):
            stored = type(self).objects.filter(pk=self.pk).values_list("frozen_at", flat=True)
            if stored and stored[0] is not None:
                raise FrozenVersionError(f"{self} is frozen; make a new version to change it")
        if self.status in FROZEN_STATUSES:
            self.freeze()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_frozen:
            raise FrozenVersionError(f"{self} is frozen and cannot be deleted")
        return super().delete(*args, **kwargs)


class VersionPart(models.Model):
    """Anything that belongs to one assessment version; refuses changes once it is frozen."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position"]

    def _check_not_frozen(self) -> None:
        frozen = (
            AssessmentVersion.objects.filter(pk=self.version_id)
            .values_list("frozen_at", flat=True)
            .first()
        )
        if frozen is not None:
            raise FrozenVersionError(
                f"version {self.version_id} is frozen; make a new version to change it"
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_not_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._check_not_frozen()
        return super().delete(*args, **kwargs)
