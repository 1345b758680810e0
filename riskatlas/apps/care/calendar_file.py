"""A trip as an iCalendar file: each stay as an all-day event, each check-in of the traveller
(or of every traveller, for approvers) as a short event with a reminder; the traveller's own
check-ins carry their links (as emailed), so that the reminder leads to the check-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from icalendar import Alarm, Calendar, Event

from riskatlas.apps.travel.models import CheckIn, Trip

CHECK_IN_MINUTES = 15


def trip_calendar(
    trip: Trip,
    check_ins: Iterable[CheckIn],
    host: str = "riskatlas",
    links: Mapping[int, str] | None = None,
) -> bytes:
    """``links``: check-in id → its link, for the check-ins of the one who downloads it."""
    links = links or {}
    cal = Calendar()
    cal.add("prodid", "-//riskatlas//trip calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", trip.title)
    stamp = dt.datetime.now(dt.UTC)
    for segment in trip.segments.order_by("order"):
        event = Event()
        event.add("uid", f"trip-{trip.pk}-segment-{segment.pk}@{host}")
        event.add("dtstamp", stamp)
        where = f"{segment.place} ({segment.area})" if segment.area else segment.place
        event.add("summary", f"{trip.title}: {where}")
        event.add("dtstart", segment.start)
        event.add("dtend", segment.end + dt.timedelta(days=1))
        event.add("location", where)
        if segment.lat is not None and segment.lon is not None:
            event.add("geo", (segment.lat, segment.lon))
        lines = [f"Transport: {segment.get_transport_display()}"]
        if segment.departs:
            lines.append(f"Departs: {segment.departs:%H:%M}")
        if segment.night_travel:
            lines.append("Travel after dark")
        if segment.via:
            lines.append("Via: " + ", ".join(segment.via))
        if segment.accommodation:
            lines.append(f"Accommodation: {segment.accommodation}")
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    for check_in in check_ins:
        event = Event()
        event.add("uid", f"trip-{trip.pk}-check-in-{check_in.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", f"Check in: {check_in.traveller.name} ({trip.title})")
        event.add("dtstart", check_in.due_at)
        event.add("dtend", check_in.due_at + dt.timedelta(minutes=CHECK_IN_MINUTES))
        link = links.get(check_in.pk)
        if link:
            event.add("url", link)
            event.add("description", f"Check in by opening this link (no sign-in needed): {link}")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", "Check in now")
        alarm.add("trigger", dt.timedelta(minutes=-10))
        event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())
