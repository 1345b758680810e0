"""Assessments and their versions. An approved or published version is frozen; a version in
review is locked until it is withdrawn or returned to draft, so that reviewers approve what
they read."""

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


class VersionLockedError(FrozenVersionError):
    """A change to a version in review: take it back to draft first (withdraw or return)."""


def in_review_message(number: int) -> str:
    return (
        f"version {number} is in review; an analyst can withdraw it, or a reviewer return it "
        "to draft, before it changes"
    )


def frozen_message(number: int, status: str) -> str:
    return (
        f"version {number} is {Status(status).label.lower()} and frozen; make a new version "
        "to change it"
    )


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
    provenance = models.TextField(
        blank=True,
        help_text="Whose is what: the sources' words and the judgements (method section).",
    )
    summary = models.TextField(blank=True)
    trend = models.CharField(max_length=10, blank=True)
    trend_note = models.TextField(blank=True)
    matrix = models.JSONField(help_text="The risk matrix, copied in when the version is made.")
    content_hash = models.CharField(max_length=64, blank=True)
    # What the list page, the API list and the dashboard read, stored whenever the content
    # changes (apps.assessments.summary) instead of derived on every read.
    summary_of = models.CharField(
        max_length=64, blank=True, help_text="The content hash the stored summary was made from."
    )
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The overall security level (1–5), as the report gives it."
    )
    top_risk = models.JSONField(
        null=True, blank=True, help_text="The register's top risk: id, title, residual level."
    )
    counts = models.JSONField(
        default=dict, blank=True, help_text="Parts by kind, and risks by residual level."
    )
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
    def state(self) -> tuple[Any, ...] | None:
        """What everything made from the version (its document read, page sections, report
        files) depends on, read from the row: the content hash the single writer stores on every
        change, with the status and review-by date that workflow steps change beside it; the pk
        stands for the assessment and the number, which never change. None without a stored
        hash (the version must then be exported to know its state)."""
        if not self.content_hash:
            return None
        return (self.pk, self.content_hash, self.status, self.review_by)

    @property
    def is_frozen(self) -> bool:
        """Approved or published: never changes again."""
        return self.frozen_at is not None

    @property
    def is_locked(self) -> bool:
        """Its content cannot change now: frozen, or in review."""
        return self.is_frozen or self.status == Status.IN_REVIEW

    @property
    def locked_message(self) -> str:
        """Why the content cannot change and what to do ("" when it can)."""
        if self.is_frozen:
            return frozen_message(self.number, self.status)
        if self.status == Status.IN_REVIEW:
            return in_review_message(self.number)
        return ""

    def _refuse_if_stored_locked(self) -> None:
        """FrozenVersionError (frozen) or VersionLockedError (in review) from the stored row,
        whatever this instance says: the workflow's own moves pass ``allow_frozen``."""
        stored = type(self).objects.filter(pk=self.pk).values_list("frozen_at", "status").first()
        if stored is None:
            return
        frozen_at, status = stored
        if frozen_at is not None:
            raise FrozenVersionError(f"{self} is frozen; make a new version to change it")
        if status == Status.IN_REVIEW:
            raise VersionLockedError(in_review_message(self.number))

    def freeze(self) -> None:
        if self.frozen_at is None:
            self.frozen_at = timezone.now()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.pop("allow_frozen", False):
            self._refuse_if_stored_locked()
        if self.status in FROZEN_STATUSES:
            self.freeze()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_frozen:
            raise FrozenVersionError(f"{self} is frozen and cannot be deleted")
        self._refuse_if_stored_locked()
        return super().delete(*args, **kwargs)


class VersionPart(models.Model):
    """Anything that belongs to one assessment version; refuses changes while the version is in
    review (VersionLockedError) and once it is frozen (FrozenVersionError)."""

    version = models.ForeignKey(AssessmentVersion, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position"]

    def _check_not_frozen(self) -> None:
        stored = (
            AssessmentVersion.objects.filter(pk=self.version_id)
            .values_list("frozen_at", "status", "number")
            .first()
        )
        if stored is None:
            return
        frozen_at, status, number = stored
        if frozen_at is not None:
            raise FrozenVersionError(frozen_message(number, status))
        if status == Status.IN_REVIEW:
            raise VersionLockedError(in_review_message(number))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._check_not_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        self._check_not_frozen()
        return super().delete(*args, **kwargs)
