"""Traveller profiles: the team's list, and a profile's form (contact details shown and
changed only by those who may see them: ``access.sees_personal_data``; entered by whoever
makes a new profile, as in a trip file)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from riskatlas.apps.accounts.models import Role
from riskatlas.apps.travel import access, workflow
from riskatlas.apps.travel.forms import TravellerForm
from riskatlas.apps.travel.models import Traveller
from riskatlas.apps.travel.views.common import team_for, teams_where


@login_required
@require_safe
def traveller_list(request: HttpRequest) -> HttpResponse:
    rows = [
        {
            "traveller": t,
            "personal": access.sees_personal_data(request.user, t.team_id, t),
            "can_edit": access.may_edit(request.user, t.team_id),
        }
        for t in access.travellers_for(request.user)
    ]
    return render(
        request,
        "travel/traveller_list.html",
        {"rows": rows, "edit_teams": teams_where(request, Role.ANALYST)},
    )


def _edit(request: HttpRequest, traveller: Traveller) -> HttpResponse:
    # A new traveller's contact details are entered by whoever makes the profile (as a trip
    # file's new traveller's are); afterwards only those who may see them see and change them.
    personal = traveller.pk is None or access.sees_personal_data(
        request.user, traveller.team_id, traveller
    )
    form = TravellerForm(
        request.POST or None, instance=traveller, team=traveller.team, personal=personal
    )
    if request.method == "POST" and form.is_valid():
        if (
            Traveller.objects.filter(team=traveller.team, key=form.cleaned_data["key"])
            .exclude(pk=traveller.pk)
            .exists()
        ):
            form.add_error("key", "another traveller of the team has this id")
        else:
            saved = form.save()
            messages.success(request, f"{saved.name}'s profile is saved.")
            reopened = [trip for trip in saved.trips.all() if workflow.reopen_if_changed(trip)]
            if reopened:  # said, as the trip form says it: the approvals are set aside
                titles = "; ".join(t.title for t in reopened)
                messages.warning(
                    request,
                    f"The decision is reopened on {_trips(len(reopened))}: {titles}. "
                    "Request approval again.",
                )
            return redirect("travel:travellers")
    open_trips = (
        list(traveller.trips.filter(status__in=workflow.OPEN).order_by("title"))
        if traveller.pk
        else []
    )
    return render(
        request,
        "travel/traveller_form.html",
        {"form": form, "traveller": traveller, "personal": personal, "open_trips": open_trips},
    )


def _trips(n: int) -> str:
    return "1 trip" if n == 1 else f"{n} trips"


@login_required
def traveller_new(request: HttpRequest) -> HttpResponse:
    team = team_for(request, Role.ANALYST)
    return _edit(request, Traveller(team=team))


@login_required
def traveller_edit(request: HttpRequest, traveller: int) -> HttpResponse:
    found = access.get_traveller(request.user, traveller)
    if not access.may_edit(request.user, found.team_id):
        raise PermissionDenied("Only the team's analysts and administrators edit profiles.")
    return _edit(request, found)
