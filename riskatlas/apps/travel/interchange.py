"""A stored trip ⇄ the trip file (TRIP.yaml, ``riskatlas.travel.trip_file``), and itineraries
read from iCalendar (.ics) or CSV into segments.

Every import is checked whole by the core's trip-file checks before anything is written, and
then written in one transaction: a file with any problem saves nothing and says where each
problem is (file, line, field). Contact details the importing user may not see are never wiped
by a file that leaves them out (as the file such a user downloads does): the pages' import,
the API's trip files and ``riskatlas demo`` all keep them (``keep_hidden_contacts``). A file
identical to the stored trip writes nothing (no new segments, no audit entries).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from riskatlas.apps.travel import access
from riskatlas.apps.travel.models import SEGMENT_FIELDS, Segment, Traveller, Trip
from riskatlas.document.problems import DocumentError, Problem
from riskatlas.travel.trip_file import check_trip_bytes, check_trip_data, normalise_trip

# A traveller's contact details in a trip file; shown only to those who may see them.
CONTACT = ("email", "phone", "emergency_contact")
# The CSV itinerary: one row per segment, in order; a header row naming these columns (place,
# start and end required; the others may be left out or empty).
CSV_COLUMNS = SEGMENT_FIELDS
CSV_REQUIRED = ("place", "start", "end")
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
# Words in an iCalendar event's summary or categories that name how the traveller goes there.
TRANSPORT_WORDS = {
    "flight": "air",
    "fly": "air",
    "air": "air",
    "train": "rail",
    "rail": "rail",
    "boat": "boat",
    "ferry": "boat",
    "off-road": "off-road",
    "drive": "road",
    "road": "road",
    "bus": "road",
    "car": "road",
    "walk": "foot",
    "hike": "foot",
}
NIGHT_FROM, NIGHT_UNTIL = dt.time(18, 0), dt.time(6, 0)


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


def export_trip(trip: Trip, personal: bool = True) -> dict[str, Any]:
    """The trip as a trip-file dict (what ``riskatlas trip check`` reads). Without
    ``personal`` the travellers' contact details are left out."""
    head: dict[str, Any] = {"id": trip.slug, "title": trip.title}
    if trip.purpose:
        head["purpose"] = trip.purpose
    if trip.essential:
        head["essential"] = True
    travellers = [traveller_entry(t) for t in trip.travellers.order_by("name", "pk")]
    if not personal:
        for entry in travellers:
            for name in CONTACT:
                entry.pop(name, None)
    return {
        "riskatlas_trip": 1,
        "trip": head,
        "travellers": travellers,
        "segments": [segment_entry(s) for s in trip.segments.order_by("order")],
    }


def dump_trip(trip: Trip, personal: bool = True) -> str:
    return yaml.safe_dump(export_trip(trip, personal), sort_keys=False, allow_unicode=True)


def trip_for_check(trip: Trip, personal: bool = False) -> dict[str, Any]:
    """The normalised trip the core's check reads; contact details only with ``personal``
    (for the traveller brief: the decision does not rest on them)."""
    return normalise_trip(export_trip(trip, personal=personal))


# ----------------------------------------------------------------------------- import


def _time(value: str | None) -> dt.time | None:
    return dt.time.fromisoformat(value) if value else None


def keep_hidden_contacts(user: Any, team_id: int, data: dict[str, Any]) -> None:
    """For a user who may not see the team's contact details: a stored traveller's email,
    phone and emergency contact keep their stored values whatever the checked trip file
    ``data`` says of them — left out (the file they were given left them out) or written in
    (what they may not read they may not overwrite, nor probe by a guess that writes nothing
    when right). Those who may see them remove what they leave out; a new traveller's
    contacts are taken as written."""
    if access.sees_personal_data(user, team_id):
        return
    keys = [t["id"] for t in data["travellers"]]
    stored = {t.key: t for t in Traveller.objects.filter(team_id=team_id, key__in=keys)}
    for entry in data["travellers"]:
        traveller = stored.get(entry["id"])
        if traveller is None or access.sees_personal_data(user, team_id, traveller):
            continue
        kept = traveller_entry(traveller)
        for name in CONTACT:
            if name in kept:
                entry[name] = kept[name]
            else:
                entry.pop(name, None)


