"""What duty of care remembers between scheduled checks: the official advice last seen for
each area of a trip, so that a raised level is told once, and a lowered one silently noted."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class AdviceSeen(models.Model):
    trip = models.ForeignKey("travel.Trip", on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=10, help_text="ISO 3166 code the advice speaks of.")
    government = models.CharField(max_length=60)
    named = models.CharField(
        max_length=200, blank=True, default="", help_text="What the advice names (a region, a "
        "border strip, the country)."
    )  # fmt: skip
    level = models.PositiveSmallIntegerField()
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["trip", "code", "government", "named"], name="advice_seen_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.government} {self.code}: level {self.level}"
