"""When travellers check in: every ``interval`` hours through the trip, from 08:00 on its
first day to 20:00 on its last, in the local time of the place (the trip file's dates carry
no time zone; the check-in page shows times as written)."""

from __future__ import annotations

import datetime as dt
from typing import Any

FIRST = dt.time(8, 0)
LAST = dt.time(20, 0)


def check_in_times(trip: dict[str, Any], interval_hours: int | None) -> list[dt.datetime]:
    if not interval_hours:
        return []
    start = dt.datetime.combine(dt.date.fromisoformat(trip["segments"][0]["start"]), FIRST)
    end = dt.datetime.combine(dt.date.fromisoformat(trip["segments"][-1]["end"]), LAST)
    step = dt.timedelta(hours=interval_hours)
    times = []
    moment = start
    while moment <= end:
        times.append(moment)
        moment += step
    return times
