"""A stored trip ⇄ the trip file (TRIP.yaml, ``riskatlas.travel.trip_file``). (Itineraries read
from iCalendar or CSV into segments: ``itineraries``.)

Every import is checked whole by the core's trip-file checks before anything is written, and
then written in one transaction: a file with any problem saves nothing and says where each
problem is (file, line, field). A stored traveller's contact details are set only by a user
who may see them: for anyone else the file's are ignored, left out (as in the file such a user
downloads) or written in, so that a guess neither overwrites nor probes the stored ones
(``save_trip``, the one door of the pages' form and imports, the API's trip files and
``riskatlas demo``). A file identical to the stored trip writes nothing (no new segments, no
audit entries). An import replaces a stored trip only while it is a draft or reopened
(``why_not_replace``): a requested or decided trip changes on its page's form, which reopens
the decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from riskatlas.apps.travel import access
from riskatlas.apps.travel.models import Segment, Traveller, Trip
from riskatlas.document.problems import DocumentError, Problem
from riskatlas.travel.trip_file import check_trip_bytes, normalise_trip

# A traveller's contact details in a trip file; shown only to those who may see them.
CONTACT = ("email", "phone", "emergency_contact")
# Where a trip file may replace a stored trip: before it is requested, or once reopened (its
# approvals set aside, to be requested again).
REPLACEABLE = (Trip.Status.DRAFT, Trip.Status.REOPENED)


# ----------------------------------------------------------------------------- export


def _hhmm(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def traveller_entry(traveller: Traveller) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": traveller.key,
        "name": traveller.name,
        "staff": traveller.staff,
        "experience": traveller.experience,
        "training": list(traveller.training or []),
    }
    for name in ("group", "role", "email", "phone"):
        if getattr(traveller, name):
            entry[name] = getattr(traveller, name)
    if traveller.emergency_name:
        contact = {"name": traveller.emergency_name}
        if traveller.emergency_phone:
            contact["phone"] = traveller.emergency_phone
        if traveller.emergency_relation:
            contact["relation"] = traveller.emergency_relation
        entry["emergency_contact"] = contact
    return entry


def segment_entry(segment: Segment) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "place": segment.place,
        "start": segment.start.isoformat(),
        "end": segment.end.isoformat(),
        "transport": segment.transport,
        "night_travel": segment.night_travel,
        "via": list(segment.via or []),
    }
    if segment.area:
        entry["area"] = segment.area
    if segment.lat is not None and segment.lon is not None:
        entry["lat"], entry["lon"] = segment.lat, segment.lon
    for name in ("departs", "arrives"):
        if getattr(segment, name) is not None:
            entry[name] = _hhmm(getattr(segment, name))
    for name in ("accommodation", "note"):
        if getattr(segment, name):
            entry[name] = getattr(segment, name)
    return entry


def without_contacts(data: dict[str, Any], keys: Iterable[str] | None = None) -> dict[str, Any]:
    """The trip file ``data`` with the contact details of the travellers ``keys`` (of every
    traveller when None) left out; ``data`` itself is not changed."""
    left_out = None if keys is None else set(keys)
    travellers = []
    for entry in data["travellers"]:
        if left_out is None or entry["id"] in left_out:
            entry = {k: v for k, v in entry.items() if k not in CONTACT}
        travellers.append(entry)
    return {**data, "travellers": travellers}


def contacts_hidden(user: Any, team_id: int, travellers: Iterable[Traveller]) -> set[str]:
    """The ids of the stored ``travellers`` whose contact details ``user`` may not see, and so
    may neither read in a trip file nor set with one: none for the team's approvers and admins,
    every one but their own for anyone else, every one with no user
    (``access.sees_personal_data``)."""
    if access.sees_personal_data(user, team_id):
        return set()
    return {t.key for t in travellers if not access.sees_personal_data(user, team_id, t)}


def export_trip(trip: Trip, personal: bool = True) -> dict[str, Any]:
    """The trip as a trip-file dict (what ``riskatlas trip check`` reads). Without
    ``personal`` the travellers' contact details are left out."""
    head: dict[str, Any] = {"id": trip.slug, "title": trip.title}
    if trip.purpose:
        head["purpose"] = trip.purpose
    if trip.essential:
        head["essential"] = True
    data = {
        "riskatlas_trip": 1,
        "trip": head,
        "travellers": [traveller_entry(t) for t in trip.travellers.order_by("name", "pk")],
        "segments": [segment_entry(s) for s in trip.segments.order_by("order")],
    }
    return data if personal else without_contacts(data)


