"""A traveller in trouble says so: "I need help" on the page of a check-in link, or signed
in, on the trip's check-ins page.

**When it is taken.** Whenever the link itself is genuine (``checkins.link_for``: signed for
this purpose, not older than ``CHECK_IN_LINK_DAYS``), that is before the check-in opens, after
it was done or closed, whatever the trip's status, and also when the trip's schedule changed
and removed the check-in (the link says whose it was: its trip and traveller, if they still
exist). In the web app the traveller signed in says it from the trip's check-ins page. The
check-in's window guards "I am safe", which is news of the traveller at the check-in's time
(a tap months early would make it false and silence the escalation); a call for help is news
at the moment it is made, cannot be early or late, and the traveller in trouble holds the link
of whichever check-in she finds first: refusing it for the schedule's sake would silence the
one message that matters. A forged or expired link is refused as for checking in (410). She
may share her phone's position with the call (``HelpCall.lat``/``lon``): the alert and the
pages give it with a map link.

**Who hears, how often.** The trip's approvers now, with the traveller's phone, and the team's
webhooks without it (``people.tell_approvers``, as a missed check-in), at once: also those who
take a daily digest. The first call while none of the traveller's calls on the trip is open
alerts them; later calls (a second press, a new message, a new "where I am") are recorded and
shown with the first but alert nobody again (one event, one message a person) until the calls
are marked handled, after which a new call alerts again. A press that repeats the words of the
last open call (a double tap) records nothing.

**Handled.** By those the alert went to: the holders of an approver role in the trip's team
and its admins (``may_handle``), with a note saying what was done. Every call and its handling
is in the audit log (``models.HelpCall``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from riskatlas.apps.care import checkins
from riskatlas.apps.care.models import HelpCall
from riskatlas.apps.care.people import tell_approvers
from riskatlas.apps.travel.access import sees_personal_data
from riskatlas.apps.travel.models import CheckIn, Segment, Traveller, Trip

MESSAGE_CHARS = 500
WHERE_CHARS = 300
NOTE_CHARS = 2000


@dataclass(frozen=True)
class Answer:
    """What pressing "I need help" did: the call recorded (or repeated), the first open call
    (the one that alerted), the people alerted by it, whether this press recorded a call."""

    call: HelpCall
    first: HelpCall
    recorded: bool

    @property
    def alerted_now(self) -> bool:
        return self.recorded and self.call.pk == self.first.pk


def local_time(trip: Trip, moment: dt.datetime) -> str:
    """A moment in the local time of where the trip's travellers are that day."""
    return checkins.when(moment.astimezone(checkins.zone_on(trip, moment.date())))


def _segment_words(segment: Segment) -> str:
    where = f"{segment.place} ({segment.area})" if segment.area else segment.place
    if segment.start == segment.end:
        days = f"{segment.start:%d %b %Y}"
    else:
        days = f"{segment.start:%d %b} – {segment.end:%d %b %Y}"
    how = "" if segment.transport == Segment.Transport.NONE else (
        f", by {segment.get_transport_display().lower()}"
        + (" after dark" if segment.night_travel else "")
    )  # fmt: skip
    return f"{where}, {days}{how}"


def expected_where(trip: Trip, moment: dt.datetime) -> str:
    """Where the trip's plan puts the travellers at ``moment`` (its local day): the segments
    of that day ('Andahuaylas (PE-APU), 15 Mar – 16 Mar 2027, by road after dark'; two on a
    day of travel, joined by 'or'), else that the trip has none that day and when it runs."""
    day = moment.astimezone(checkins.zone_on(trip, moment.date())).date()
    segments = list(trip.segments.order_by("order"))
    here = [s for s in segments if s.start <= day <= s.end]
    if here:
        return " or ".join(_segment_words(s) for s in here)
    if not segments:
        return "the trip has no itinerary"
    runs = f"{min(s.start for s in segments):%d %b} – {max(s.end for s in segments):%d %b %Y}"
    return f"no segment planned on {day:%d %b %Y} (the trip runs {runs})"


def trip_link(trip: Trip) -> str:
    return reverse("travel:trip", kwargs={"trip": trip.pk})


def _sentence(words: str) -> str:
    """Her words closed with a full stop, unless they end as a sentence does (what follows
    read as part of them: "men with guns Where: km 40")."""
    words = words.strip()
    return words if words[-1:] in ".!?…" else words + "."


