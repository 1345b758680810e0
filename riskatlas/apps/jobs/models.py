"""A piece of background work as people see it: what, for whom, its state and its result."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Job(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        IMPORT = "import", "Open-data import"

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting for a worker"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.ForeignKey(
        "assessments.AssessmentVersion",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    fmt = models.CharField("format", max_length=10, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True, help_text="Why it failed, or what it made.")
    file = models.CharField(max_length=500, blank=True, help_text="The file it made.")
    source = models.CharField(
        max_length=30, blank=True, help_text="An import's source (acled, ucdp-ged…)."
    )
    upload = models.CharField(
        max_length=500, blank=True, help_text="The file an import reads, as uploaded."
    )
    scope = models.CharField(
        max_length=10, blank=True, help_text="An import's coverage as stated: full, sample or ''."
    )
    outcome = models.JSONField(
        default=dict, blank=True, help_text="What an import did: rows by outcome, quarantined rows."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life from the worker running it."
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]

    def __str__(self) -> str:
        what = self.source if self.kind == self.Kind.IMPORT else self.fmt
        return f"{self.get_kind_display()} {what} ({self.state})"

    @property
    def upload_name(self) -> str:
        """The uploaded file's name (an import's), without the folder it is kept in."""
        return self.upload.replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
