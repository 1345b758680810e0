"""Check-ins: the schedule made when a trip is approved, the signed link that records one
without signing in, and the escalation of a missed one to the trip's approvers.

The times are the trip check's (``check_in.times``, from the policy's interval for the
trip's highest level; ``riskatlas.travel.schedule``), in the local time of where the
traveller is that day: the zone of the segment's country nearest its coordinates
(``riskatlas.geography.timezones``), the server's when unknown.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from riskatlas.apps.audit.models import AuditEntry
from riskatlas.apps.care.people import tell_approvers
from riskatlas.apps.notifications.notifying import notify
from riskatlas.apps.notifications.sending import absolute
from riskatlas.apps.travel.models import CheckIn, Traveller, Trip
from riskatlas.geography import country_code_of
from riskatlas.geography.timezones import zone_of

#: The signer's salt: a check-in link is good for recording that check-in and nothing else.
SALT = "riskatlas.care.check-in"
APPROVED = (Trip.Status.APPROVED, Trip.Status.APPROVED_WITH_CONDITIONS)
#: Trips whose missed check-ins no longer matter.
OVER = (Trip.Status.CANCELLED, Trip.Status.REFUSED, Trip.Status.DRAFT)


class LinkRefused(Exception):
    """A check-in link that is forged, expired, already used or for a closed check-in; the
    message says which, for the person holding the phone."""


def zone_on(trip: Trip, day: dt.date) -> dt.tzinfo:
    """The time zone where the trip's travellers are on ``day`` (its first segment that day,
    else the nearest before or after)."""
    segments = list(trip.segments.order_by("order"))
    here = [s for s in segments if s.start <= day <= s.end]
    here = here or [s for s in segments if s.start > day][:1] or segments[-1:]
    if here:
        segment = here[0]
        country = country_code_of(segment.area or segment.place)
        name = zone_of(country, segment.lat, segment.lon) if country else None
        if name:
            return zoneinfo.ZoneInfo(name)
    return timezone.get_default_timezone()


def local_due(check_in: CheckIn) -> dt.datetime:
    """When the check-in is due, in the local time of where the traveller is."""
    return check_in.due_at.astimezone(zone_on(check_in.trip, check_in.due_at.date()))


def when(moment: dt.datetime) -> str:
    """'Mon 15 Mar 2027 08:00 (America/Lima)'."""
    return f"{moment:%a %d %b %Y %H:%M} ({moment.tzinfo})"


def planned_times(trip: Trip) -> list[dt.datetime]:
    """The check-in times of the trip's decision, as aware datetimes (local time where the
    travellers are that day)."""
    plan = (trip.check_result or {}).get("check_in") or {}
    out = []
    for text in plan.get("times") or []:
        moment = dt.datetime.fromisoformat(text)
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=zone_on(trip, moment.date()))
        out.append(moment)
    return out


def schedule(trip: Trip) -> list[CheckIn]:
    """Make the trip's check-ins from its decision: one per traveller and time. Done or
    escalated ones stay; planned ones the decision no longer asks for go; none is made for a
    time already past (a trip approved on its first day at 10:30 was never asked its 08:00:
    it would be escalated at once as missed). Returns those made."""
    times = planned_times(trip)
    now = timezone.now()
    made: list[CheckIn] = []
    with transaction.atomic():
        for traveller in trip.travellers.all():
            existing = CheckIn.objects.filter(trip=trip, traveller=traveller)
            existing.filter(done_at__isnull=True, escalated_at__isnull=True).exclude(
                due_at__in=times
            ).delete()
            have = set(existing.values_list("due_at", flat=True))
            for moment in times:
                if moment not in have and moment > now:
                    made.append(
                        CheckIn.objects.create(trip=trip, traveller=traveller, due_at=moment)
                    )
    return made


def token(check_in: CheckIn) -> str:
    """The check-in's number, its trip's and its traveller's, signed: a link whose check-in was
    removed when the schedule changed still says whose it was (``link_for``)."""
    value = f"{check_in.pk}.{check_in.trip_id}.{check_in.traveller_id}"
    return signing.TimestampSigner(salt=SALT).sign(value)


def link(check_in: CheckIn) -> str:
    """The check-in's page, signed for it alone (works without signing in)."""
    return reverse("care:check-in-link", args=[token(check_in)])


#: Why "I am safe" is refused on the link of a check-in the trip's schedule removed.
RESCHEDULED = (
    "This check-in was rescheduled: the trip's schedule changed and it is no longer planned."
)


