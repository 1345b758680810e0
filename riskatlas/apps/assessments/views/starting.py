"""The new-assessment page (analysts and up): a country first, then its areas to tick, the
details and what to start from; the draft is made through the writer, or each problem is
shown beside its field and nothing is made."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from riskatlas.apps.accounts.models import Role, Team
from riskatlas.apps.accounts.permissions import can, require
from riskatlas.apps.assessments.forms.starting import (
    COPY_OF,
    CountryForm,
    NewAssessmentForm,
    TeamTemplateForm,
    analyst_teams,
)
from riskatlas.apps.assessments.models import Assessment, TeamTemplate
from riskatlas.apps.assessments.models.templates import template_of
from riskatlas.apps.assessments.starting import free_slug, review_date, start_assessment
from riskatlas.apps.assessments.workflow import require_role
from riskatlas.document.starting import StartProblem
from riskatlas.geography import iso_area


@login_required
@require_http_methods(["GET", "POST"])
def new_assessment(request: HttpRequest) -> HttpResponse:
    if not analyst_teams(request.user).exists():
        require(request.user, None, Role.ANALYST)  # 404: nobody here may start one
    country = (request.POST.get("country") or request.GET.get("country") or "").upper()
    area = iso_area(country) if country else None
    if area is None or not area.is_country:
        picker = CountryForm(request.GET or None, auto_id="pick_%s")  # beside the draft's form
        picker.is_valid()
        return render(request, "assessments/new.html", {"picker": picker})
    today = dt.date.today()
    form = NewAssessmentForm(
        request.POST or None,
        user=request.user,
        country=country,
        initial={
            "title": f"{area.name} security risk assessment",
            "slug": free_slug(country, today.year),
            "author": request.user.get_full_name() or request.user.get_username(),
            "as_of": today,
            "review_by": review_date(today),
        },
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        source = None
        if data.get("source") and data["start"] != "template":
            found = get_object_or_404(
                Assessment, slug=data["source"], team__in=analyst_teams(request.user)
            )
            source = found.latest_version()
        try:
            made = start_assessment(
                data["team"],
                form.new_assessment(),
                source=source,
                full_copy=data["start"] == COPY_OF,
                with_risks=bool(data.get("with_risks")),
            )
        except StartProblem as problem:
            for field, errors in problem.problems.items():
                form.add_error(None if field not in form.fields else field, errors)
            status = 400
        else:
            messages.success(request, f"Made the draft “{made.version.title}”.")
            where = (made.assessment.slug, made.version.number)
            if request.POST.get("then") == "risk":  # straight to its risks, several a page
                return redirect("assessments:several_risks", *where)
            return redirect("assessments:edit", *where)
    admin_of = [t for t in analyst_teams(request.user) if can(request.user, t, Role.ADMIN)]
    context = {"form": form, "country": area, "admin_of": admin_of}
    return render(request, "assessments/new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def team_template(request: HttpRequest, team: str) -> HttpResponse:
    """The team's template, edited by its admins (analysts read it: 403 to change it)."""
    found = get_object_or_404(Team, slug=team)
    require_role(request.user, found.pk, Role.ADMIN)
    current = template_of(found)
    form = TeamTemplateForm(request.POST or None, initial=TeamTemplateForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        TeamTemplate.objects.update_or_create(
            team=found,
            defaults={
                "exposure_groups": form.cleaned_data["exposure_groups"],
                "context": form.cleaned_data["context"],
                "matrix": form.cleaned_data["matrix"],
            },
        )
        messages.success(request, f"Saved {found.name}'s template for new assessments.")
        return redirect("assessments:team_template", found.slug)
    return render(
        request,
        "assessments/team_template.html",
        {"form": form, "team": found},
        status=400 if form.errors else 200,
    )
