"""Pages of duty of care: checking in, or saying "I need help", from a signed link (no
sign-in) or in the web app, marking a call for help handled, a trip's check-ins and
its calendar file, and who is where."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from riskatlas.apps.care import checkins, help_calls, who_is_where
from riskatlas.apps.care.access import check_ins_for, teams_seeing_travellers, trip_for
from riskatlas.apps.care.calendar_file import trip_calendar
from riskatlas.apps.care.models import HelpCall
from riskatlas.apps.notifications.sending import absolute
from riskatlas.apps.travel.models import CheckIn, Traveller


def _local(check_in: CheckIn, field: str) -> str:
    """A time of the check-in in the local time of where the traveller is ('' if unset)."""
    moment = getattr(check_in, field)
    if moment is None:
        return ""
    return checkins.when(moment.astimezone(checkins.local_due(check_in).tzinfo))


def _coordinate(value: str | None, limit: float) -> float | None:
    try:
        number = float(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and -limit <= number <= limit else None


def _position(post: Any) -> tuple[float, float] | None:
    """The position a phone shared with a form (hidden lat and lon), if both are numbers in
    range."""
    lat, lon = _coordinate(post.get("lat"), 90), _coordinate(post.get("lon"), 180)
    return (lat, lon) if lat is not None and lon is not None else None


def _link_page(request: HttpRequest, link: checkins.Link, **more: Any) -> HttpResponse:
    """The link's page: "I am safe" while the check-in is open (else why not: for one the
    schedule removed, that and the traveller's next check-in), and "I need help" whatever the
    check-in's state (``help_calls``'s note says why)."""
    check_in, after = link.check_in, None
    if check_in is not None:
        why_not, due = checkins.closed(check_in), checkins.when(checkins.local_due(check_in))
    else:
        why_not, due = checkins.RESCHEDULED, ""
        after = checkins.next_check_in(link.trip, link.traveller)
    context = {
        "check_in": check_in, "trip": link.trip, "traveller": link.traveller, "due": due,
        "why_not": why_not, "token": more.pop("token"),
        "next_due": checkins.when(checkins.local_due(after)) if after else "",
        "next_link": checkins.link(after) if after else "",
        "escalated": _local(check_in, "escalated_at") if check_in else "",
        "message_chars": help_calls.MESSAGE_CHARS, "where_chars": help_calls.WHERE_CHARS, **more,
    }  # fmt: skip
    return render(request, "care/check_in_link.html", context)


def _refused(request: HttpRequest, refused: checkins.LinkRefused) -> HttpResponse:
    return render(request, "care/check_in_link.html", {"refused": str(refused)}, status=410)


@require_http_methods(["GET", "HEAD", "POST"])
def check_in_link(request: HttpRequest, token: str) -> HttpResponse:
    """The page an emailed check-in link opens: one button, on a phone, without signing in."""
    try:
        link = checkins.link_for(token)
    except checkins.LinkRefused as refused:
        return _refused(request, refused)
    check_in = link.check_in
    if request.method == "POST" and check_in is not None and not checkins.closed(check_in):
        lat = _coordinate(request.POST.get("lat"), 90)
        lon = _coordinate(request.POST.get("lon"), 180)
        note = request.POST.get("note", "").strip()
        if checkins.record(check_in, CheckIn.Source.LINK, lat, lon, note):
            return _link_page(request, link, token=token, done=True,
                              at=_local(check_in, "done_at"))  # fmt: skip
    return _link_page(request, link, token=token)


def _help_said(answer: help_calls.Answer) -> str:
    """What the traveller reads after pressing "I need help"."""
    first, trip = answer.first, answer.call.trip
    since = help_calls.local_time(trip, first.at)
    if answer.alerted_now:
        if not first.alerted:
            return (f"Your call for help is recorded at {since}, but no approver of this trip "
                    "could be alerted: call your focal point now.")  # fmt: skip
        people = f"{first.alerted} {'person' if first.alerted == 1 else 'people'}"
        phone = " and have your phone number" if answer.call.traveller.phone else ""
        return (f"Your call for help is sent: the trip's approvers ({people}) were alerted at "
                f"{since}{phone}.")  # fmt: skip
    if not answer.recorded:
        return f"Your call for help is already recorded; the approvers were alerted at {since}."
    return (f"Your message is added to your call for help. The approvers were alerted at "
            f"{since} and see it on the trip's page (no second alert).")  # fmt: skip


@require_POST
def help_link(request: HttpRequest, token: str) -> HttpResponse:
    """Saying "I need help" from a check-in link, without signing in, also when the trip's
    schedule removed the link's check-in (``help_calls``: when it is taken, who hears)."""
    try:
        link = checkins.link_for(token)
    except checkins.LinkRefused as refused:
        return _refused(request, refused)
    answer = _call_for_help(request, link.trip, link.traveller, link.check_in)
    return _link_page(request, link, token=token, helped=_help_said(answer))


