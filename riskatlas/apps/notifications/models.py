"""A message to one person (or address, or team webhook) about one event, and how each user
wants to hear about them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Channel(models.TextChoices):
    IN_APP = "in-app", "In the app (and by email if the user wants it)"
    EMAIL = "email", "Email to an address"
    WEBHOOK = "webhook", "Team webhook"


#: The kinds of message, as the notifications page names them.
KIND_NAMES = {
    "advice-raised": "Official advice raised",
    "approval-waiting": "Approval asked of you",
    "assessment-overdue": "Assessment overdue",
    "check-in-after-missed": "Checked in after a miss",
    "check-in-missed": "Check-in missed",
    "check-in-plan": "Check-in plan",
    "decision-reopened": "Decision reopened",
    "events-near-trip": "Events near a trip",
    "feed-hazard-alert": "Hazard alert on a trip",
    "feed-outbreak": "Outbreak on a trip",
    "help-needed": "Call for help",
    "level-changed": "Levels changed",
    "trip-cancelled": "Trip cancelled",
    "trip-decided": "Trip decided",
    "watch-item": "Watch item during a trip",
}


class Notification(models.Model):
    """One recipient's message about one event. ``recipient`` + ``key`` are unique: the same
    event noticed twice (two checks, two workers) gives one message."""

    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.CharField(
        max_length=320, help_text="user:ID, email:ADDRESS or webhook:ID — who gets it."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="notifications",
    )  # fmt: skip
    email = models.EmailField(max_length=254, blank=True)
    webhook = models.ForeignKey(
        "notifications.Webhook", null=True, blank=True, on_delete=models.CASCADE,
        related_name="deliveries",
    )  # fmt: skip
    channel = models.CharField(max_length=10, choices=Channel.choices)
    kind = models.CharField(max_length=40, help_text="What happened, e.g. level-changed.")
    key = models.CharField(max_length=300, help_text="The event: one message per recipient.")
    subject = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="Path in the web app.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # Delivery outside the app (email, webhook): wanted, claimed by a worker, done.
    deliver = models.BooleanField(default=False, help_text="To be sent by email or webhook.")
    digest = models.BooleanField(default=False, help_text="Sent with the daily digest.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the last delivery failed.")

    @property
    def kind_name(self) -> str:
        """What the message is, in words ("Hazard alert on a trip" for feed-hazard-alert)."""
        return KIND_NAMES.get(self.kind) or self.kind.replace("-", " ").capitalize()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_message_per_event")
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["deliver", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"

    @property
    def address(self) -> str:
        """Where an email goes: the address, or the user's."""
        return self.email or (self.user.email if self.user else "")


class Preference(models.Model):
    """How a user hears about events outside the app."""

    class Digest(models.TextChoices):
        IMMEDIATE = "immediate", "As they happen"
        DAILY = "daily", "One email a day"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.BooleanField("email me", default=True)
    digest = models.CharField(max_length=10, choices=Digest.choices, default=Digest.IMMEDIATE)

    def __str__(self) -> str:
        return f"{self.user}: email {'on' if self.email else 'off'}, {self.digest}"


class Webhook(models.Model):
    """A team's address that receives every team notification as signed JSON."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=500)
    secret = models.CharField(
        max_length=200, help_text="Signs each body: X-Riskatlas-Signature: sha256=HMAC."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.team}: {self.url}"
