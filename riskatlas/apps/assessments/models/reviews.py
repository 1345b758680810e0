"""What people said while moving a version through review: submit, withdraw, return, approve,
publish."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from riskatlas.apps.assessments.models.assessments import AssessmentVersion


class ReviewComment(models.Model):
    """A comment on a version, with the workflow step it came with (if any).

    Not a version part: reviewers comment on approved and published versions too."""

    class Step(models.TextChoices):
        COMMENT = "comment", "Comment"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned to draft"
        WITHDRAWN = "withdrawn", "Withdrawn from review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"
        NEW_VERSION = "new_version", "Made a new version"

    version = models.ForeignKey(
        AssessmentVersion, on_delete=models.CASCADE, related_name="review_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    step = models.CharField(max_length=12, choices=Step.choices, default=Step.COMMENT)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.get_step_display()}"