def export_for(user: Any, trip: Trip) -> dict[str, Any]:
    """The trip file as ``user`` may read it: each traveller's contact details only when the
    user may see them (the team's approvers and admins see all, a traveller their own)."""
    return without_contacts(
        export_trip(trip), contacts_hidden(user, trip.team_id, trip.travellers.all())
    )


def dump(data: dict[str, Any]) -> str:
    """A trip-file dict as YAML."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def dump_trip(trip: Trip, personal: bool = True) -> str:
    return dump(export_trip(trip, personal))


def trip_for_check(
    trip: Trip, personal: bool = False, hidden: Iterable[str] = ()
) -> dict[str, Any]:
    """The normalised trip the core's check reads; contact details only with ``personal``
    (for the traveller brief: the decision does not rest on them), and not those of the
    travellers ``hidden``."""
    data = export_trip(trip, personal=personal)
    return normalise_trip(without_contacts(data, hidden) if personal else data)


# ----------------------------------------------------------------------------- import


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def _update_traveller(
    team: Any, entry: dict[str, Any], traveller: Traveller | None, contacts: bool
) -> Traveller:
    """The traveller ``entry`` stored: ``traveller`` (stored, locked) updated where it
    differs, or made. Its contact details are written only with ``contacts``."""
    values = {
        "name": entry["name"],
        "staff": entry["staff"],
        "group": entry.get("group", ""),
        "role": entry.get("role", ""),
        "experience": entry.get("experience", "experienced"),
        "training": list(entry.get("training") or []),
    }
    if contacts:
        contact = entry.get("emergency_contact") or {}
        values |= {
            "email": entry.get("email", ""),
            "phone": entry.get("phone", ""),
            "emergency_name": contact.get("name", ""),
            "emergency_phone": contact.get("phone", ""),
            "emergency_relation": contact.get("relation", ""),
        }
    if traveller is None:
        return Traveller.objects.create(team=team, key=entry["id"], **values)
    changed = [k for k, v in values.items() if getattr(traveller, k) != v]
    if changed:
        for name in changed:
            setattr(traveller, name, values[name])
        traveller.save(update_fields=changed)
    return traveller


def replace_segments(trip: Trip, segments: list[dict[str, Any]]) -> None:
    """The trip's itinerary becomes ``segments`` (trip-file entries, already checked)."""
    trip.segments.all().delete()
    for order, s in enumerate(segments, start=1):
        Segment.objects.create(
            trip=trip,
            order=order,
            place=s["place"],
            area=s.get("area", ""),
            lat=s.get("lat"),
            lon=s.get("lon"),
            start=dt.date.fromisoformat(s["start"]),
            end=dt.date.fromisoformat(s["end"]),
            departs=_time(s.get("departs")),
            arrives=_time(s.get("arrives")),
            transport=s.get("transport") or ("none" if order == 1 else "road"),
            night_travel=bool(s.get("night_travel", False)),
            via=list(s.get("via") or []),
            accommodation=s.get("accommodation", ""),
            note=s.get("note", ""),
        )


