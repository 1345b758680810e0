"""Who hears of a trip's approval as it goes: the holders of the next step's approver role
when it comes to them (those who may sign it: not the requester nor a traveller, four eyes),
and the requester of the decision. In the app and by email as each chose; not the team's
webhooks (a request is the team's own business, not an alert)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from riskatlas.apps.accounts.models import Membership
from riskatlas.apps.notifications.models import Notification
from riskatlas.apps.notifications.notifying import notify
from riskatlas.apps.travel.models import Approval, ApproverRole, Trip


def _summary(trip: Trip) -> str:
    check = trip.check_result or {}
    dates = f"{trip.start:%d %b %Y} – {trip.end:%d %b %Y}" if trip.start else "no dates yet"
    level = check.get("level")
    highest = f", highest level {level} ({check.get('level_name')})" if level else ""
    return f"{trip.title} ({dates}{highest})"


def tell_next_approvers(trip: Trip, step: Approval | None, why_not: Any) -> list[Any]:
    """Tell the members who hold ``step``'s role and may sign it (``why_not(user, trip,
    step)`` is empty) that it waits for them: once per step."""
    if step is None:
        return []
    members = Membership.objects.filter(team_id=trip.team_id).values("user_id")
    holders = ApproverRole.objects.filter(
        team_id=trip.team_id, role=step.role, user_id__in=members
    ).select_related("user")
    people = [r.user for r in holders.order_by("user_id") if not why_not(r.user, trip, step)]
    role = step.role_name or step.role
    requester = trip.requested_by.get_username() if trip.requested_by else "someone"
    body = (
        f"{requester} asked for approval of {_summary(trip)}. It now waits for the {role} "
        f"(step {step.step}): you hold that role.\nWhy this approval: {step.why or role}.\n"
        "Open the trip to approve, approve with conditions or refuse it."
    )
    return notify(
        people, "approval-waiting", _waiting_key(trip, step),
        f"Trip waiting for your approval: {trip.title}", body,
        reverse("travel:trip", args=[trip.pk]), team=trip.team, webhooks=False,
    )  # fmt: skip


def _waiting_key(trip: Trip, step: Approval) -> str:
    return f"trip:{trip.pk}:approval:{step.pk}"


def settle(trip: Trip, step: Approval) -> int:
    """``step`` is signed: its "waiting for your approval" messages are marked read for every
    holder of the role (nothing waits for them any more). Returns the messages marked."""
    unread = Notification.objects.filter(key=_waiting_key(trip, step), read_at__isnull=True)
    return unread.update(read_at=timezone.now())


def settle_all(trip: Trip) -> int:
    """The trip waits for no approval any more (cancelled, reopened): every "waiting for your
    approval" message of it is marked read. Returns the messages marked."""
    unread = Notification.objects.filter(
        kind="approval-waiting", key__startswith=f"trip:{trip.pk}:approval:", read_at__isnull=True
    )
    return unread.update(read_at=timezone.now())


def _travellers(trip: Trip) -> list[Any]:
    """Each traveller once: her account, else her address."""
    found = trip.travellers.select_related("user").order_by("name")
    return [t.user or t.email for t in found if t.user is not None or t.email]


def tell_requester(trip: Trip, decider: Any) -> list[Any]:
    """Tell the one who requested the trip how it was decided (not when she decided it); a
    refusal its travellers too (an approval tells them with the check-in plan)."""
    if not trip.decided_at:
        return []
    people = [trip.requested_by] if trip.requested_by else []
    if trip.status == Trip.Status.REFUSED:
        people += _travellers(trip)
    people = [p for p in people if p != decider]
    status = trip.get_status_display().lower()
    by = decider.get_username() if decider is not None else "the travel policy"
    body = f"{_summary(trip)} is {status} by {by}.\nReason: {trip.reason}"
    if trip.conditions:
        body += f"\nConditions: {trip.conditions}"
    if trip.status == Trip.Status.REFUSED:
        body += "\nDo not travel on this itinerary."
    return notify(
        people, "trip-decided", f"trip:{trip.pk}:decided:{trip.decided_at.isoformat()}",
        f"Trip {status}: {trip.title}", body,
        reverse("travel:trip", args=[trip.pk]), team=trip.team, webhooks=False,
    )  # fmt: skip


def tell_cancelled(trip: Trip, by: Any) -> list[Any]:
    """Tell its travellers and requester (not who cancelled it) that a trip once requested is
    cancelled: its check-ins stop, and nobody else would tell them."""
    people = [p for p in [trip.requested_by, *_travellers(trip)] if p and p != by]
    return notify(
        people, "trip-cancelled", f"trip:{trip.pk}:cancelled",
        f"Trip cancelled: {trip.title}",
        f"{_summary(trip)} is cancelled by {by.get_username()}. Do not travel on it; its "
        "check-ins stop.",
        reverse("travel:trip", args=[trip.pk]), team=trip.team, webhooks=False,
    )  # fmt: skip
