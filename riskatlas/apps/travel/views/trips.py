"""Trips: the list, the form with its segments, imports, the trip page with its check and
decision, and the workflow buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from riskatlas.apps.accounts.models import Role
from riskatlas.apps.accounts.permissions import can
from riskatlas.apps.travel import access, deciding, workflow
from riskatlas.apps.travel.forms import (
    DecisionForm,
    ImportForm,
    SegmentFormSet,
    TripForm,
    segment_from_form,
)
from riskatlas.apps.travel.interchange import (
    contacts_hidden,
    dump,
    export_for,
    import_trip,
    import_trip_file,
    save_trip,
    traveller_entry,
    trip_for_check,
)
from riskatlas.apps.travel.itineraries import segments_from_csv, segments_from_ics
from riskatlas.apps.travel.models import Trip
from riskatlas.apps.travel.views.common import level_badge, team_for, teams_where, with_colours
from riskatlas.document.problems import DocumentError
from riskatlas.travel.policy import course_names
from riskatlas.travel.trip_file import check_trip_data

MAX_UPLOAD = 2 * 1024 * 1024


@login_required
@require_safe
def trip_list(request: HttpRequest) -> HttpResponse:
    trips = access.trips_for(request.user).prefetch_related("travellers", "segments")
    rows = []
    for trip in trips:
        segments = list(trip.segments.all())
        rows.append(
            {
                "trip": trip,
                "start": min((s.start for s in segments), default=None),
                "end": max((s.end for s in segments), default=None),
                "places": " → ".join(s.place for s in sorted(segments, key=lambda s: s.order)),
                # The level checked when approval was last requested (a draft has none yet).
                "level": level_badge((trip.check_result or {}).get("level")),
            }
        )
    return render(
        request,
        "travel/trip_list.html",
        {"rows": rows, "edit_teams": teams_where(request, Role.ANALYST)},
    )


def _trip_data(form: TripForm, formset: Any) -> dict[str, Any]:
    """The forms as a trip file (travellers as stored: the form only picks them)."""
    cd = form.cleaned_data
    head: dict[str, Any] = {"id": cd["slug"], "title": cd["title"]}
    if cd.get("purpose"):
        head["purpose"] = cd["purpose"]
    if cd.get("essential"):
        head["essential"] = True
    kept = [
        f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    kept.sort(key=lambda c: (c["start"], c["end"]))
    return {
        "riskatlas_trip": 1,
        "trip": head,
        "travellers": [traveller_entry(t) for t in cd["travellers"]],
        "segments": [segment_from_form(c) for c in kept],
    }


def _edit(request: HttpRequest, trip: Trip | None) -> HttpResponse:
    team = trip.team if trip is not None else team_for(request, Role.ANALYST)
    editing = trip is not None
    initial: dict[str, Any] = {}
    if trip is not None:
        initial = {
            "slug": trip.slug,
            "title": trip.title,
            "purpose": trip.purpose,
            "essential": trip.essential,
            "travellers": list(trip.travellers.all()),
        }
    data = request.POST if request.method == "POST" else None
    form = TripForm(data, team=team, editing=editing, initial=initial)
    formset = SegmentFormSet(data, instance=trip or Trip(team=team), prefix="segments")
    problems: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        trip_data = _trip_data(form, formset)
        slug = trip_data["trip"]["id"]
        clash = Trip.objects.filter(team=team, slug=slug).exclude(pk=getattr(trip, "pk", None))
        if clash.exists():
            form.add_error("slug", "another trip of the team has this id")
        else:
            found = check_trip_data(trip_data, "this trip").problems
            problems = [p.format("this trip").split(": ", 1)[1] for p in found]
            if not problems:
                with transaction.atomic():
                    saved = save_trip(team, trip_data, request.user)
                if editing and workflow.reopen_if_changed(saved):
                    messages.warning(
                        request, f"The decision is reopened: {saved.reopened_because}."
                    )
                else:
                    messages.success(request, "The trip is saved.")
                return redirect("travel:trip", trip=saved.pk)
    return render(
        request,
        "travel/trip_form.html",
        {"form": form, "formset": formset, "trip": trip, "team": team, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def trip_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@login_required
def trip_edit(request: HttpRequest, trip: int) -> HttpResponse:
    found = access.get_trip(request.user, trip)
    if not access.may_edit(request.user, found.team_id):
        return _refused(request, "Only the team's analysts and administrators edit trips.")
    if found.status == Trip.Status.CANCELLED:
        return _refused(request, "The trip is cancelled.")
    return _edit(request, found)


def _refused(request: HttpRequest, text: str) -> HttpResponse:
    raise PermissionDenied(text)


@login_required
def trip_import(request: HttpRequest) -> HttpResponse:
    team = team_for(request, Role.ANALYST)
    form = ImportForm(request.POST or None, request.FILES or None, team=team)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", "the file is larger than 2 MB")
        else:
            content, name = upload.read(), upload.name
            try:
                trip = _import(team, form, content, name, request.user)
            except DocumentError as exc:
                problems = [p.format(exc.filename) for p in exc.problems]
            else:  # a new trip, or a draft or reopened one replaced: nothing to reopen
                messages.success(request, f"Imported {name}.")
                return redirect("travel:trip", trip=trip.pk)
    # A refused upload (the form's or the file's problems) answers 400, nothing saved.
    return render(
        request,
        "travel/trip_import.html",
        {"form": form, "team": team, "problems": problems},
        status=400 if request.method == "POST" else 200,
    )


def _import(team: Any, form: ImportForm, content: bytes, name: str, user: Any) -> Trip:
    kind = form.kind()
    if kind == "trip file":
        return import_trip_file(team, content, name, user)
    read = segments_from_ics if kind == "iCalendar" else segments_from_csv
    segments = read(content, name)
    cd = form.cleaned_data
    head: dict[str, Any] = {"id": cd["slug"], "title": cd["title"]}
    if cd.get("purpose"):
        head["purpose"] = cd["purpose"]
    data = {
        "riskatlas_trip": 1,
        "trip": head,
        "travellers": [traveller_entry(t) for t in cd["travellers"]],
        "segments": segments,
    }
    check_trip_data(data, name).content()
    return import_trip(team, data, name, user)


@login_required
@require_safe
def trip_page(request: HttpRequest, trip: int) -> HttpResponse:
    found = access.get_trip(request.user, trip)
    user = request.user
    check = None
    policy = None
    if deciding.has_itinerary(found):
        checked = deciding.check(found)
        check, policy = with_colours(checked.as_dict()), checked.policy
    courses = course_names(policy if policy is not None else deciding.policy_of(found.team))
    decided_check = found.check_result
    step = workflow.next_step(found)
    personal = access.sees_personal_data(user, found.team_id)
    travellers = [
        {
            "traveller": t,
            "personal": personal or access.sees_personal_data(user, found.team_id, t),
            "training": [courses.get(c, c) for c in t.training or []],
        }
        for t in found.travellers.all()
    ]
    names = {row["traveller"].key: row["traveller"].name for row in travellers}
    missing = check["training"].get("missing", {}) if check else {}
    context = {
        "trip": found,
        "check": check,
        "training_missing": [
            (names.get(key, key), [courses.get(c, c) for c in lacking])
            for key, lacking in missing.items()
        ],
        "changed": bool(
            check and decided_check and check["fingerprint"] != decided_check.get("fingerprint")
        ),
        "segments": list(found.segments.all()),
        "travellers": travellers,
        "approvals": workflow.current_approvals(found),
        "step": step,
        "why_not_sign": workflow.why_not_sign(user, found, step) if step else "",
        "can_edit": access.may_edit(user, found.team_id) and found.status != Trip.Status.CANCELLED,
        "can_request": access.may_edit(user, found.team_id)
        and found.status in (Trip.Status.DRAFT, Trip.Status.REOPENED, Trip.Status.REFUSED),
        "decision_form": DecisionForm(),
        "is_reader": not can(user, found.team_id, Role.ANALYST),
        "follows": access.follows_trip(user, found),
        "feed_changes": _feed_changes(found, check),
    }
    return render(request, "travel/trip.html", context)


def _feed_changes(found: Trip, check: dict[str, Any] | None) -> dict[str, Any]:
    """What the feeds recorded as changed over the last ``RECENT_DAYS`` about the trip's
    countries (advice levels, hazard alerts, outbreaks), each placed against the itinerary
    and marked when recorded after the decision, those on the itinerary first, newest first
    within each: what the trip's alerts speak of."""
    import datetime as dt

    from riskatlas.apps.feeds.concerns import changes_on_trip
    from riskatlas.evidence.areas import country_iso3
    from riskatlas.evidence.changes import RECENT_DAYS
    from riskatlas.evidence.store import StoreBusy

    countries = {
        iso3 for code in deciding.trip_countries(trip_for_check(found))
        if (iso3 := country_iso3(code))
    }  # fmt: skip
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=RECENT_DAYS)
    try:
        rows = changes_on_trip(check or found.check_result, countries, since, limit=50)
    except StoreBusy:
        return {"days": RECENT_DAYS, "rows": [], "busy": True}
    for row in rows:
        row["after_decision"] = bool(found.decided_at and row["recorded_at"] > found.decided_at)
    rows.sort(key=lambda row: not row["on_itinerary"])  # those on the itinerary first
    return {"days": RECENT_DAYS, "rows": rows, "busy": False}