def _comparable(data: dict[str, Any]) -> dict[str, Any]:
    """A trip file as stored: defaults filled in, empty values left out, travellers by id."""

    def clean(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: clean(v) for k, v in node.items() if v not in ("", None, [], {})}
        if isinstance(node, list):
            return [clean(v) for v in node]
        return node

    normal = normalise_trip(data)
    normal["travellers"] = sorted(normal["travellers"], key=lambda t: t["id"])
    cleaned: dict[str, Any] = clean(normal)
    return cleaned


def save_trip(team: Any, data: dict[str, Any], user: Any = None) -> Trip:
    """Store a checked trip file in the team: a new trip, or the trip with the same id
    updated (its travellers and, when it differs, its itinerary replaced), or left as it is
    when the file says what is stored already. One transaction, on the stored trip and
    travellers locked.

    Contact details: the file's are ignored for a stored traveller whose ``user`` may not see
    them (``contacts_hidden``: neither written nor compared, so a right guess and a wrong one
    give the same trip, answer and ETag, and write the same); a new traveller's are taken as
    written (an entry: nothing stored is read or changed)."""
    head = data["trip"]
    keys = [entry["id"] for entry in data["travellers"]]
    with transaction.atomic():
        trip = Trip.objects.select_for_update().filter(team=team, slug=head["id"]).first()
        stored = {
            t.key: t for t in Traveller.objects.select_for_update().filter(team=team, key__in=keys)
        }
        hidden = contacts_hidden(user, team.pk, stored.values())
        after = _comparable(without_contacts(data, hidden))
        before = None
        if trip is not None:
            before = _comparable(without_contacts(export_trip(trip), hidden))
            if before == after:
                return trip
        else:
            trip = Trip(team=team, slug=head["id"], requested_by=user)
        trip.title = head["title"]
        trip.purpose = head.get("purpose", "")
        trip.essential = bool(head.get("essential", False))
        trip.updated_at = timezone.now()
        trip.save()
        trip.travellers.set(
            [
                _update_traveller(team, entry, stored.get(entry["id"]), entry["id"] not in hidden)
                for entry in data["travellers"]
            ]
        )
        if before is None or before["segments"] != after["segments"]:
            replace_segments(trip, data["segments"])
    return trip


def why_not_replace(trip: Trip) -> str:
    """Why a trip file (imported on the pages, or sent to the API) may not replace the stored
    ``trip`` now ("" when it may): only a draft or a reopened trip is replaced; a requested or
    decided trip keeps what its approvals rest on (its page's form changes it and reopens the
    decision), a cancelled one stays as it was."""
    if trip.status in REPLACEABLE:
        return ""
    if trip.status == Trip.Status.CANCELLED:
        return "the trip is cancelled"
    state = trip.get_status_display().lower()
    return (
        f"the trip is {state}: its itinerary and travellers are what the approvals rest on; "
        "change it on its page (which reopens the decision), or cancel it"
    )


def import_trip(team: Any, data: dict[str, Any], filename: str, user: Any = None) -> Trip:
    """A checked trip file imported into the team (``save_trip``): a new trip, or the trip
    with its id replaced while a draft or reopened. Raises DocumentError (at ``trip.id``,
    nothing saved) for a trip already there that is requested, decided or cancelled."""
    with transaction.atomic():
        stored = Trip.objects.select_for_update().filter(team=team, slug=data["trip"]["id"])
        trip = stored.first()
        why = why_not_replace(trip) if trip is not None else ""
        if why:
            raise DocumentError(filename, [Problem(("trip", "id"), why)])
        return save_trip(team, data, user)


def import_trip_file(team: Any, content: bytes, filename: str, user: Any = None) -> Trip:
    """A TRIP.yaml upload by ``user`` stored in the team (``import_trip``: contact details
    they may not see ignored); raises DocumentError (every problem, located) and saves
    nothing when the file has any, or when it would replace a requested or decided trip."""
    checked = check_trip_bytes(content, filename)
    data = checked.content()
    try:
        return import_trip(team, data, filename, user)
    except DocumentError as exc:  # a refusal by what is stored: at its field's line
        raise checked.refused(exc.problems) from None