def _unsigned(value: str) -> list[int]:
    """The numbers a link was signed for (the check-in's; its trip's and traveller's since
    links carry them), or ``LinkRefused`` for a forged or expired link."""
    max_age = dt.timedelta(days=settings.CHECK_IN_LINK_DAYS)
    try:
        numbers = [
            int(n)
            for n in signing.TimestampSigner(salt=SALT).unsign(value, max_age=max_age).split(".")
        ]
    except signing.SignatureExpired as error:
        raise LinkRefused("This check-in link has expired.") from error
    except (signing.BadSignature, ValueError) as error:
        raise LinkRefused("This is not a valid check-in link.") from error
    if len(numbers) not in (1, 3):
        raise LinkRefused("This is not a valid check-in link.")
    return numbers


def from_token(value: str) -> CheckIn:
    """The check-in a link is for, or ``LinkRefused`` saying why not."""
    check_in = link_for(value).check_in
    if check_in is None:
        raise LinkRefused(RESCHEDULED)
    return check_in


@dataclass(frozen=True)
class Link:
    """Whose a valid link is: its check-in, or, when the trip's schedule changed and removed
    it, the trip and traveller it was for (``check_in`` None): good for "I need help", not
    for "I am safe"."""

    trip: Trip
    traveller: Traveller
    check_in: CheckIn | None


def link_for(value: str) -> Link:
    """Whose the link is, or ``LinkRefused``: forged, expired, or its check-in removed and
    its trip or traveller gone (deleted) or not known (a link made before links said whose
    they were, for a check-in of which the audit log keeps no deletion)."""
    pk, *whose = _unsigned(value)
    check_in = CheckIn.objects.select_related("trip", "traveller").filter(pk=pk).first()
    if check_in is not None:
        return Link(check_in.trip, check_in.traveller, check_in)
    if not whose:
        whose = _whose_removed(pk)
    trip = Trip.objects.filter(pk=whose[0]).first() if whose else None
    traveller = Traveller.objects.filter(pk=whose[1]).first() if whose else None
    if trip is None or traveller is None:
        raise LinkRefused(RESCHEDULED)
    return Link(trip, traveller, None)


def _whose_removed(pk: int) -> list[int]:
    """The trip and traveller of a removed check-in, from the audit log's record of its
    deletion (for links sent before they carried them); [] when there is none."""
    before = (
        AuditEntry.objects.filter(object_type="check-in", object_id=pk, action="deleted")
        .values_list("before", flat=True)
        .first()
    )
    if not before or not before.get("trip_id") or not before.get("traveller_id"):
        return []
    return [int(before["trip_id"]), int(before["traveller_id"])]


def next_check_in(
    trip: Trip, traveller: Traveller, now: dt.datetime | None = None
) -> CheckIn | None:
    """The traveller's next check-in on the trip, not done yet and not closed (due within
    the last ``CHECK_IN_OPEN_HOURS`` or later), if any and the trip is not over."""
    if trip.status in OVER:
        return None
    now = now or timezone.now()
    since = now - dt.timedelta(hours=settings.CHECK_IN_OPEN_HOURS)
    return (
        CheckIn.objects.filter(
            trip=trip, traveller=traveller, done_at__isnull=True, due_at__gte=since
        )
        .select_related("trip", "traveller")
        .order_by("due_at")
        .first()
    )


def opens_at(check_in: CheckIn) -> dt.datetime:
    """When the check-in may first be recorded: ``CHECK_IN_EARLY_MINUTES`` before it is due,
    in the local time of where the traveller is (a link tapped sooner says so, records
    nothing: a check-in is news of the traveller at its time, not months before)."""
    return check_in.opens_at.astimezone(local_due(check_in).tzinfo)


def closed(check_in: CheckIn, now: dt.datetime | None = None) -> str:
    """Why the check-in cannot be recorded now, from its link or the web app ('' when it
    can): done already, the trip over, not open yet, or closed."""
    now = now or timezone.now()
    if check_in.done_at is not None:
        done = check_in.done_at.astimezone(local_due(check_in).tzinfo)
        return f"You checked in already, at {when(done)}."
    if check_in.trip.status in OVER:
        return f"The trip is {check_in.trip.get_status_display().lower()}."
    if now < opens_at(check_in):
        return (
            f"This check-in opens at {when(opens_at(check_in))}, "
            f"{settings.CHECK_IN_EARLY_MINUTES} minutes before it is due: "
            "nothing is recorded before then; check in from then on."
        )
    if now > check_in.due_at + dt.timedelta(hours=settings.CHECK_IN_OPEN_HOURS):
        return "This check-in has closed; call your focal point."
    return ""


def record(
    check_in: CheckIn, source: str, lat: float | None = None, lon: float | None = None,
    note: str = "", now: dt.datetime | None = None,
) -> bool:  # fmt: skip
    """Record the check-in once (False if it was recorded already: one check-in per link)."""
    now = now or timezone.now()
    done = CheckIn.objects.filter(pk=check_in.pk, done_at__isnull=True).update(
        done_at=now, source=source, lat=lat, lon=lon, note=note[:2000]
    )
    if done:
        check_in.refresh_from_db()
        _tell_safe_after_missed(check_in)
    return bool(done)