def _alert(trip: Trip, traveller: Traveller, call: HelpCall) -> int:
    """Tell the approvers and webhooks of a call; the people told. The event is the call's
    number among the traveller's on the trip (calls are not deleted): a call after the open
    ones were handled is a new event, whatever the clock says."""
    number = HelpCall.objects.filter(trip=trip, traveller=traveller).count() + 1
    said = (
        f'{traveller.name} pressed "I need help" at {local_time(trip, call.at)} '
        f"on {trip.title} ({trip.get_status_display().lower()})."
        + (f" Message: {_sentence(call.message)}" if call.message else " No message.")
        + (f" Where: {call.where}." if call.where else "")
        + (f" Her phone's location: {call.location} ({call.map_link})." if call.map_link else "")
        + f" Expected at: {call.expected}."
    )
    told = tell_approvers(
        trip, traveller, "help-needed", f"help:{trip.pk}:{traveller.pk}:{number}",
        f"Needs help: {traveller.name} on {trip.title}", said,
        " Call the traveller now and follow your incident procedure; mark it handled on the "
        "trip's page once it is.", trip_link(trip), urgent=True,
    )  # fmt: skip
    return len(told)


def open_calls(trip: Trip, traveller: Traveller | None = None) -> Any:
    calls = HelpCall.objects.filter(trip=trip, handled_at__isnull=True)
    if traveller is not None:
        calls = calls.filter(traveller=traveller)
    return calls.select_related("traveller").order_by("at", "pk")


def call_for_help(
    trip: Trip, traveller: Traveller, message: str = "", where: str = "",
    position: tuple[float, float] | None = None, check_in: CheckIn | None = None,
    now: dt.datetime | None = None,
) -> Answer:  # fmt: skip
    """Record "I need help" from the traveller on the trip (from a check-in's link, or one
    whose check-in was removed, or the web app: ``check_in`` None), with her words, where she
    says she is and the position her phone shared (latitude, longitude), if any; alert unless
    a call of hers on the trip is open already (see the module's note)."""
    now = now or timezone.now()
    message, where = message.strip()[:MESSAGE_CHARS], where.strip()[:WHERE_CHARS]
    lat, lon = position if position is not None else (None, None)
    with transaction.atomic():
        # One press at a time per traveller (PostgreSQL; SQLite's writes are one at a time).
        Traveller.objects.select_for_update().filter(pk=traveller.pk).first()
        calls = list(open_calls(trip, traveller))
        if calls and (calls[-1].message, calls[-1].where, calls[-1].lat, calls[-1].lon) == (
            message, where, lat, lon,
        ):  # fmt: skip
            return Answer(calls[-1], calls[0], recorded=False)
        call = HelpCall(
            trip=trip, traveller=traveller, check_in=check_in, at=now, message=message,
            where=where, lat=lat, lon=lon, expected=expected_where(trip, now),
        )  # fmt: skip
        if not calls:
            call.alerted = _alert(trip, traveller, call)
        call.save()
    return Answer(call, calls[0] if calls else call, recorded=True)


def may_handle(user: Any, trip: Trip) -> bool:
    """Whether the user marks a trip's calls handled: those the alert goes to, the holders of
    an approver role in the team and its admins."""
    return sees_personal_data(user, trip.team_id)


class NotHandled(ValueError):
    """Marking calls handled refused: the message says why."""


def mark_handled(
    trip: Trip, traveller: Traveller, user: Any, note: str, now: dt.datetime | None = None
) -> int:
    """Mark the traveller's open calls on the trip handled, with the note (each call saved:
    audited as the user's). Returns how many."""
    note = note.strip()
    if not note:
        raise NotHandled("Say what was done (a note) to mark the call for help handled.")
    now = now or timezone.now()
    done = 0
    with transaction.atomic():
        for call in open_calls(trip, traveller).select_for_update():
            call.handled_at, call.handled_by, call.handled_note = now, user, note[:NOTE_CHARS]
            call.save()
            done += 1
    if not done:
        raise NotHandled(f"{traveller.name} has no open call for help on this trip.")
    return done


@dataclass
class Open:
    """A traveller's open calls on a trip, for the pages: since when (the first call's local
    time: it alerted) and each call with its local time, oldest first."""

    traveller: Traveller
    since: str
    calls: list[tuple[str, HelpCall]]


def open_by_traveller(trip: Trip) -> list[Open]:
    """Each traveller's open calls on the trip, the longest waiting first."""
    out: dict[int, Open] = {}
    for call in open_calls(trip):
        text = local_time(trip, call.at)
        out.setdefault(call.traveller_id, Open(call.traveller, text, [])).calls.append((text, call))
    return list(out.values())