def _call_for_help(
    request: HttpRequest, trip: Any, traveller: Traveller, check_in: CheckIn | None = None
) -> help_calls.Answer:
    post = request.POST
    return help_calls.call_for_help(
        trip, traveller, post.get("message", ""), post.get("where", ""), _position(post), check_in
    )


@login_required
@require_POST
def help_here(request: HttpRequest, pk: int) -> HttpResponse:
    """Saying "I need help" in the web app, from the trip's check-ins page: the traveller
    herself (signed in), as from her check-in link."""
    trip = trip_for(request.user, pk)
    traveller = trip.travellers.filter(user=request.user).first()
    if traveller is None:
        raise PermissionDenied("only the trip's travellers call for help here")
    said = _help_said(_call_for_help(request, trip, traveller))
    messages.warning(request, said, extra_tags="help-sent")
    return redirect("care:trip", pk=trip.pk)


@login_required
@require_POST
def help_handled(request: HttpRequest, pk: int, traveller: int) -> HttpResponse:
    """Mark a traveller's open calls for help on the trip handled, with a note."""
    trip = trip_for(request.user, pk)
    if not help_calls.may_handle(request.user, trip):
        raise PermissionDenied("only the trip's approvers and the team's admins mark it handled")
    person = get_object_or_404(Traveller, pk=traveller, team_id=trip.team_id)
    try:
        count = help_calls.mark_handled(trip, person, request.user, request.POST.get("note", ""))
    except help_calls.NotHandled as refused:
        messages.error(request, str(refused))
    else:
        said = "call" if count == 1 else f"{count} calls"
        messages.success(request, f"{person.name}'s {said} for help marked handled.")
    return redirect("travel:trip", trip=trip.pk)


@login_required
@require_safe
def trip_check_ins(request: HttpRequest, pk: int) -> HttpResponse:
    trip = trip_for(request.user, pk)
    rows = list(
        check_ins_for(request.user)
        .filter(trip=trip)
        .select_related("traveller")
        .order_by("due_at", "traveller__name")
    )
    for row in rows:
        row.due_text = _local(row, "due_at")  # type: ignore[attr-defined]
        row.done_text = _local(row, "done_at")  # type: ignore[attr-defined]
        row.escalated_text = _local(row, "escalated_at")  # type: ignore[attr-defined]
    own = [c for c in rows if c.traveller.user_id == request.user.pk]
    last_done = max((c.due_at for c in own if c.done_at is not None), default=None)
    mine = [c for c in own if c.done_at is None]
    # The check-in due now: the latest open one, not an older one missed (still open for
    # 48 hours), whose recording would leave the current one to be escalated; none older
    # than one done (she has said since that she was safe).
    since = [c for c in mine if last_done is None or c.due_at > last_done]
    next_open = next((c for c in reversed(since) if not checkins.closed(c)), None)
    now = timezone.now()
    waiting = [c for c in mine if now < checkins.opens_at(c)]
    next_opens = None if next_open or not waiting else waiting[0]
    me = trip.travellers.filter(user=request.user).first()
    calls = [
        (help_calls.local_time(trip, c.at), c)
        for c in HelpCall.objects.filter(trip=trip, handled_at__isnull=False)
        .select_related("traveller", "handled_by")
        .order_by("-at", "-pk")
    ]
    context = {
        "trip": trip,
        "check_ins": rows,
        "handled_calls": calls,
        "me": me,
        "my_call_open": me is not None and help_calls.open_calls(trip, me).exists(),
        "message_chars": help_calls.MESSAGE_CHARS,
        "where_chars": help_calls.WHERE_CHARS,
        "next_open": next_open,
        "next_opens": next_opens,
        "opens_text": checkins.when(checkins.opens_at(next_opens)) if next_opens else "",
        "now": now,
        "grace": settings.CHECK_IN_GRACE_MINUTES,
    }
    return render(request, "care/trip_check_ins.html", context)


