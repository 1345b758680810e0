"""Who may see and do what with trips, on the pages and in the API (on top of
``accounts.permissions``: another team's trips do not exist, 404).

- every member of the team reads its trips and travellers (names, staff, experience);
- analysts and above create and edit trips and traveller profiles and request approval;
- a traveller's personal data (email, phone, emergency contact) only to that traveller (the
  linked user), to the team's approvers (anyone holding an approver role) and its admins;
- the travel policy and the approver roles are edited by the team's admins;
- whereabouts and check-ins (the care app's pages, and the API's check-ins by
  ``check_ins_for``) are followed by the traveller (her own), the trip's requester, and the
  team's reviewers, admins and approvers; its readers and analysts otherwise see none.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from riskatlas.apps.accounts.models import ROLE_RANK, Membership, Role
from riskatlas.apps.accounts.permissions import can, visible
from riskatlas.apps.travel.models import ApproverRole, CheckIn, Traveller, Trip


def sees_personal_data(user: Any, team_id: int, traveller: Traveller | None = None) -> bool:
    """Whether the user may see travellers' contact details in this team (or this
    traveller's: the traveller always sees their own)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if traveller is not None and traveller.user_id == user.pk:
        return True
    if not can(user, team_id, Role.READER):
        return False
    if can(user, team_id, Role.ADMIN):
        return True
    return ApproverRole.objects.filter(team_id=team_id, user=user).exists()


def may_edit(user: Any, team_id: int) -> bool:
    return can(user, team_id, Role.ANALYST)


def trips_for(user: Any) -> QuerySet[Trip]:
    return visible(Trip.objects.select_related("team"), user)


def travellers_for(user: Any) -> QuerySet[Traveller]:
    return visible(Traveller.objects.select_related("team"), user)


def get_trip(user: Any, pk: int, role: str = Role.READER) -> Trip:
    """The trip, or 404 for someone outside its team; ``role`` also asked (404: the pages
    and the API never tell an outsider or a weaker role what exists)."""
    trip = Trip.objects.select_related("team").filter(pk=pk).first()
    if trip is None or not can(user, trip.team_id, role):
        raise Http404("not found")
    return trip


def get_traveller(user: Any, pk: int, role: str = Role.READER) -> Traveller:
    traveller = Traveller.objects.select_related("team").filter(pk=pk).first()
    if traveller is None or not can(user, traveller.team_id, role):
        raise Http404("not found")
    return traveller


def sees_travellers(user: Any, team: Any) -> bool:
    """Whether the user follows the whereabouts and check-ins of the team's travellers: its
    reviewers and admins, and anyone holding an approver role in it."""
    if can(user, team, Role.REVIEWER):
        return True
    team_id = team if isinstance(team, int) else team.pk
    return ApproverRole.objects.filter(team_id=team_id, user=user).exists()


def follows_trip(user: Any, trip: Trip) -> bool:
    """Whether the user follows this trip's check-ins: those who see travellers, the trip's
    requester and its travellers."""
    if not getattr(user, "is_authenticated", False) or not can(user, trip.team_id, Role.READER):
        return False
    return (
        sees_travellers(user, trip.team_id)
        or trip.requested_by_id == user.pk
        or trip.travellers.filter(user=user).exists()
    )


def check_ins_for(user: Any) -> QuerySet[CheckIn]:
    """The check-ins the user may read, by the care pages' rule (``follows_trip``): every
    check-in of a trip of a team where ``sees_travellers`` holds or that the user requested,
    and a traveller's own; none for anyone else (a reader or an analyst of the team). One
    query however many teams the user is in (the teams are subqueries)."""
    return followed_by(user, CheckIn.objects.all())


def followed_by(user: Any, rows: QuerySet[Any]) -> QuerySet[Any]:
    """Of ``rows`` of a trip and a traveller (check-ins, calls for help: ``trip`` and
    ``traveller`` fields), those the user may read by ``check_ins_for``'s rule."""
    if not getattr(user, "is_authenticated", False):
        return rows.none()
    if user.is_superuser:  # an admin of every team
        return rows
    member = Membership.objects.filter(user=user)
    strong = [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[Role.REVIEWER]]
    return rows.filter(
        Q(trip__team_id__in=member.filter(role__in=strong).values("team_id"))
        | Q(trip__team_id__in=ApproverRole.objects.filter(user=user).values("team_id"))
        | Q(trip__requested_by=user)
        | Q(traveller__user=user),
        trip__team_id__in=member.values("team_id"),
    )
