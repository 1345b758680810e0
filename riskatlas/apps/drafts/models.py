"""A report read into a version (``SourceDocument``) and the items proposed from it
(``DraftItem``), each waiting for an analyst to accept or reject it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from riskatlas.apps.assessments.models.assessments import VersionPart


class SourceDocument(VersionPart):
    """The text of a report as it was read, kept so every item's offsets point into it."""

    title = models.CharField(max_length=300)
    text = models.TextField()
    engine = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.ForeignKey(
        "intelligence.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The version's source for this document, made on the first accepted item.",
    )

    class Meta(VersionPart.Meta):
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class DraftItem(models.Model):
    """One proposed item: what the engine found, where, and what the analyst decided."""

    class Kind(models.TextChoices):
        CATEGORY = "category", "Threat sentence"
        PLACE = "place", "Place"
        ACTOR = "actor", "Actor"
        INCIDENT = "incident", "Incident"
        TREND = "trend", "Trend"
        LIKELIHOOD = "likelihood", "Likelihood"
        RECOMMENDATION = "recommendation", "Recommendation"
        CREDIBILITY = "credibility", "Credibility cue"
        ADVICE = "advice", "Official advice"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    payload = models.JSONField(help_text="The item as the extraction engine gave it.")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    quote = models.TextField(help_text="The text the item was found in.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    target_kind = models.CharField(max_length=20, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["document", "start", "pk"]
        indexes = [models.Index(fields=["document", "status"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.quote[:60]}"


class Reading(models.Model):
    """A report being read into a version in the background: its state for the page that
    waits on it, then the document it became or why it could not be read."""

    class State(models.TextChoices):
        READING = "reading", "Reading"
        DONE = "done", "Done"
        FAILED = "failed", "Could not be read"

    version = models.ForeignKey(
        "assessments.AssessmentVersion", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(max_length=300)
    file_name = models.CharField(max_length=300, blank=True, help_text="Empty for pasted text.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.READING)
    message = models.TextField(blank=True, help_text="What went wrong, or what was found.")
    document = models.ForeignKey(
        SourceDocument, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.state})"