@login_required
@require_POST
def check_in_here(request: HttpRequest, pk: int, check_in: int) -> HttpResponse:
    """The traveller checks in from the web app."""
    trip = trip_for(request.user, pk)
    row = get_object_or_404(CheckIn, pk=check_in, trip=trip)
    if row.traveller.user_id != request.user.pk:
        raise PermissionDenied("only the traveller checks in")
    why_not = checkins.closed(row)
    note = request.POST.get("note", "").strip()
    if why_not or not checkins.record(row, CheckIn.Source.WEB, note=note):
        messages.error(request, why_not or "That check-in is recorded already.")
    else:
        messages.success(request, f"Checked in at {_local(row, 'done_at')}.")
    return redirect("care:trip", pk=trip.pk)


@login_required
@require_safe
def trip_ics(request: HttpRequest, pk: int) -> HttpResponse:
    trip = trip_for(request.user, pk)
    rows = check_ins_for(request.user).filter(trip=trip).select_related("traveller")
    rows = rows.order_by("due_at")
    own = {c.pk: absolute(checkins.link(c)) for c in rows if c.traveller.user_id == request.user.pk}
    response = HttpResponse(
        trip_calendar(trip, rows, request.get_host().split(":")[0], own),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{trip.slug}.ics"'
    return response


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError as error:
        raise ValueError(f"date: {value!r} is not a day (YYYY-MM-DD)") from error


@login_required
@require_safe
def who_is_where_page(request: HttpRequest) -> HttpResponse:
    """Travellers by area on a day; with ``near`` and ``km``, those within that distance."""
    teams = teams_seeing_travellers(request.user)
    if not teams.exists():
        raise Http404("not found")
    query = {k: request.GET.get(k, "").strip() for k in ("date", "near", "km")}
    problem, centre = "", None
    try:
        day = _day(query["date"])
        km = float(query["km"] or "50")
        if km <= 0:
            raise ValueError("km: give a distance above 0")
        if query["near"]:
            centre = who_is_where.resolve(query["near"], teams)
            rows = who_is_where.within(day, centre[1], centre[2], km, teams)
        else:
            rows = who_is_where.stays(day, teams)
    except ValueError as error:  # UnknownPlace is one
        problem, day, km, rows = str(error), timezone.localdate(), 50.0, []
    fmt = request.GET.get("format", "")
    if fmt == "csv" and not problem:
        response = HttpResponse(who_is_where.as_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="who-is-where-{day}.csv"'
        return response
    if fmt == "geojson":
        features: dict[str, Any] = who_is_where.as_features(rows)
        if centre is not None:
            features["centre"] = {"name": centre[0], "lat": centre[1], "lon": centre[2], "km": km}
        return HttpResponse(json.dumps(features), content_type="application/geo+json")
    context = {
        "rows": rows,
        "day": day,
        "km": km,
        "query": query,
        "centre": centre,
        "problem": problem,
        "tiles": settings.RISKATLAS_MAP_TILES,
        "attribution": settings.RISKATLAS_MAP_ATTRIBUTION,
    }
    return render(request, "care/who_is_where.html", context, status=400 if problem else 200)
