"""Who hears about a trip: its travellers (their account, else their address) and its
approvers: for the trip alerts, a missed check-in's escalation and a traveller's call for help,
the team's members who hold now a role the approval chain asks or the one they signed in
(``approvers_now``); ``tell_approvers`` tells them about a traveller, with her phone."""

from __future__ import annotations

from typing import Any

from riskatlas.apps.accounts.models import Membership
from riskatlas.apps.notifications.notifying import notify
from riskatlas.apps.travel.access import sees_personal_data
from riskatlas.apps.travel.models import ApproverRole, Traveller, Trip


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


def tell_approvers(
    trip: Trip, traveller: Traveller, kind: str, key: str, subject: str, said: str,
    then: str, link: str, urgent: bool = False,
) -> list[Any]:  # fmt: skip
    """Tell the trip's approvers now (``approvers_now``) and the team's webhooks about a
    traveller (a missed check-in, a call for help): one message per person for ``key``. The
    approvers get her phone (to call her), being among those who may see her contact details
    (``travel.access.sees_personal_data``: the approver roles' holders, the team's admins; none
    else is told); the webhooks (whose readers are not known) get the message without it.
    Returns the people told (those told of ``key`` before included)."""
    seeing = [u for u in approvers_now(trip) if sees_personal_data(u, trip.team_id, traveller)]
    phone = f" Phone: {traveller.phone or 'not given'}."
    notify(
        seeing, kind, key, subject, said + phone + then, link, team=trip.team, webhooks=False,
        urgent=urgent,
    )  # fmt: skip
    notify(
        [], kind, key, subject,
        said + " The traveller's phone is shown to the team's approvers and admins." + then,
        link, team=trip.team, urgent=urgent,
    )  # fmt: skip
    return seeing
