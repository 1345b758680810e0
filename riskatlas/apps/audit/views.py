"""The audit log page: team admins see their teams' entries, superusers everyone's."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from riskatlas.apps.accounts.models import Membership, Role, Team
from riskatlas.apps.audit.models import AuditEntry

PAGE_SIZE = 50


def admin_teams(user: Any) -> QuerySet[Team]:
    """The teams whose audit log the user may read."""
    if not getattr(user, "is_authenticated", False):
        return Team.objects.none()
    if user.is_superuser:
        return Team.objects.all()
    ids = Membership.objects.filter(user=user, role=Role.ADMIN).values_list("team_id", flat=True)
    return Team.objects.filter(pk__in=ids)


def entries_for(user: Any) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("team")
    if getattr(user, "is_superuser", False):
        return entries
    return entries.filter(team__in=admin_teams(user))


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    teams = admin_teams(request.user)
    if not teams.exists():
        raise PermissionDenied("the audit log is for team admins")
    entries = entries_for(request.user)
    filters = {
        "assessment": request.GET.get("assessment", "").strip(),
        "type": request.GET.get("type", "").strip(),
        "who": request.GET.get("who", "").strip(),
    }
    if filters["assessment"]:
        entries = entries.filter(assessment=filters["assessment"])
    if filters["type"]:
        entries = entries.filter(object_type=filters["type"])
    if filters["who"]:
        entries = (
            entries.filter(username=filters["who"])
            if filters["who"] != "command line"
            else (entries.filter(username=""))
        )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    visible = entries_for(request.user)
    context = {
        "page": page,
        "filters": filters,
        "assessments": sorted(
            set(visible.exclude(assessment="").values_list("assessment", flat=True))
        ),
        "types": sorted(set(visible.values_list("object_type", flat=True))),
        "query": urlencode({k: v for k, v in filters.items() if v}),
    }
    return render(request, "audit/log.html", context)
