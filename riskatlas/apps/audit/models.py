"""One audit entry per change of an assessment version or any of its parts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

# Fields that change as a side effect of other changes, not by anyone's decision.
QUIET_FIELDS = frozenset({"content_hash", "summary_of", "level", "top_risk", "counts"})


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who made the change; empty for the command line.",
    )
    username = models.CharField(max_length=150, blank=True, help_text="As it was at the time.")
    via = models.CharField(max_length=20, help_text="web or command line")
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=60, help_text="risk, source, assessment version…")
    object_id = models.BigIntegerField(null=True)
    object_key = models.CharField(max_length=300, blank=True)
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessment = models.CharField(max_length=80, blank=True, help_text="Assessment slug")
    version_id = models.BigIntegerField(null=True)
    version_number = models.PositiveIntegerField(null=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["team", "-at"]), models.Index(fields=["assessment"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.who} {self.action} {self.object_type}"

    @property
    def who(self) -> str:
        return self.username or self.via

    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for every field that differs (side-effect fields left out)."""
        before, after = self.before or {}, self.after or {}
        fields = list(before) + [k for k in after if k not in before]
        return [(f, before.get(f), after.get(f)) for f in fields if before.get(f) != after.get(f)]
