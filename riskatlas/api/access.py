"""The team rules of the pages, as querysets for the API.

A user sees the assessments of their teams and nothing else: another team's objects are
simply not in any queryset, so looking one up gives 404 and lists leave it out. Readers see
published versions only (as on the pages); analysts, reviewers and admins see every version.
Changing anything needs the analyst role in the owning team (403 for a weaker member).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet
from rest_framework.exceptions import APIException, NotFound, PermissionDenied, ValidationError

from riskatlas.apps.accounts.models import ROLE_RANK, Role, Team
from riskatlas.apps.accounts.permissions import can, roles_by_team, teams_holding, teams_of
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion, Status

API = "api"  # how a change came, in the audit log


class Conflict(APIException):
    """The request is allowed but the version's state does not permit it (409)."""

    status_code = 409
    default_detail = "the version's status does not allow this"
    default_code = "conflict"


class VersionFrozen(Conflict):
    """In review or frozen: the message says which, and what to do."""

    default_detail = "the version is frozen; make a new version to change it"
    default_code = "frozen"


def teams_with(user: Any, role: str) -> QuerySet[Team]:
    """The teams in which the user holds ``role`` or a stronger one."""
    if not getattr(user, "is_authenticated", False) or user.is_superuser:
        return teams_of(user)  # none for the anonymous, all for a superuser
    strong_enough = [r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[Role(role)]]
    return Team.objects.filter(memberships__user=user, memberships__role__in=strong_enough)


def analyst_team(user: Any, slug: str | None, doing: str) -> Team:
    """The team something new is made in: the one named (``slug``), or the only team where
    the user is an analyst. 403 when the user is only a reader of the team named, or an
    analyst nowhere; 400 (``team``) for a team the user is not in, or none named while they
    are an analyst in several. ``doing`` says what, for the 403: "starting an assessment"."""
    teams = teams_with(user, Role.ANALYST)
    if slug:
        team = teams.filter(slug=slug).first()
        if team is not None:
            return team
        if teams_of(user).filter(slug=slug).exists():
            raise PermissionDenied(f"{doing} needs the analyst role")
        raise ValidationError({"team": ["you are in no team of that name"]})
    if teams.count() == 1:
        return teams.get()
    if teams.exists():
        raise ValidationError({"team": ["you are in several teams: say which"]})
    raise PermissionDenied(f"{doing} needs the analyst role in a team")


def visible_versions(user: Any, roles: dict[int, str] | None = None) -> QuerySet[AssessmentVersion]:
    """Every version the user may read: all of a team's where the user is an analyst or
    stronger, the published ones of the other teams they are in (the pages' rule, ``holds``);
    all for a superuser, none for the anonymous. ``roles`` are the user's roles by team
    (``roles_by_team``) when already read, else they are read now (one query): the versions'
    query then names the teams rather than nesting the memberships' queries, which cost more
    to build than to run (issue 13)."""
    if not getattr(user, "is_authenticated", False):
        return AssessmentVersion.objects.none()
    if user.is_superuser:
        return AssessmentVersion.objects.all()
    roles = roles_by_team(user) if roles is None else roles
    return AssessmentVersion.objects.filter(
        Q(assessment__team_id__in=teams_holding(roles, Role.ANALYST))
        | Q(assessment__team_id__in=list(roles), status=Status.PUBLISHED)
    )


def visible_assessments(user: Any, roles: dict[int, str] | None = None) -> QuerySet[Assessment]:
    """Assessments with at least one version the user may read."""
    versions = visible_versions(user, roles)
    return Assessment.objects.filter(pk__in=versions.values("assessment"))


def visible_parts(model: type[Model], user: Any) -> QuerySet[Any]:
    """Risks, incidents, actors, areas… of the versions the user may read."""
    return model._default_manager.filter(version__in=visible_versions(user).values("pk"))


def team_parts(model: type[Model], user: Any) -> QuerySet[Any]:
    """The parts of every version of the user's teams, whatever the user's role: the
    starting point of a change, which then needs the analyst role (403, not 404)."""
    teams = teams_of(user).values("pk")
    return model._default_manager.filter(version__assessment__team__in=teams)


def check_can_change(user: Any, version: AssessmentVersion) -> None:
    """403 unless the user may change the version's team's work; 409 if it is in review
    (withdraw or return it to draft first) or frozen (make a new version)."""
    team_id = version.assessment.team_id
    if not can(user, team_id, Role.ANALYST):
        raise PermissionDenied(
            f"changing {version.assessment.slug} needs the analyst role in its team"
        )
    if version.is_locked:
        raise VersionFrozen(f"{version.assessment.slug} {version.locked_message}")


def team_assessments(user: Any) -> QuerySet[Assessment]:
    """Every assessment of the user's teams, whatever the user's role (for changes)."""
    return Assessment.objects.filter(team__in=teams_of(user).values("pk"))


def version_to_change(user: Any, slug: str, number: int) -> AssessmentVersion:
    """The version a new part goes into: 404 if it is not one of the user's teams', 403 for
    a reader, 409 if in review or frozen."""
    assessment = team_assessments(user).filter(slug=slug).first()
    if assessment is None:  # the same answer whether it exists in another team or not
        raise NotFound()
    version = assessment.versions.filter(number=number).first()
    if version is None and can(user, assessment.team_id, Role.ANALYST):
        raise NotFound(f"{slug} has no version {number}")
    if version is None:  # a reader learns nothing about unpublished version numbers
        raise PermissionDenied(f"changing {slug} needs the analyst role in its team")
    check_can_change(user, version)
    return version