def _update_traveller(team: Any, entry: dict[str, Any]) -> Traveller:
    contact = entry.get("emergency_contact") or {}
    values = {
        "name": entry["name"],
        "staff": entry["staff"],
        "group": entry.get("group", ""),
        "role": entry.get("role", ""),
        "experience": entry.get("experience", "experienced"),
        "training": list(entry.get("training") or []),
        "email": entry.get("email", ""),
        "phone": entry.get("phone", ""),
        "emergency_name": contact.get("name", ""),
        "emergency_phone": contact.get("phone", ""),
        "emergency_relation": contact.get("relation", ""),
    }
    traveller = Traveller.objects.filter(team=team, key=entry["id"]).first()
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


def same_as_stored(trip: Trip, data: dict[str, Any]) -> bool:
    """Whether the checked trip file ``data`` says what is stored of ``trip`` already (its
    head, travellers' profiles with their contact details, and itinerary)."""
    return _comparable(export_trip(trip, personal=True)) == _comparable(data)


def save_trip(team: Any, data: dict[str, Any], user: Any = None) -> Trip:
    """Store a checked trip file in the team: a new trip, or the trip with the same id
    updated (its travellers and itinerary replaced), or left as it is when the file says
    what is stored already. One transaction."""
    head = data["trip"]
    with transaction.atomic():
        trip = Trip.objects.filter(team=team, slug=head["id"]).first()
        if trip is not None and same_as_stored(trip, data):
            return trip
        if trip is None:
            trip = Trip(team=team, slug=head["id"], requested_by=user)
        trip.title = head["title"]
        trip.purpose = head.get("purpose", "")
        trip.essential = bool(head.get("essential", False))
        trip.updated_at = timezone.now()
        trip.save()
        trip.travellers.set([_update_traveller(team, t) for t in data["travellers"]])
        replace_segments(trip, data["segments"])
    return trip


def import_trip_file(team: Any, content: bytes, filename: str, user: Any = None) -> Trip:
    """A TRIP.yaml upload by ``user`` stored in the team (contact details they may not see
    and the file leaves out kept as stored); raises DocumentError (every problem, located)
    and saves nothing when the file has any."""
    data = check_trip_bytes(content, filename).content()
    keep_hidden_contacts(user, team.pk, data)
    return save_trip(team, data, user)


# ----------------------------------------------------------------------------- itineraries


def _located(problems: list[Problem], lines: dict[int, int]) -> list[Problem]:
    """Problems about ``segments[i]`` placed on the line segment i came from."""
    out = []
    for p in problems:
        line = p.line
        if len(p.path) >= 2 and p.path[0] == "segments" and isinstance(p.path[1], int):
            line = lines.get(p.path[1], line)
        out.append(Problem(p.path, p.message, line))
    return out


def _check_segments(
    segments: list[dict[str, Any]], lines: dict[int, int], filename: str
) -> list[dict[str, Any]]:
    """The segments checked as a trip's (the core's checks, a stand-in traveller and trip):
    each problem on the line of the row or event it came from."""
    probe = {
        "riskatlas_trip": 1,
        "trip": {"id": "itinerary", "title": "itinerary"},
        "travellers": [{"id": "t", "name": "t", "staff": "national"}],
        "segments": segments,
    }
    problems = check_trip_data(probe, filename).problems
    if problems:
        raise DocumentError(filename, _located(problems, lines))
    return segments


