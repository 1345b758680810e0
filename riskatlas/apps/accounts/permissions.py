"""Who may see and do what: every page, export and API call goes through here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from riskatlas.apps.accounts.models import ROLE_RANK, Membership, Role, Team


def role_in(user: Any, team: Team | int | None) -> str | None:
    """The user's role in the team, or None. Superusers act as admins everywhere."""
    if team is None or not getattr(user, "is_authenticated", False):
        return None
    if user.is_superuser:
        return Role.ADMIN
    team_id = team if isinstance(team, int) else team.pk
    return (
        Membership.objects.filter(user=user, team_id=team_id).values_list("role", flat=True).first()
    )


def roles_by_team(user: Any) -> dict[int, str]:
    """The user's role in each of their teams, in one query (for pages that list many teams'
    objects). Superusers are not members: ask ``can`` for them."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return dict(Membership.objects.filter(user=user).values_list("team_id", "role"))


def request_roles(request: Any) -> dict[int, str]:
    """``roles_by_team`` of the request's user, read once per request: a page's view and its
    header (the admin's and the whereabouts links) ask the same. Ask it only before anything
    in the request changes the user's memberships."""
    roles: dict[int, str] | None = getattr(request, "_riskatlas_roles", None)
    if roles is None:
        roles = roles_by_team(request.user)
        request._riskatlas_roles = roles
    return roles


def holds(roles: dict[int, str], team_id: int, role: str, user: Any = None) -> bool:
    """``can`` from roles read once with ``roles_by_team``."""
    if getattr(user, "is_superuser", False):
        return True
    held = roles.get(team_id)
    return held is not None and ROLE_RANK[Role(held)] >= ROLE_RANK[Role(role)]


def teams_holding(roles: dict[int, str], role: str) -> list[int]:
    """The teams (ids) in which ``roles`` (read with ``roles_by_team``) hold ``role`` or a
    stronger one: ``holds`` for each."""
    return [team_id for team_id in roles if holds(roles, team_id, role)]


def may_import_open_data(request: Any) -> bool:
    """Analysts (and stronger roles) of any team import open data (events files on the web):
    it is public, and shared by every team."""
    if getattr(request.user, "is_superuser", False):
        return True
    return bool(teams_holding(request_roles(request), Role.ANALYST))


def can(user: Any, team: Team | int | None, role: str) -> bool:
    """Whether the user holds ``role`` or a stronger one in the team."""
    held = role_in(user, team)
    return held is not None and ROLE_RANK[Role(held)] >= ROLE_RANK[Role(role)]


def teams_of(user: Any) -> QuerySet[Team]:
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    if user.is_superuser:
        return Team.objects.all()
    return Team.objects.filter(memberships__user=user).distinct()


def visible(queryset: QuerySet[Any], user: Any, team_field: str = "team") -> QuerySet[Any]:
    """Only the rows owned by one of the user's teams."""
    if getattr(user, "is_superuser", False):
        return queryset
    return queryset.filter(**{f"{team_field}__in": teams_of(user)})


def require(user: Any, team: Team | int | None, role: str = Role.READER) -> None:
    """404 unless the user holds ``role`` in the team: another team's objects do not exist."""
    if not can(user, team, role):
        raise Http404("not found")
