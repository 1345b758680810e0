"""Events counted by day: the table ``event_days`` the import keeps beside ``events``, so that
an assessment's panels add up a few thousand small rows instead of reading the events.

One row per source, country, ISO 3166-2 area, threat category, day and sub-type, with what a
panel adds up: the events, those reporting their deaths, each severity figure
(``severity.FIGURES``: deaths, deadly events, attacks on civilians, abductions, aid workers),
``most``, the most deaths in one of its events, and where its events lie in ``events`` (the
first and last row id; events are only ever added, so an event keeps its id) and the least
event id (the event's own, when the row has one). Days, not
months: a panel's period is clipped to the day to the data held, so every figure is the one
counted from the events. A panel's few sample events are then read from ``events`` by row
id, from the few rows where the deadliest can be (``panel_samples``).

Only the countries asked for are counted (``count_countries``; decision 0009): those of the
assessments, asked by the import's caller and by the worker that refreshes the pages'
evidence. ``event_days_countries`` lists them; every event of a listed country, of every
source, is counted. A country not listed is read from the events, to the same figures
(slower: about 110 against 30 ms for Peru's panels over 2.5 M events), until it is asked for.
Counting every country at each import was most of its time beyond DuckDB's own load
(docs/benchmarks.md): on a file of many countries the table is nearly one row per event.

The import counts the events it added to listed countries once its transaction has given them
their row ids (``refresh``, in a transaction of its own): they are the last row ids, and their
counts are added to the rows with the same keys (the countries' events are not counted again).
``event_days_made`` holds how many events the store held when the table was last brought in
step: a reader uses the table only while that is the number of events held and its countries
are listed (``in_step``), and counts from the events otherwise (a store from before, opened
read-only). A store from before the list counted every country: its counts are dropped when it
is first opened for writing (``store.connect``), and the countries assessed are counted again
when asked for (by the import that opened it, or the worker).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable

import duckdb

from riskatlas.evidence.severity import CONDITIONS, FIGURES

TABLES = f"""
CREATE TABLE IF NOT EXISTS event_days (
    source VARCHAR NOT NULL,
    country_iso3 VARCHAR NOT NULL,
    area_code VARCHAR,
    category VARCHAR NOT NULL,
    event_date DATE NOT NULL,
    sub_type VARCHAR,
    events BIGINT NOT NULL,
    reported BIGINT NOT NULL,
    {", ".join(f"{key} BIGINT NOT NULL" for key, *_ in FIGURES)},
    most INTEGER NOT NULL,
    first_row BIGINT NOT NULL,
    last_row BIGINT NOT NULL,
    first_key VARCHAR
);
-- Added after the table's first version: NULL there, and read as unknown.
ALTER TABLE event_days ADD COLUMN IF NOT EXISTS first_key VARCHAR;
CREATE TABLE IF NOT EXISTS event_days_made (events BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS event_days_countries (country_iso3 VARCHAR NOT NULL);
"""

#: The columns a row of ``event_days`` is grouped by.
KEYS = "source, country_iso3, area_code, category, event_date, sub_type"


def counted(where: str, *, rows: bool = True) -> str:
    """The rows of ``event_days`` counted from the events that satisfy ``where``; without
    ``rows``, no row ids (NULL: ``events`` may be a view, as over Parquet).

    Each event's conditions (``severity.CONDITIONS``) are computed first, in one projection,
    then counted: the same figures as ``severity.FIGURES`` with each text lower-cased once
    (the notes in a projection of their own before it: DuckDB lower-cased them again for each
    condition, about 15 % of the count's CPU time over 2.5 M events)."""
    figures = ", ".join(
        (f"count(*) FILTER (WHERE is_{key})" if key in CONDITIONS else sql) + f" AS {key}"
        for key, sql, *_ in FIGURES
    )
    flags = ", ".join(
        f"({sql.replace(_NOTES, 'notes_lowered')}) AS is_{key}" for key, sql in CONDITIONS.items()
    )
    first, last, key = (
        ("min(row_id)", "max(row_id)", "min(event_key)")
        if rows
        else ("NULL::BIGINT", "NULL::BIGINT", "NULL::VARCHAR")
    )
    row_id = "rowid AS row_id, " if rows else ""
    return (
        f"SELECT {KEYS}, count(*) AS events, count(fatalities) AS reported, {figures},"
        f" max(coalesce(fatalities, 0)) AS most, {first} AS first_row, {last} AS last_row,"
        f" {key} AS first_key FROM (SELECT {KEYS}, {'row_id, ' if rows else ''}event_key,"
        f" event_type, fatalities, {flags}"
        f" FROM (SELECT *, {row_id}{_NOTES} AS notes_lowered FROM events WHERE {where}))"
        " GROUP BY ALL"
    )


#: How ``severity`` reads the notes in its conditions (lower-cased, NULL as empty).
_NOTES = "lower(coalesce(notes, ''))"


#: Read-only connections to a store no one writes meanwhile (``reading.Reading``), and
#: what ``_listing`` found on them, once asked: a page asks it twice.
_unchanging: weakref.WeakKeyDictionary[
    duckdb.DuckDBPyConnection, tuple[bool, frozenset[str]] | None
] = weakref.WeakKeyDictionary()


def unchanging(con: duckdb.DuckDBPyConnection) -> None:
    """Say that ``con`` reads a store that does not change while it is open (attached
    read-only: an import waits meanwhile), so ``in_step`` reads the store once for it."""
    _unchanging[con] = None


def in_step(con: duckdb.DuckDBPyConnection, countries: Iterable[str] = ()) -> bool:
    """Whether ``event_days`` was counted from the events held now and counts every event of
    ``countries`` (ISO alpha-3; False without the table)."""
    known = _unchanging.get(con)
    if known is None:
        known = _listing(con)
        if con in _unchanging:
            _unchanging[con] = known
    made, listed = known
    return made and listed.issuperset(countries)


def _listing(con: duckdb.DuckDBPyConnection) -> tuple[bool, frozenset[str]]:
    """Whether the table was last brought in step with the events held now, and the countries
    it counts."""
    try:
        row = con.execute(
            "SELECT (SELECT count(*) FROM events)"
            " = (SELECT coalesce(max(events), 0) FROM event_days_made),"
            " (SELECT list(country_iso3) FROM event_days_countries)"
        ).fetchone()
    except duckdb.CatalogException:  # a store from before the table, opened read-only
        return False, frozenset()
    if not row:
        return False, frozenset()
    return bool(row[0]), frozenset(row[1] or ())


def listed(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The countries whose events the table counts, in order."""
    return sorted(_listing(con)[1])


def _made(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM event_days_made")
    con.execute("INSERT INTO event_days_made SELECT count(*) FROM events")


def _count(con: duckdb.DuckDBPyConnection, countries: list[str]) -> None:
    """Count every event of ``countries`` afresh (their rows replaced)."""
    con.execute("DELETE FROM event_days WHERE country_iso3 IN ?", [countries])
    con.execute(
        f"INSERT INTO event_days {counted('country_iso3 IN ?')} ORDER BY country_iso3, event_date",
        [countries],
    )


def count_countries(con: duckdb.DuckDBPyConnection, countries: Iterable[str]) -> list[str]:
    """Count the events of ``countries`` (ISO alpha-3) not yet counted, and list them, so
    that readers of those countries read the table from now on (inside the caller's
    transaction; a table out of step is brought in step first). The countries it counted."""
    made, have = _listing(con)
    new = sorted(set(countries) - have)
    if made and not new:
        return []
    if not made:
        recount(con)
    if new:
        _count(con, new)
        con.execute("INSERT INTO event_days_countries SELECT unnest(?::VARCHAR[])", [new])
    _made(con)
    return new


def recount(con: duckdb.DuckDBPyConnection) -> None:
    """Count every event of the listed countries afresh (inside the caller's transaction)."""
    have = listed(con)
    con.execute("DELETE FROM event_days")
    if have:
        _count(con, have)
    _made(con)


def refresh(con: duckdb.DuckDBPyConnection, source: str, countries: list[str], added: int) -> None:
    """After ``added`` events of ``source`` in ``countries`` were written and committed (row ids
    are given at commit): count those of them in listed countries into the table. A table that
    was not in step before them is counted again (its listed countries).

    Events are only ever added, so the new ones are the last ``added`` row ids. When the
    table holds no rows of the source in those countries they are counted straight in;
    otherwise only the new events are counted (``_merge``), not the countries' events again."""
    if not added:
        return
    row = con.execute(
        "SELECT (SELECT coalesce(max(events), 0) FROM event_days_made),"
        " (SELECT count(*) FROM events) - ?",
        [added],
    ).fetchone()
    if not (row and row[0] == row[1]):
        recount(con)
        return
    before = int(row[0])
    have = set(listed(con))
    countries = sorted(have.intersection(countries))
    if not countries:  # nothing listed among them: their events are read from the events
        _made(con)
        return
    new = f"rowid >= {before} AND source = ? AND country_iso3 IN ?"
    last = con.execute("SELECT count(*) FROM events WHERE rowid >= ?", [before]).fetchone()
    if not (last and last[0] == added):  # not the last row ids: count the countries again
        _count(con, countries)
    elif _held(con, source, countries):
        _merge(con, new, [source, countries])
    else:
        con.execute(
            f"INSERT INTO event_days {counted(new)} ORDER BY country_iso3, event_date",
            [source, countries],
        )
    _made(con)


def _held(con: duckdb.DuckDBPyConnection, source: str, countries: list[str]) -> bool:
    """Whether the table holds rows of ``source`` in ``countries``."""
    held = con.execute(
        "SELECT EXISTS (SELECT 1 FROM event_days WHERE source = ? AND country_iso3 IN ?)",
        [source, countries],
    ).fetchone()
    return bool(held and held[0])


#: Two rows of ``event_days`` with the same keys (area and sub-type may be NULL).
_SAME = " AND ".join(f"d.{key} IS NOT DISTINCT FROM n.{key}" for key in KEYS.split(", "))


def _merge(con: duckdb.DuckDBPyConnection, new: str, params: list[object]) -> None:
    """Count the events satisfying ``new`` and add them to the rows of ``event_days`` with
    the same keys (every figure is a sum or a count, ``most`` a maximum, the row ids and
    the least event id span both; a first event id unknown before stays unknown)."""
    sums = ", ".join(
        f"sum({key}) AS {key}" for key in ("events", "reported", *(key for key, *_ in FIGURES))
    )
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE days_added AS {counted(new)}", params)
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE days_merged AS
            SELECT {KEYS}, {sums}, max(most) AS most, min(first_row) AS first_row,
                   max(last_row) AS last_row,
                   CASE WHEN bool_and(first_key IS NOT NULL) THEN min(first_key) END AS first_key
            FROM (SELECT d.* FROM event_days d SEMI JOIN days_added n ON {_SAME}
                  UNION ALL BY NAME SELECT * FROM days_added)
            GROUP BY ALL
            """
        )
        con.execute(f"DELETE FROM event_days d USING days_added n WHERE {_SAME}")
        con.execute(
            "INSERT INTO event_days BY NAME SELECT * FROM days_merged"
            " ORDER BY country_iso3, event_date"
        )
    finally:
        con.execute("DROP TABLE IF EXISTS days_added")
        con.execute("DROP TABLE IF EXISTS days_merged")