def _step(request: HttpRequest, found: Trip, run: Any, done: Any) -> HttpResponse:
    """Run one workflow step, then show its refusal, or what ``done()`` says once it is taken
    (nothing when it says ""), on the trip page."""
    try:
        run()
    except workflow.TripWorkflowError as exc:
        messages.error(request, str(exc))
    else:
        if said := done():
            messages.success(request, said)
    return redirect("travel:trip", trip=found.pk)


@login_required
@require_POST
def trip_request(request: HttpRequest, trip: int) -> HttpResponse:
    found = access.get_trip(request.user, trip)
    if not access.may_edit(request.user, found.team_id):
        return _refused(request, "Only the team's analysts and administrators request trips.")
    return _step(
        request,
        found,
        lambda: workflow.request(found, request.user),
        lambda: _requested(found),
    )


def _requested(found: Trip) -> str:
    """What a request did: who decides first, or that the policy approved it at once."""
    if found.status == Trip.Status.APPROVED:
        return f"Approved at once: {found.reason[:1].lower()}{found.reason[1:]}"
    steps = list(found.approvals.filter(superseded=False).order_by("step"))
    first = steps[0].role_name or steps[0].role
    if len(steps) == 1:
        return f"Approval requested from the {first}."
    return f"Approval requested from {len(steps)} approvers in turn; the {first} decides first."


