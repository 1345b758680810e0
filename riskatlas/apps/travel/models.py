"""Travellers, trips and their segments, the team's travel policy, approvals and check-ins.

The decision itself is made by the pure core (``riskatlas.travel.check``); a trip stores what
was decided, by whom, and the check's fingerprint and JSON at that time, so that a fresh check
with another fingerprint reopens it (``workflow.reopen_if_changed``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class TeamOwned(models.Model):
    """A row owned by a team directly; the audit log files its changes under that team (every
    model with ``audit_where`` is audited: riskatlas/apps/audit/recording.py)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def audit_where(self) -> dict[str, Any]:
        return {"team_id": getattr(self, "team_id", None)}


class TripOwned(models.Model):
    """A row of a trip; the audit log files its changes under the trip's team."""

    class Meta:
        abstract = True

    def audit_where(self) -> dict[str, Any]:
        trip_id = getattr(self, "trip_id", None)
        team_id = Trip.objects.filter(pk=trip_id).values_list("team_id", flat=True).first()
        return {"team_id": team_id} if team_id is not None else {}


class TravelPolicy(TeamOwned):
    """A team's travel policy as YAML (riskatlas_policy: 1); the latest version is in force.

    A team with none follows ``riskatlas.travel.policy.default_policy()``."""

    text = models.TextField(help_text="The policy as YAML (riskatlas_policy: 1).")
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "travel policies"
        ordering = ["team", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["team", "version"], name="one_policy_version")
        ]

    def __str__(self) -> str:
        return f"travel policy v{self.version}"


