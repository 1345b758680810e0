"""Who hears about a trip: its travellers (their account, else their address) and its
approvers (whoever signed, and every team member holding a role the approval chain asks)."""

from __future__ import annotations

from typing import Any

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


def approvers_of(trip: Trip) -> list[Any]:
    """The users who signed an approval of the trip, then those holding one of the roles of
    its current approval chain (the notifications app keeps one message per person)."""
    approvals = list(trip.approvals.select_related("user"))
    signed = [a.user for a in approvals if a.user is not None]
    roles = {a.role for a in approvals if not a.superseded}
    holders = [
        r.user
        for r in ApproverRole.objects.filter(team_id=trip.team_id, role__in=roles)
        .select_related("user")
        .order_by("role", "user_id")
    ]
    out: list[Any] = []
    for user in signed + holders:
        if user not in out:
            out.append(user)
    return out
