"""A team's travel policy: read by every member (the rules in words), its YAML edited by the
team's admins with located errors, and who holds each approver role."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from riskatlas.apps.accounts.models import Role, Team
from riskatlas.apps.accounts.permissions import can
from riskatlas.apps.travel.deciding import current_policy_row, policy_of
from riskatlas.apps.travel.forms import ApproverRoleForm, PolicyForm
from riskatlas.apps.travel.models import ApproverRole
from riskatlas.apps.travel.policies import approver_roles, described, policy_text, save_policy
from riskatlas.document.problems import DocumentError


def _team(request: HttpRequest, slug: str, role: str = Role.READER) -> Team:
    team = Team.objects.filter(slug=slug).first()
    if team is None or not can(request.user, team, Role.READER):
        raise Http404("not found")
    if not can(request.user, team, role):
        raise PermissionDenied("Only the team's administrators change its travel policy.")
    return team


def _page(request: HttpRequest, team: Team, status: int = 200, **extra: Any) -> HttpResponse:
    policy = policy_of(team)
    is_admin = can(request.user, team, Role.ADMIN)
    context = {
        "team": team,
        "policy": described(policy),
        "row": current_policy_row(team),
        "roles": approver_roles(team),
        "is_admin": is_admin,
        "form": PolicyForm(initial={"text": policy_text(team)}),
        "role_form": ApproverRoleForm(team=team, approvers=policy["approvers"]),
        "problems": [],
        **extra,
    }
    return render(request, "travel/policy.html", context, status=status)


@login_required
def policy_page(request: HttpRequest, team: str) -> HttpResponse:
    found = _team(request, team)
    if request.method != "POST":
        return _page(request, found)
    found = _team(request, team, Role.ADMIN)
    form = PolicyForm(request.POST)
    if not form.is_valid():
        return _page(request, found, 400, form=form)
    try:
        save_policy(found, form.cleaned_data["text"], request.user)
    except DocumentError as exc:
        problems = [p.format(exc.filename) for p in exc.problems]
        return _page(request, found, 400, form=form, problems=problems)
    messages.success(request, "The travel policy is saved as a new version.")
    return redirect("travel:policy", team=found.slug)


@login_required
@require_POST
def approver_add(request: HttpRequest, team: str) -> HttpResponse:
    found = _team(request, team, Role.ADMIN)
    form = ApproverRoleForm(request.POST, team=found, approvers=policy_of(found)["approvers"])
    if form.is_valid():
        ApproverRole.objects.get_or_create(
            team=found, user=form.cleaned_data["user"], role=form.cleaned_data["role"]
        )
        messages.success(request, "Approver role given.")
    else:
        messages.error(request, "Choose a member of the team and one of the policy's roles.")
    return redirect("travel:policy", team=found.slug)


@login_required
@require_POST
def approver_remove(request: HttpRequest, team: str, role: int) -> HttpResponse:
    found = _team(request, team, Role.ADMIN)
    ApproverRole.objects.filter(team=found, pk=role).delete()
    messages.success(request, "Approver role taken away.")
    return redirect("travel:policy", team=found.slug)