def _text(content: bytes, filename: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise DocumentError(filename, [Problem((), f"not UTF-8 text: {exc.reason}", line)]) from exc


def segments_from_csv(content: bytes, filename: str) -> list[dict[str, Any]]:
    """Segments from a CSV itinerary (``CSV_COLUMNS``); raises DocumentError listing every bad
    cell as file:line: segments[i].field: message."""
    reader = csv.DictReader(io.StringIO(_text(content, filename)))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    problems = []
    unknown = [h for h in header if h not in CSV_COLUMNS]
    if unknown:
        problems.append(
            Problem(
                (),
                f"unknown column(s) {', '.join(unknown)}; the columns are "
                + ", ".join(CSV_COLUMNS),
                1,
            )
        )
    for name in CSV_REQUIRED:
        if name not in header:
            problems.append(Problem((), f"the column {name!r} is missing", 1))
    if problems:
        raise DocumentError(filename, problems)
    reader.fieldnames = header
    segments: list[dict[str, Any]] = []
    lines: dict[int, int] = {}
    for row in reader:
        i, line = len(segments), reader.line_num
        lines[i] = line
        values = {k: (v or "").strip() for k, v in row.items() if k is not None}
        segment: dict[str, Any] = {}
        for name in CSV_COLUMNS:
            value = values.get(name, "")
            if value == "":
                continue
            where = ("segments", i, name)
            if name in ("lat", "lon"):
                try:
                    segment[name] = float(value)
                except ValueError:
                    problems.append(Problem(where, f"{value!r} is not a number", line))
            elif name == "night_travel":
                if value.lower() not in YES | NO:
                    problems.append(Problem(where, f"{value!r}: write yes or no", line))
                segment[name] = value.lower() in YES
            elif name == "via":
                segment[name] = [c.strip() for c in value.replace(";", " ").split() if c.strip()]
            else:
                segment[name] = value
        segments.append(segment)
    if not segments:
        problems.append(Problem(("segments",), "no rows: one row per segment", 2))
    if problems:
        raise DocumentError(filename, problems)
    return _check_segments(segments, lines, filename)


def _event_line(text: str, n: int) -> int:
    """The line of the n-th BEGIN:VEVENT (0-based)."""
    begins = [i + 1 for i, row in enumerate(text.splitlines()) if row.strip() == "BEGIN:VEVENT"]
    return begins[n] if n < len(begins) else 1


def _transport(words: str) -> str | None:
    lowered = words.lower()
    for word, mode in TRANSPORT_WORDS.items():
        if word in lowered.replace(",", " ").split() or f"{word} " in lowered:
            return mode
    return None


def _day_and_time(value: Any) -> tuple[dt.date, dt.time | None]:
    if isinstance(value, dt.datetime):
        return value.date(), value.time().replace(second=0, microsecond=0)
    return value, None


def segments_from_ics(content: bytes, filename: str) -> list[dict[str, Any]]:
    """Segments from an iCalendar itinerary: one per VEVENT, in time order. LOCATION (else
    SUMMARY) is the place (an ISO 3166-2 code or a name), GEO its coordinates, DTSTART and
    DTEND the days (an all-day DTEND is the day after); a departure between 18:00 and 06:00 is
    night travel; "flight", "train", "drive", "bus"... in SUMMARY or CATEGORIES give the
    transport. Raises DocumentError with each event's line."""
    import icalendar

    text = _text(content, filename)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise DocumentError(filename, [Problem((), f"not an iCalendar file: {exc}", 1)]) from exc
    events = []
    problems = []
    for n, event in enumerate(calendar.walk("VEVENT")):
        line = _event_line(text, n)
        start = event.get("DTSTART")
        if start is None:
            problems.append(Problem(("segments", n, "start"), "the event has no DTSTART", line))
            continue
        end = event.get("DTEND")
        events.append((start.dt, end.dt if end is not None else None, event, line))
    if problems:
        raise DocumentError(filename, problems)
    if not events:
        raise DocumentError(filename, [Problem(("segments",), "no events (VEVENT) in the file", 1)])
    events.sort(
        key=lambda e: _day_and_time(e[0])[0].isoformat() + str(_day_and_time(e[0])[1] or "")
    )
    segments: list[dict[str, Any]] = []
    lines: dict[int, int] = {}
    for i, (start_value, end_value, event, line) in enumerate(events):
        lines[i] = line
        start, departs = _day_and_time(start_value)
        end, arrives = _day_and_time(end_value) if end_value is not None else (start, None)
        if end_value is not None and not isinstance(end_value, dt.datetime) and end > start:
            end -= dt.timedelta(days=1)  # an all-day event's DTEND is the day after
        summary = str(event.get("SUMMARY") or "").strip()
        location = str(event.get("LOCATION") or "").strip()
        segment: dict[str, Any] = {
            "place": location or summary,
            "start": start.isoformat(),
            "end": end.isoformat(),
        }
        geo = event.get("GEO")
        if geo is not None:
            segment["lat"], segment["lon"] = float(geo.latitude), float(geo.longitude)
        if departs is not None:
            segment["departs"] = departs.strftime("%H:%M")
            segment["night_travel"] = departs >= NIGHT_FROM or departs < NIGHT_UNTIL
        if arrives is not None:
            segment["arrives"] = arrives.strftime("%H:%M")
        categories = event.get("CATEGORIES")
        words = (
            summary
            + " "
            + " ".join(
                str(c)
                for cat in (categories if isinstance(categories, list) else [categories])
                if cat is not None
                for c in getattr(cat, "cats", [cat])
            )
        )
        mode = _transport(words)
        if i == 0:
            segment["transport"] = "none"
        elif mode:
            segment["transport"] = mode
        description = str(event.get("DESCRIPTION") or "").strip()
        if description:
            segment["note"] = description[:2000]
        segments.append(segment)
    return _check_segments(segments, lines, filename)
