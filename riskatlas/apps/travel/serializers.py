"""Trips, travellers, approvals and check-ins as the API shows them (read-only; changes go
through the workflow actions). A traveller's contact details are in the answer only for those
who may see them (``access.sees_personal_data``): for anyone else they are null."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from riskatlas.apps.travel import access
from riskatlas.apps.travel.models import (
    SEGMENT_FIELDS,
    Approval,
    CheckIn,
    Segment,
    Traveller,
    Trip,
)


@extend_schema_field(
    {"type": "string", "nullable": True, "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"}
)
class TimeOfDay(serializers.TimeField):
    """A time of day as stored, HH:MM:SS (JSON Schema's ``format: time`` asks for an offset,
    which a local departure has not)."""


class SegmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    departs = TimeOfDay(read_only=True, allow_null=True)
    arrives = TimeOfDay(read_only=True, allow_null=True)

    class Meta:
        model = Segment
        fields = ["order", *SEGMENT_FIELDS]
        read_only_fields = fields


class EmergencyContactSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    phone = serializers.CharField()
    relation = serializers.CharField()


def sees_personal(context: dict[str, Any], traveller: Traveller) -> bool:
    """Whether the request's user sees the traveller's contact details (asked once a
    serialization, kept in its context)."""
    user = getattr(context.get("request"), "user", None)
    cache: dict[Any, bool] = context.setdefault("personal", {})
    key = (traveller.team_id, traveller.pk)
    if key not in cache:
        cache[key] = access.sees_personal_data(user, traveller.team_id, traveller)
    return cache[key]


class TravellerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    id = serializers.CharField(source="key", read_only=True, help_text="The id in trip files")
    pk = serializers.IntegerField(read_only=True)
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    group = serializers.CharField(
        read_only=True,
        help_text="The assessments' exposure group; empty for the default by staff "
        "(national-staff or international-staff)",
    )
    training = serializers.ListField(child=serializers.CharField(), read_only=True)
    email = serializers.SerializerMethodField(help_text="Null unless you may see it")
    phone = serializers.SerializerMethodField(help_text="Null unless you may see it")
    emergency_contact = serializers.SerializerMethodField(
        help_text="Null unless you may see it, or none is given"
    )

    class Meta:
        model = Traveller
        fields = [
            "pk",
            "id",
            "team",
            "name",
            "staff",
            "group",
            "role",
            "experience",
            "training",
            "email",
            "phone",
            "emergency_contact",
        ]
        read_only_fields = fields

    def _personal(self, traveller: Traveller) -> bool:
        return sees_personal(self.context, traveller)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_email(self, traveller: Traveller) -> str | None:
        return traveller.email if self._personal(traveller) else None

    @extend_schema_field({"type": "string", "nullable": True})
    def get_phone(self, traveller: Traveller) -> str | None:
        return traveller.phone if self._personal(traveller) else None

    @extend_schema_field(EmergencyContactSerializer(allow_null=True))
    def get_emergency_contact(self, traveller: Traveller) -> dict[str, str] | None:
        if not self._personal(traveller) or not traveller.emergency_name:
            return None
        return {
            "name": traveller.emergency_name,
            "phone": traveller.emergency_phone,
            "relation": traveller.emergency_relation,
        }


class ApprovalSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    trip = serializers.PrimaryKeyRelatedField(read_only=True)
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Approval
        fields = [
            "id",
            "trip",
            "step",
            "role",
            "role_name",
            "why",
            "user",
            "decision",
            "reason",
            "conditions",
            "at",
            "superseded",
        ]
        read_only_fields = fields


class HelpCallSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A traveller's "I need help" (the care app's ``HelpCall``): from a check-in's link,
    from the link of a check-in the schedule removed or in the web app (``check_in`` null).
    Her phone only for those who may see it, as her profile's."""

    id = serializers.IntegerField(read_only=True)
    trip = serializers.IntegerField(source="trip_id", read_only=True)
    traveller = serializers.CharField(
        source="traveller.key", read_only=True, help_text="The traveller's id in trip files"
    )
    phone = serializers.SerializerMethodField(
        help_text="The traveller's phone, to call her back; null unless you may see it"
    )
    check_in = serializers.IntegerField(
        source="check_in_id", read_only=True, allow_null=True,
        help_text="The check-in whose link was used; null for a call made in the web app or "
        "from the link of a check-in the schedule removed",
    )  # fmt: skip
    at = serializers.DateTimeField(read_only=True)
    message = serializers.CharField(read_only=True, help_text="The traveller's words")
    where = serializers.CharField(read_only=True, help_text="Where the traveller says she is")
    lat = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Latitude her phone shared (optional)"
    )
    lon = serializers.FloatField(
        read_only=True, allow_null=True, help_text="Longitude her phone shared (optional)"
    )
    expected = serializers.CharField(
        read_only=True, help_text="Where the trip's plan put the traveller at the time"
    )
    alerted = serializers.IntegerField(
        read_only=True, help_text="Approvers alerted by this call (0: an open call had)"
    )
    handled_at = serializers.DateTimeField(read_only=True, allow_null=True)
    handled_by = serializers.CharField(
        source="handled_by.username", read_only=True, allow_null=True, help_text="Username"
    )
    handled_note = serializers.CharField(read_only=True)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_phone(self, call: Any) -> str | None:
        traveller = call.traveller
        return traveller.phone if sees_personal(self.context, traveller) else None


class CheckInSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    trip = serializers.PrimaryKeyRelatedField(read_only=True)
    traveller = serializers.SlugRelatedField(slug_field="key", read_only=True)
    opens_at = serializers.DateTimeField(
        read_only=True, help_text="When it may first be recorded (before it is due)."
    )
    help_calls = HelpCallSerializer(
        many=True, read_only=True, help_text="'I need help' pressed on this check-in's link, "
        "oldest first; open until handled (handled_at)."
    )  # fmt: skip

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "trip",
            "traveller",
            "opens_at",
            "due_at",
            "done_at",
            "source",
            "lat",
            "lon",
            "note",
            "escalated_at",
            "help_calls",
        ]
        read_only_fields = fields


class TripSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    requested_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    travellers = TravellerSerializer(many=True, read_only=True)
    segments = SegmentSerializer(many=True, read_only=True)
    approvals = serializers.SerializerMethodField()
    level = serializers.SerializerMethodField(
        help_text="The highest level on the itinerary when the trip was last checked"
    )

    class Meta:
        model = Trip
        fields = [
            "id",
            "team",
            "slug",
            "title",
            "purpose",
            "essential",
            "status",
            "travellers",
            "segments",
            "approvals",
            "level",
            "requested_by",
            "requested_at",
            "conditions",
            "reason",
            "decided_by",
            "decided_at",
            "reopened_because",
            "fingerprint",
        ]
        read_only_fields = fields

    @extend_schema_field(ApprovalSerializer(many=True))
    def get_approvals(self, trip: Trip) -> list[dict[str, Any]]:
        steps = [a for a in trip.approvals.all() if not a.superseded]
        return list(ApprovalSerializer(steps, many=True).data)

    @extend_schema_field({"type": "integer", "nullable": True, "minimum": 1, "maximum": 5})
    def get_level(self, trip: Trip) -> int | None:
        level = (trip.check_result or {}).get("level")
        return int(level) if level is not None else None


class DecisionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    decision = serializers.ChoiceField(choices=Approval.Decision.choices)
    reason = serializers.CharField(trim_whitespace=False, max_length=4000)
    conditions = serializers.CharField(
        trim_whitespace=False,
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="Required with approve-with-conditions",
    )
