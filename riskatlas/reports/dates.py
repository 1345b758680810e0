"""Dates as a reader sees them, at the precision the source gives: "9 June 2003", "June 2003",
"2002"; and spans such as "8 February – 19 March 2010"."""

from __future__ import annotations

import calendar


def date_text(value: str | None) -> str:
    """'2003-06-09' -> '9 June 2003', '2003-06' -> 'June 2003', '2002' -> '2002'."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = calendar.month_name[int(parts[1])]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def span_text(start: str | None, end: str | None) -> str:
    """A date span without repeating what both ends share."""
    if not start or not end:
        return date_text(start or end)
    if start == end:
        return date_text(start)
    (sy, sm, sd), (ey, em, ed) = start.split("-"), end.split("-")
    if sy == ey and sm == em:
        return f"{int(sd)}–{int(ed)} {calendar.month_name[int(sm)]} {sy}"
    if sy == ey:
        return f"{int(sd)} {calendar.month_name[int(sm)]} – {date_text(end)}"
    return f"{date_text(start)} – {date_text(end)}"


def precision(value: str) -> str:
    """'day', 'month' or 'year': how precisely the source dates an event."""
    return {1: "year", 2: "month"}.get(len(value.split("-")), "day")
