"""What duty of care remembers: the official advice last seen for each area of a trip (between
scheduled checks, so that a raised level is told once, and a lowered one silently noted), and
the travellers' calls for help."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from riskatlas.apps.travel.models import TripOwned


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


#: Where a shared position is shown on a map (a link, for the approvers).
MAP_LINK = "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=16/{lat}/{lon}"


class HelpCall(TripOwned):
    """A traveller saying "I need help" (``care.help_calls``): what she wrote, where she said
    she was, the position her phone shared and where the trip's plan put her then. Open until
    someone who may act on it marks it handled, with a note; every change is audited
    (``audit_where``)."""

    trip = models.ForeignKey("travel.Trip", on_delete=models.CASCADE, related_name="help_calls")
    traveller = models.ForeignKey(
        "travel.Traveller", on_delete=models.CASCADE, related_name="help_calls"
    )
    check_in = models.ForeignKey(
        "travel.CheckIn", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="help_calls", help_text="The check-in whose link was used.",
    )  # fmt: skip
    at = models.DateTimeField(default=timezone.now)
    message = models.TextField(blank=True, help_text="The traveller's words (optional).")
    where = models.CharField(
        max_length=300, blank=True, help_text="Where the traveller says she is (optional)."
    )
    lat = models.FloatField(
        null=True, blank=True, help_text="Latitude her phone shared with the call (optional)."
    )
    lon = models.FloatField(null=True, blank=True)
    expected = models.CharField(
        max_length=300, blank=True, help_text="Where the trip's plan put her at the time."
    )
    alerted = models.PositiveSmallIntegerField(
        default=0, help_text="People alerted by this call (0 when an open call had already)."
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    handled_note = models.TextField(blank=True)

    class Meta:
        ordering = ["trip", "at", "pk"]
        indexes = [models.Index(fields=["trip", "handled_at"])]

    def __str__(self) -> str:
        return f"help call {self.traveller_id} {self.at:%Y-%m-%d %H:%M}"

    @property
    def location(self) -> str:
        """The position her phone shared: '-13.65432, -73.38765' ('' when none)."""
        if self.lat is None or self.lon is None:
            return ""
        return f"{self.lat:.5f}, {self.lon:.5f}"

    @property
    def map_link(self) -> str:
        """A map of the position her phone shared ('' when none)."""
        if self.lat is None or self.lon is None:
            return ""
        return MAP_LINK.format(lat=round(self.lat, 5), lon=round(self.lon, 5))

    @property
    def title(self) -> str:
        """The audit log's name for it: whose call, when (UTC)."""
        return f"{self.traveller.name} needs help, {self.at:%Y-%m-%d %H:%M} UTC"
