"""The sample events beside each panel — its deadliest (most deaths first, then the latest,
then by event id and source) — read from ``events`` only on the few days where they can be.

``hits`` (``panels``: each ask's events counted by day) gives, for each of an ask's rows, the
most deaths in one of its events (``most``) and its day. The ``samples``-th row by most deaths
then latest day sets a bar: that many events (each row's deadliest) are at least as deadly
and as late, so every sample is past the bar, and only the rows past it hold such events. An
ask with fewer rows than ``samples`` reads every one of its rows' events.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

SPANS = 200  # reads by row id in one query, at most (then one scan)
CLOSE = 4096  # row ids this close are read as one span
ORDER = "coalesce(e.fatalities, 0) DESC, e.event_date DESC, e.event_key, e.source"
_COLUMNS = "source, event_key, event_date, category, country_iso3, area_code, sub_type, fatalities"
_WHOLE = _COLUMNS + ", location, notes"  # the sample's text with it
_KEYED = "rowid AS row_id, " + _COLUMNS  # the text read later, by row id


#: The columns of a row that may hold samples (``sample_days``) after its ask's id, source
#: and sub-type: a ``_Day`` is (id, source, sub-type, *these).
DAY_COLUMNS = (
    "country_iso3",
    "area_code",
    "category",
    "event_date",
    "events",
    "reported",
    "most",
    "first_row",
    "last_row",
    "first_key",
    "bar",
    "bar_date",
)


def sample_events(
    con: duckdb.DuckDBPyConnection, candidates: list[tuple[Any, ...]], samples: int
) -> dict[int, list[tuple[Any, ...]]]:
    """By ask id, the rows (source, event key, date, area, location, sub-type, deaths, notes)
    of the ``samples`` deadliest events in the ask's period, most deadly first, from the rows
    of ``sample_days`` (as ``_Day``)."""
    if samples <= 0:
        return {}
    days = [_Day(*row) for row in candidates]
    if not any(day.first_row is None or day.several for day in days):
        return _read_by_row(con, days, samples)
    # Events read again by the rows' days (counts without row ids, or rows of more than two
    # events): the rows as a table they are joined with.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE sample_days AS SELECT unnest(?::STRUCT({_TYPES})[],"
        " recursive := true)",
        [[dataclasses.asdict(day) for day in days]],
    )
    try:
        if any(day.first_row is None for day in days):  # counted without row ids
            return _read_whole(con, samples)
        return _read_by_row(con, days, samples)
    finally:
        con.execute("DROP TABLE IF EXISTS sample_days")


def sample_days(keyed: bool) -> str:
    """The query of the rows of ``hits`` that may hold an ask's samples (past its bar: the
    ``samples``-th best row's most deaths and day; every row of an ask with fewer), with the
    bar: id, source, sub_type, then ``DAY_COLUMNS``; two parameters, ``samples`` twice.
    ``keyed``: ``hits`` holds each row's id in ``event_days`` (``day_row``), whose first
    event id is read for these rows only (else none is known)."""
    # The first event id by the row's id in ``event_days``: DuckDB reads the few blocks
    # holding them (a correlated subquery instead took half a second).
    first_key, days = (
        ("d.first_key", "LEFT JOIN event_days d ON d.rowid = p.day_row")
        if keyed
        else ("NULL::VARCHAR", "")
    )
    return f"""
        WITH tops AS (  -- the ``samples`` best rows' (most, day), best first
            SELECT id, max({{'m': most, 'd': event_date}}, ?) AS top FROM hits WHERE now
            GROUP BY id
        ),
        bars AS (SELECT id, top[-1].m AS bar, top[-1].d AS bar_date FROM tops WHERE len(top) = ?),
        picked AS (
            SELECT h.id, h.source, h.sub_type, h.country_iso3, h.area_code, h.category,
                   h.event_date, h.events, h.reported, h.most, h.first_row, h.last_row,
                   h.day_row, b.bar, b.bar_date
            FROM hits h LEFT JOIN bars b ON b.id = h.id
            WHERE h.now AND (b.id IS NULL OR h.most > b.bar
                             OR (h.most = b.bar AND h.event_date >= b.bar_date))
        )
        SELECT p.* EXCLUDE (day_row), {first_key} AS first_key FROM picked p {days}
        """


def _read_whole(con: duckdb.DuckDBPyConnection, samples: int) -> dict[int, list[tuple[Any, ...]]]:
    """The samples read whole from the candidate events (counts without row ids)."""
    rows = con.execute(
        f"""
        SELECT s.id, e.source, e.event_key, e.event_date,
               coalesce(e.area_code, e.country_iso3), e.location, e.sub_type,
               e.fatalities, e.notes
        FROM ({_candidates(con, "true", _WHOLE)}) e
        JOIN sample_days s ON e.event_date = s.event_date AND e.source = s.source
         AND e.country_iso3 = s.country_iso3 AND e.category = s.category
         AND e.area_code IS NOT DISTINCT FROM s.area_code
         AND e.sub_type IS NOT DISTINCT FROM s.sub_type
         AND (s.bar IS NULL OR coalesce(e.fatalities, 0) > s.bar
              OR (coalesce(e.fatalities, 0) = s.bar AND e.event_date >= s.bar_date))
        QUALIFY row_number() OVER (PARTITION BY s.id ORDER BY {ORDER}) <= ?
        ORDER BY s.id, {ORDER}
        """,
        [samples],
    ).fetchall()
    out: dict[int, list[tuple[Any, ...]]] = {}
    for row in rows:
        out.setdefault(row[0], []).append(tuple(row[1:]))
    return out


#: The types of ``_Day``'s fields, for ``sample_days`` made from them.
_TYPES = (
    "id INTEGER, source VARCHAR, sub_type VARCHAR, country_iso3 VARCHAR, area_code VARCHAR,"
    " category VARCHAR, event_date DATE, events BIGINT, reported BIGINT, most INTEGER,"
    " first_row BIGINT, last_row BIGINT, first_key VARCHAR, bar INTEGER, bar_date DATE"
)


def _read_by_row(
    con: duckdb.DuckDBPyConnection, rows: list[_Day], samples: int
) -> dict[int, list[tuple[Any, ...]]]:
    """The samples chosen first without their text — a row of one event is that event (its
    id, deaths and day are the row's); a row of two has only its two events' ids and deaths
    read, by its first and last row id (the rest is the row's); a row of more has its events
    read by row id — then only the chosen events' location and notes read, each by its row
    id. The rows of ``sample_days`` are few: they are chosen among in Python (a query doing
    it cost DuckDB several milliseconds to plan). (Reading the text of every candidate with
    the pairs' ids and deaths, in one read, cost more than the two: each column read cold
    costs about the same per block it touches.)"""
    found: dict[int, list[tuple[Any, ...]]] = {}

    def add(day: _Day, row_id: int, source: str, key: Any, when: Any, deaths: Any) -> None:
        area = day.area_code if day.area_code is not None else day.country_iso3
        found.setdefault(day.id, []).append((row_id, source, key, when, area, day.sub_type, deaths))

    pairs, several = [], []
    for day in rows:
        if day.single:
            deaths = day.most if day.reported > 0 else None
            add(day, day.first_row, day.source, day.first_key, day.event_date, deaths)
        elif day.events == 2:
            pairs.append(day)
        else:
            several.append(day)
    if pairs:
        wanted = sorted({int(r) for day in pairs for r in (day.first_row, day.last_row)})
        events = {
            row_id: (key, deaths)
            for row_id, key, deaths in con.execute(
                "SELECT rowid, event_key, fatalities FROM events SEMI JOIN"
                " (SELECT unnest(?::BIGINT[]) AS wanted) w ON events.rowid = w.wanted",
                [wanted],
            ).fetchall()
        }
        for day in pairs:
            for row_id in dict.fromkeys((day.first_row, day.last_row)):
                key, deaths = events[row_id]
                if day.past_bar(deaths, day.event_date):
                    add(day, row_id, day.source, key, day.event_date, deaths)
    if several:
        _add_several(con, several, add)
    chosen = {ask: sorted(found[ask], key=_order)[:samples] for ask in sorted(found)}
    text = _text_by_row(con, sorted({row[0] for rows in chosen.values() for row in rows}))
    out: dict[int, list[tuple[Any, ...]]] = {}
    for ask, picked in chosen.items():
        for row_id, source, key, day, area, sub_type, deaths in picked:
            location, notes = text[row_id]
            out.setdefault(ask, []).append(
                (source, key, day, area, location, sub_type, deaths, notes)
            )
    return out


@dataclass(frozen=True)
class _Day:
    """A row of ``sample_days``: a day's count that may hold samples, and its ask's bar."""

    id: int
    source: str
    sub_type: str | None
    country_iso3: str
    area_code: str | None
    category: str
    event_date: date
    events: int
    reported: int
    most: int
    first_row: int
    last_row: int
    first_key: str | None
    bar: int | None
    bar_date: date | None

    @property
    def single(self) -> bool:
        """A row of one event whose id is known: that event is the row."""
        return self.events == 1 and self.first_key is not None

    @property
    def several(self) -> bool:
        """A row whose events are read with ``_add_several``."""
        return not self.single and self.events != 2

    def past_bar(self, deaths: int | None, when: date) -> bool:
        """Whether an event of ``deaths`` on ``when`` is as deadly and late as the bar."""
        if self.bar is None:
            return True
        dead = deaths or 0
        assert self.bar_date is not None
        return dead > self.bar or (dead == self.bar and when >= self.bar_date)

    def holds(self, source: str, country: str, category: str, area: Any, sub_type: Any) -> bool:
        return (source, country, category, area, sub_type) == (
            self.source,
            self.country_iso3,
            self.category,
            self.area_code,
            self.sub_type,
        )


def _add_several(
    con: duckdb.DuckDBPyConnection, several: list[_Day], add: Callable[..., None]
) -> None:
    """The events of rows holding more than two (or of one without its event id), read by
    their row ids (``_candidates``), each added to the rows it belongs to when past the bar."""
    others = "NOT (events = 1 AND first_key IS NOT NULL) AND NOT (events = 2)"
    by_day: dict[tuple[Any, ...], list[_Day]] = {}
    for day in several:
        key = (day.event_date, day.source, day.country_iso3, day.category)
        by_day.setdefault(key, []).append(day)
    sql = _candidates(con, others, _KEYED)
    for row_id, source, key, when, category, country, area, sub_type, deaths in con.execute(
        sql
    ).fetchall():
        for day in by_day.get((when, source, country, category), []):
            if day.holds(source, country, category, area, sub_type) and day.past_bar(deaths, when):
                add(day, row_id, source, key, when, deaths)


def _order(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """``ORDER`` in Python: most deaths first, then the latest, then by event id and source
    (none last, as DuckDB orders them)."""
    _, source, key, day, _, _, deaths = row
    return (-(deaths or 0), -day.toordinal(), key is None, key or "", source)


def _text_by_row(con: duckdb.DuckDBPyConnection, row_ids: list[int]) -> dict[int, tuple[Any, Any]]:
    """(location, notes) of each event by its row id: a join on the row ids, which DuckDB
    reads from the few blocks holding them (a union of one lookup per id took 2-4 times as
    long on a connection just opened)."""
    if not row_ids:
        return {}
    sql = (
        "SELECT e.rowid, e.location, e.notes FROM events e"
        " SEMI JOIN (SELECT unnest(?::BIGINT[]) AS row_id) r ON e.rowid = r.row_id"
    )
    return {row[0]: (row[1], row[2]) for row in con.execute(sql, [row_ids]).fetchall()}


def _candidates(con: duckdb.DuckDBPyConnection, which: str, columns: str) -> str:
    """A query of ``columns`` of (at least) the events of the rows of ``sample_days`` that
    satisfy ``which``. DuckDB fetches rows by
    row id without a scan, so each row's events are read by their ids: all the ids from its
    first to its last when they lie close together, its first and its last when it has only
    those two. When a row's events lie far apart, or there are too many spans, one scan of
    the rows' countries and days instead."""
    rows = con.execute(
        "SELECT DISTINCT first_row, last_row, events, country_iso3, event_date FROM sample_days"
        f" WHERE {which}"
    ).fetchall()
    if not rows:
        return f"SELECT {columns} FROM events WHERE false"
    spans: list[tuple[int, int]] = []
    for first, last, events, *_ in rows:
        if first is None:  # counted from the events just now, without row ids
            spans = []
            break
        if last - first < CLOSE:
            spans.append((first, last))
        elif events == 2:
            spans += [(first, first), (last, last)]
        else:  # scattered: one scan for every row
            spans = []
            break
    merged = _merged(spans)
    if spans and len(merged) <= SPANS:
        # A join on the row ids: DuckDB reads only the blocks holding them, for every span at
        # once (a union of one read per span cost a block per column and span).
        ids = ", ".join(f"range({a}, {b + 1})" for a, b in merged)
        return (
            f"SELECT {columns} FROM events SEMI JOIN"
            f" (SELECT unnest(flatten([{ids}])) AS wanted) w ON events.rowid = w.wanted"
        )
    countries = ", ".join(sorted({_sql_text(country) for *_, country, _ in rows}))
    first_day = min(day for *_, day in rows).isoformat()
    last_day = max(day for *_, day in rows).isoformat()
    return (
        f"SELECT {columns} FROM events WHERE country_iso3 IN ({countries})"
        f" AND event_date BETWEEN DATE '{first_day}' AND DATE '{last_day}'"
    )


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of row ids, overlapping ones joined (so that no event is read twice)."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((int(first), int(last)))
    return merged


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