class ApproverRole(TeamOwned):
    """A team member holds an approver role of the policy ("line-manager", ...)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="approver_roles"
    )
    role = models.SlugField(max_length=80, help_text="An approver id of the team's policy.")

    class Meta:
        ordering = ["team", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["team", "user", "role"], name="one_approver_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role}"


class Traveller(TeamOwned):
    class Staff(models.TextChoices):
        NATIONAL = "national", "National staff"
        INTERNATIONAL = "international", "International staff"

    class Experience(models.TextChoices):
        NEW_TO_COUNTRY = "new-to-country", "New to the country"
        NEW_TO_REGION = "new-to-region", "New to the region"
        EXPERIENCED = "experienced", "Experienced"

    key = models.SlugField(max_length=80, help_text="The traveller's id in trip files.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="traveller_profiles",
        help_text="The traveller's own account, if any.",
    )
    name = models.CharField(max_length=200)
    staff = models.CharField(max_length=15, choices=Staff.choices)
    group = models.SlugField(
        max_length=80, blank=True, help_text="The assessments' exposure group id."
    )
    role = models.CharField(max_length=200, blank=True)
    experience = models.CharField(max_length=15, choices=Experience.choices)
    training = models.JSONField(default=list, blank=True, help_text="Training ids done.")
    # Personal data: shown to the traveller, the team's approvers and admins only.
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=60, blank=True)
    emergency_name = models.CharField("emergency contact", max_length=200, blank=True)
    emergency_phone = models.CharField("emergency contact phone", max_length=60, blank=True)
    emergency_relation = models.CharField("emergency contact relation", max_length=100, blank=True)

    PERSONAL_FIELDS = (
        "email",
        "phone",
        "emergency_name",
        "emergency_phone",
        "emergency_relation",
    )

    class Meta:
        ordering = ["team", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "key"], name="unique_traveller")]

    def __str__(self) -> str:
        return self.name


class Trip(TeamOwned):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REQUESTED = "requested", "Requested"
        APPROVED = "approved", "Approved"
        APPROVED_WITH_CONDITIONS = "approved-with-conditions", "Approved with conditions"
        REFUSED = "refused", "Refused"
        REOPENED = "reopened", "Reopened"
        CANCELLED = "cancelled", "Cancelled"

    DECIDED = (Status.APPROVED, Status.APPROVED_WITH_CONDITIONS, Status.REFUSED)

    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    purpose = models.TextField(blank=True)
    essential = models.BooleanField(
        default=False,
        help_text="Programme-critical or life-saving (levels limited to essential travel).",
    )
    travellers = models.ManyToManyField(Traveller, related_name="trips", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    # The decision: what was decided, why, by whom, and what the check said then.
    conditions = models.TextField(blank=True)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    fingerprint = models.CharField(
        max_length=80, blank=True, help_text="The check's fingerprint when it was requested."
    )
    check_result = models.JSONField(
        null=True, blank=True, help_text="The check (JSON) the decision rests on."
    )
    reopened_because = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["team", "slug"], name="unique_trip")]
        indexes = [models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def decided(self) -> bool:
        return self.status in self.DECIDED

    @property
    def start(self) -> Any:
        first = self.segments.order_by("start").first()
        return first.start if first else None

    @property
    def end(self) -> Any:
        last = self.segments.order_by("-end").first()
        return last.end if last else None


# A segment's fields as the trip file, the CSV itinerary, the form and the API name them.
SEGMENT_FIELDS = (
    "place",
    "area",
    "lat",
    "lon",
    "start",
    "end",
    "departs",
    "arrives",
    "transport",
    "night_travel",
    "via",
    "accommodation",
    "note",
)


class Segment(TripOwned):
    """A stay on the itinerary, reached by ``transport`` from the segment before."""

    class Transport(models.TextChoices):
        NONE = "none", "None (start)"
        AIR = "air", "Air"
        ROAD = "road", "Road"
        OFF_ROAD = "off-road", "Off-road"
        RAIL = "rail", "Rail"
        BOAT = "boat", "Boat"
        FOOT = "foot", "On foot"

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="segments")
    order = models.PositiveSmallIntegerField()
    place = models.CharField(max_length=200, help_text="A name or an ISO 3166-2 code.")
    area = models.CharField(max_length=10, blank=True, help_text="ISO 3166-2 code.")
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    start = models.DateField()
    end = models.DateField()
    departs = models.TimeField(null=True, blank=True)
    arrives = models.TimeField(null=True, blank=True)
    transport = models.CharField(max_length=10, choices=Transport.choices, default="none")
    night_travel = models.BooleanField(default=False)
    via = models.JSONField(default=list, blank=True, help_text="ISO codes crossed on the way.")
    accommodation = models.CharField(max_length=500, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["trip", "order"]
        constraints = [models.UniqueConstraint(fields=["trip", "order"], name="segment_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.place}"


class Approval(TripOwned):
    """One step of the approval chain, in the policy's order; filled when someone signs."""

    class Decision(models.TextChoices):
        APPROVE = "approve", "Approve"
        APPROVE_WITH_CONDITIONS = "approve-with-conditions", "Approve with conditions"
        REFUSE = "refuse", "Refuse"

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="approvals")
    step = models.PositiveSmallIntegerField()
    role = models.SlugField(max_length=80, help_text="The policy's approver id.")
    role_name = models.CharField(max_length=200, blank=True)
    why = models.TextField(blank=True, help_text="Why the policy asks for this approval.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision = models.CharField(max_length=30, choices=Decision.choices, blank=True)
    reason = models.TextField(blank=True)
    conditions = models.TextField(blank=True)
    at = models.DateTimeField(null=True, blank=True)
    superseded = models.BooleanField(
        default=False, help_text="Set when the trip was reopened after this was signed."
    )

    class Meta:
        ordering = ["trip", "superseded", "step", "pk"]

    def __str__(self) -> str:
        return f"{self.step}. {self.role_name or self.role}"

    # A signed step as it reads after the fact: "Approved by …", not the form's "Approve".
    DONE = {
        Decision.APPROVE: "Approved",
        Decision.APPROVE_WITH_CONDITIONS: "Approved with conditions",
        Decision.REFUSE: "Refused",
    }

    @property
    def decision_done(self) -> str:
        """The decision taken, in the past tense ("" while the step waits)."""
        return self.DONE.get(self.decision, "")


class CheckIn(TripOwned):
    class Source(models.TextChoices):
        WEB = "web", "In the web app"
        LINK = "link", "From the emailed link"

    trip = models.ForeignKey(Trip, on_delete=models.CASCADE, related_name="check_ins")
    traveller = models.ForeignKey(Traveller, on_delete=models.CASCADE, related_name="check_ins")
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=5, choices=Source.choices, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    note = models.TextField(blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["trip", "due_at", "traveller"]
        verbose_name = "check-in"
        indexes = [models.Index(fields=["done_at", "due_at"])]

    def __str__(self) -> str:
        return f"check-in {self.traveller_id} {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def opens_at(self) -> dt.datetime:
        """When it may first be recorded: ``CHECK_IN_EARLY_MINUTES`` before it is due."""
        return self.due_at - dt.timedelta(minutes=settings.CHECK_IN_EARLY_MINUTES)