def _tell_safe_after_missed(check_in: CheckIn) -> None:
    """After a missed check-in was escalated (the approvers told to follow their procedure),
    the traveller's next check-in, late or the following one, tells them she checked in: once
    per escalation (the latest missed one up to this check-in), to the same people."""
    missed = (
        CheckIn.objects.filter(
            trip_id=check_in.trip_id, traveller_id=check_in.traveller_id,
            escalated_at__isnull=False, due_at__lte=check_in.due_at,
        )
        .order_by("-due_at")
        .first()
    )  # fmt: skip
    if missed is None:
        return
    trip, traveller = check_in.trip, check_in.traveller
    assert check_in.done_at is not None
    done = when(check_in.done_at.astimezone(local_due(check_in).tzinfo))
    said = (
        f"{traveller.name} checked in at {done} ({check_in.get_source_display().lower()}), "
        f"after the missed check-in due {when(local_due(missed))}."
    )
    tell_approvers(
        trip, traveller, "check-in-after-missed", f"check-in:{missed.pk}:safe",
        f"Checked in after a missed check-in: {traveller.name} on {trip.title}", said,
        " Close your missed check-in procedure if she is safe.", _trip_link(trip),
    )  # fmt: skip


def send_links(trip: Trip) -> int:
    """Email each traveller the check-in plan with one link per check-in (once per decision).
    Returns the messages made."""
    made = 0
    by_traveller: dict[int, list[CheckIn]] = {}
    for check_in in CheckIn.objects.filter(trip=trip, done_at__isnull=True).order_by("due_at"):
        by_traveller.setdefault(check_in.traveller_id, []).append(check_in)
    for traveller in trip.travellers.select_related("user"):
        plan = by_traveller.get(traveller.pk)
        recipient = traveller.user or traveller.email
        if not plan or not recipient:
            continue
        lines = [f"- {when(local_due(c))}: {absolute(link(c))}" for c in plan]
        body = (
            f"{trip.title} is {trip.get_status_display().lower()}.\n"
            + (f"Conditions: {trip.conditions}\n" if trip.conditions else "")
            + "\nCheck in at each of these times by opening its link (no sign-in needed). "
            f"A check-in missed by more than {settings.CHECK_IN_GRACE_MINUTES} minutes is "
            "escalated to the trip's approvers.\n\n" + "\n".join(lines)
        )
        made += len(
            notify(
                [recipient],
                "check-in-plan",
                f"trip:{trip.pk}:check-in-plan:{trip.fingerprint or trip.decided_at}",
                f"Check-in plan: {trip.title}",
                body,
                _trip_link(trip),
                team=trip.team,
            )
        )
    return made


def _trip_link(trip: Trip) -> str:
    return reverse("care:trip", args=[trip.pk])


def missed(now: dt.datetime | None = None) -> Any:
    """Check-ins past due by more than the grace period, not done and not escalated yet."""
    now = now or timezone.now()
    limit = now - dt.timedelta(minutes=settings.CHECK_IN_GRACE_MINUTES)
    return (
        CheckIn.objects.filter(done_at__isnull=True, escalated_at__isnull=True, due_at__lt=limit)
        .exclude(trip__status__in=OVER)
        .select_related("trip", "traveller", "trip__team")
    )


def escalate(now: dt.datetime | None = None) -> list[CheckIn]:
    """Mark each missed check-in escalated (once) and tell the trip's approvers and the team's
    webhooks. Returns the check-ins escalated now."""
    now = now or timezone.now()
    out = []
    for check_in in missed(now):
        if not CheckIn.objects.filter(pk=check_in.pk, escalated_at__isnull=True).update(
            escalated_at=now
        ):
            continue  # another worker took it
        _tell_missed(check_in)
        out.append(check_in)
    return out


def _tell_missed(check_in: CheckIn) -> None:
    """Tell the trip's approvers now, with the traveller's phone, and the team's webhooks,
    without it, of a missed check-in (``people.tell_approvers``). One who signed the trip and
    has lost the role or left the team is not told."""
    trip, traveller = check_in.trip, check_in.traveller
    due = when(local_due(check_in))
    said = (
        f"{traveller.name} did not check in at {due} "
        f"(grace period {settings.CHECK_IN_GRACE_MINUTES} minutes)."
    )
    tell_approvers(
        trip, traveller, "check-in-missed", f"check-in:{check_in.pk}:missed",
        f"Missed check-in: {traveller.name} on {trip.title}", said,
        " Follow your missed check-in procedure.", _trip_link(trip),
    )  # fmt: skip
