"""Itineraries read from iCalendar (.ics) or CSV into trip-file segments, checked as a trip's
are (the core's checks), each problem on the line of the row or event it came from; the pages'
import stores them with the travellers picked (``interchange.import_trip``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from riskatlas.apps.travel.models import SEGMENT_FIELDS
from riskatlas.document.problems import DocumentError, Problem
from riskatlas.travel.trip_file import check_trip_data

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
