"""Who sees travellers' whereabouts and check-ins: the traveller, the trip's requester, and
in the trip's team its reviewers, admins and approvers (anyone holding an approver role).
Everyone else, readers and other teams included, gets 404. Which check-ins each reads
(``check_ins_for``: all of the trip's, or a traveller her own) is the API's rule too, for
check-ins and for calls for help (``help_calls_for``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from riskatlas.apps.accounts.models import Membership, Role, Team
from riskatlas.apps.care.models import HelpCall
from riskatlas.apps.travel.access import check_ins_for, followed_by, follows_trip, sees_travellers
from riskatlas.apps.travel.models import ApproverRole, Trip

__all__ = [
    "check_ins_for",
    "help_calls_for",
    "sees_any_travellers",
    "sees_travellers",
    "teams_seeing_travellers",
    "trip_for",
]


def help_calls_for(user: Any) -> QuerySet[HelpCall]:
    """The calls for help the user may read, by the check-ins' rule (``check_ins_for``):
    every call of a trip the user follows as a reviewer, admin, approver or its requester,
    and a traveller's own, whether or not it was made from a check-in's link."""
    return followed_by(user, HelpCall.objects.all())


def teams_seeing_travellers(user: Any) -> QuerySet[Team]:
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    if user.is_superuser:
        return Team.objects.all()
    strong = Membership.objects.filter(user=user, role__in=(Role.REVIEWER, Role.ADMIN))
    ids = set(strong.values_list("team_id", flat=True))
    members = set(Membership.objects.filter(user=user).values_list("team_id", flat=True))
    ids |= set(
        ApproverRole.objects.filter(user=user, team_id__in=members).values_list(
            "team_id", flat=True
        )
    )
    return Team.objects.filter(pk__in=ids)


def sees_any_travellers(user: Any, roles: dict[int, str]) -> bool:
    """Whether ``teams_seeing_travellers`` holds a team for a user who is not a superuser,
    from their role in each team (``roles_by_team``): a reviewer or admin anywhere does, else
    an approver role in one of their teams (one query, none for reviewers and admins)."""
    if any(role in (Role.REVIEWER, Role.ADMIN) for role in roles.values()):
        return True
    return bool(roles) and ApproverRole.objects.filter(user=user, team_id__in=list(roles)).exists()


def trip_for(user: Any, pk: int) -> Trip:
    """The trip, if the user may follow its check-ins; 404 otherwise."""
    trip = Trip.objects.select_related("team").filter(pk=pk).first()
    if trip is None or not follows_trip(user, trip):
        raise Http404("not found")
    return trip
