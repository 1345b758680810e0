"""The sample events beside each panel — its deadliest (most deaths first, then the latest,
then by event id and source) — read from ``events`` only on the few days where they can be.

``hits`` (``panels``: each ask's events counted by day) gives, for each of an ask's rows, the
most deaths in one of its events (``most``) and its day. The ``samples``-th row by most deaths
then latest day sets a bar: that many events (each row's deadliest) are at least as deadly
and as late, so every sample is past the bar, and only the rows past it hold such events. An
ask with fewer rows than ``samples`` reads every one of its rows' events.
"""

from __future__ import annotations

from typing import Any

import duckdb

SPANS = 200  # reads by row id in one query, at most (then one scan)
CLOSE = 4096  # row ids this close are read as one span
ORDER = "coalesce(e.fatalities, 0) DESC, e.event_date DESC, e.event_key, e.source"
_COLUMNS = "source, event_key, event_date, category, country_iso3, area_code, sub_type, fatalities"
_WHOLE = _COLUMNS + ", location, notes"  # the sample's text with it
_KEYED = "rowid AS row_id, " + _COLUMNS  # the text read later, by row id


def sample_events(con: duckdb.DuckDBPyConnection, samples: int) -> dict[int, list[tuple[Any, ...]]]:
    """By ask id, the rows (source, event key, date, area, location, sub-type, deaths, notes)
    of the ``samples`` deadliest events in the ask's period, most deadly first."""
    if samples <= 0:
        return {}
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE sample_days AS
        WITH bars AS (
            SELECT id, most AS bar, event_date AS bar_date FROM hits WHERE now
            QUALIFY row_number() OVER (PARTITION BY id ORDER BY most DESC, event_date DESC) = ?
        )
        SELECT h.id, h.source, h.country_iso3, h.area_code, h.category, h.event_date,
               h.sub_type, h.events, h.reported, h.most, h.first_row, h.last_row,
               h.first_key, b.bar, b.bar_date
        FROM hits h LEFT JOIN bars b ON b.id = h.id
        WHERE h.now AND (b.id IS NULL OR h.most > b.bar
                         OR (h.most = b.bar AND h.event_date >= b.bar_date))
        """,
        [samples],
    )
    try:
        if _scalar(con, "SELECT count(*) FILTER (WHERE first_row IS NULL) FROM sample_days"):
            return _read_whole(con, samples)
        return _read_by_row(con, samples)
    finally:
        con.execute("DROP TABLE IF EXISTS sample_days")


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


_SINGLE = "s.events = 1 AND s.first_key IS NOT NULL"
_PAIR = "s.events = 2"  # its two events are its first and last row ids
_PAST_BAR = (
    "(s.bar IS NULL OR coalesce(e.fatalities, 0) > s.bar"
    " OR (coalesce(e.fatalities, 0) = s.bar AND e.event_date >= s.bar_date))"
)


def _read_by_row(con: duckdb.DuckDBPyConnection, samples: int) -> dict[int, list[tuple[Any, ...]]]:
    """The samples chosen first without their text — a row of one event is that event (its
    id, deaths and day are the row's); a row of two has only its two events' ids and deaths
    read, by its first and last row id (the rest is the row's); a row of more has its events
    read by row id — then only the chosen events' location and notes read, each by its row
    id."""
    several = f"SELECT {_KEYED} FROM events WHERE false"
    others = f"NOT ({_SINGLE}) AND NOT ({_PAIR})"
    if _scalar(con, f"SELECT count(*) FROM sample_days s WHERE {others}"):
        several = _candidates(con, others.replace("s.", ""), _KEYED)
    pairs = sorted(
        {
            int(row_id)
            for first, last in con.execute(
                f"SELECT first_row, last_row FROM sample_days s WHERE {_PAIR}"
            ).fetchall()
            for row_id in (first, last)
        }
    )
    order = ORDER.replace("e.", "")
    chosen = con.execute(
        f"""
        WITH found AS (
            SELECT s.id, s.first_row AS row_id, s.source, s.first_key AS event_key,
                   s.event_date, coalesce(s.area_code, s.country_iso3) AS area, s.sub_type,
                   CASE WHEN s.reported > 0 THEN s.most END AS fatalities
            FROM sample_days s WHERE {_SINGLE}
            UNION ALL
            SELECT s.id, e.row_id, s.source, e.event_key, s.event_date,
                   coalesce(s.area_code, s.country_iso3), s.sub_type, e.fatalities
            FROM (SELECT rowid AS row_id, event_key, fatalities
                  FROM events SEMI JOIN (SELECT unnest(?::BIGINT[]) AS wanted) w
                  ON events.rowid = w.wanted) e
            JOIN sample_days s ON {_PAIR} AND e.row_id IN (s.first_row, s.last_row)
             AND {_PAST_BAR.replace("e.event_date", "s.event_date")}
            UNION ALL
            SELECT s.id, e.row_id, e.source, e.event_key, e.event_date,
                   coalesce(e.area_code, e.country_iso3), e.sub_type, e.fatalities
            FROM ({several}) e
            JOIN sample_days s ON e.event_date = s.event_date AND e.source = s.source
             AND e.country_iso3 = s.country_iso3 AND e.category = s.category
             AND e.area_code IS NOT DISTINCT FROM s.area_code
             AND e.sub_type IS NOT DISTINCT FROM s.sub_type AND {others}
             AND {_PAST_BAR}
        )
        SELECT * FROM found
        QUALIFY row_number() OVER (PARTITION BY id ORDER BY {order}) <= ?
        ORDER BY id, {order}
        """,
        [pairs, samples],
    ).fetchall()
    text = _text_by_row(con, sorted({row[1] for row in chosen}))
    out: dict[int, list[tuple[Any, ...]]] = {}
    for ask, row_id, source, key, day, area, sub_type, deaths in chosen:
        location, notes = text[row_id]
        out.setdefault(ask, []).append((source, key, day, area, location, sub_type, deaths, notes))
    return out


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


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row and row[0] is not None else 0


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