@login_required
@require_POST
def trip_decide(request: HttpRequest, trip: int) -> HttpResponse:
    found = access.get_trip(request.user, trip)
    if not workflow.roles_held(request.user, found.team):
        raise PermissionDenied("Only the team's approvers decide on trips.")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a decision and give its reason.")
        return redirect("travel:trip", trip=found.pk)
    cd = form.cleaned_data
    return _step(
        request,
        found,
        lambda: workflow.decide(
            found, request.user, cd["decision"], cd["reason"], cd["conditions"]
        ),
        lambda: _decided(found),
    )


def _decided(found: Trip) -> str:
    """What a decision did: who decides next, or how the trip is decided."""
    if found.status in Trip.DECIDED:
        return f"Your decision is recorded: the trip is {found.get_status_display().lower()}."
    step = workflow.next_step(found)
    if step is None:
        return "Your decision is recorded."
    return f"Your decision is recorded; the {step.role_name or step.role} decides next."


@login_required
@require_POST
def trip_cancel(request: HttpRequest, trip: int) -> HttpResponse:
    found = access.get_trip(request.user, trip)
    if not access.may_edit(request.user, found.team_id):
        return _refused(request, "Only the team's analysts and administrators cancel trips.")
    return _step(request, found, lambda: workflow.cancel(found, request.user), lambda: "")


@login_required
@require_safe
def trip_file(request: HttpRequest, trip: int) -> HttpResponse:
    """The trip as a trip file (each traveller's contact details only for those who may see
    them: a traveller sees their own)."""
    found = access.get_trip(request.user, trip)
    response = HttpResponse(
        dump(export_for(request.user, found)), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{found.slug}.yaml"'
    return response


BRIEF_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
}


@login_required
@require_safe
def trip_brief(request: HttpRequest, trip: int, fmt: str) -> HttpResponse:
    """The traveller brief for the itinerary (HTML, PDF, Markdown); the travellers' emergency
    contacts only for those who may see them."""
    if fmt not in BRIEF_TYPES:
        raise Http404("unknown format")
    found = access.get_trip(request.user, trip)
    if not deciding.has_itinerary(found):
        raise Http404("the trip has no itinerary yet")
    from riskatlas.reports.brief import render_brief

    # Each traveller's contacts only for those who may see them: a traveller her own.
    travellers = list(found.travellers.all())
    hidden = contacts_hidden(request.user, found.team_id, travellers)
    personal = len(hidden) < len(travellers)
    checked = deciding.check(found, personal=personal, hidden=hidden)
    decision = deciding.decision_for_brief(found)
    # Whether or not they have one: what the reader may not see is not told apart.
    decision["contacts_withheld"] = bool(hidden)
    content = render_brief(checked, fmt, decision)
    response = HttpResponse(content, content_type=BRIEF_TYPES[fmt])
    if fmt == "html":  # its <style> elements, allowed by hash (as the reports' downloads)
        from riskatlas.reports.render import inline_style_sources

        response._csp_update = {  # type: ignore[attr-defined]
            "style-src": inline_style_sources(content.decode("utf-8"))
        }
    disposition = "inline" if fmt in ("pdf", "html") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{found.slug}-brief.{fmt}"'
    return response
