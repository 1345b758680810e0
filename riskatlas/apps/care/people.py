"""Who hears about a trip: its travellers (their account, else their address) and its
approvers: for the trip alerts and a missed check-in's escalation, the team's members who hold
now a role the approval chain asks or the one they signed in (``approvers_now``)."""

from __future__ import annotations

from typing import Any

from riskatlas.apps.accounts.models import Membership
from riskatlas.apps.travel.models import ApproverRole, Trip


def travellers_of(trip: Trip) -> list[Any]:
    """Each traveller once: the linked user, or the email address; none without either."""
    out: list[Any] = []
    for traveller in trip.travellers.select_related("user").order_by("name"):
        if traveller.user is not None:
            out.append(traveller.user)
        elif traveller.email:
            out.append(traveller.email)
    return out


def approvers_now(trip: Trip) -> list[Any]:
    """The team's members who hold, now, the approver role they signed the trip in or a role
    of its current approval chain: one who signed and has lost that role since, or has left
    the team, is not told (nor is a role holder who is no longer a member)."""
    approvals = list(trip.approvals.all())
    signed = [(a.user_id, a.role) for a in approvals if a.user_id is not None]
    roles = {a.role for a in approvals if not a.superseded}
    members = Membership.objects.filter(team_id=trip.team_id).values("user_id")
    held = list(
        ApproverRole.objects.filter(team_id=trip.team_id, user_id__in=members)
        .select_related("user")
        .order_by("role", "user_id")
    )
    still = [r.user for key in signed for r in held if (r.user_id, r.role) == key]
    out: list[Any] = []
    for user in still + [r.user for r in held if r.role in roles]:
        if user not in out:
            out.append(user)
    return out
