"""The evidence store: one DuckDB file holding events, indicators, advice and quarantine."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from riskatlas.config import events_db
from riskatlas.evidence.event_days import TABLES, in_step, recount

# Events are unique by (source, event_key): the import keeps a file's repeated ids and the
# events already held out itself, so the table carries no key for DuckDB to check row by row
# (that check doubled the import's writing; docs/benchmarks.md). Stores made with the key lose
# it when first opened for writing (``_upgrade``).
EVENTS = """
CREATE TABLE IF NOT EXISTS events (
    source VARCHAR NOT NULL,
    event_key VARCHAR NOT NULL,
    event_date DATE NOT NULL,
    time_precision INTEGER,
    category VARCHAR NOT NULL,
    disorder VARCHAR,
    event_type VARCHAR,
    sub_type VARCHAR,
    country_iso3 VARCHAR NOT NULL,
    area_code VARCHAR,
    area_method VARCHAR,
    admin1 VARCHAR,
    location VARCHAR,
    latitude DOUBLE,
    longitude DOUBLE,
    geo_precision INTEGER,
    fatalities INTEGER,
    actors VARCHAR,
    notes VARCHAR
);
"""

SCHEMA = (
    EVENTS
    + TABLES
    + """
CREATE TABLE IF NOT EXISTS quarantine (
    source VARCHAR NOT NULL,
    row_key VARCHAR NOT NULL,
    record INTEGER,
    reason VARCHAR NOT NULL,
    raw VARCHAR,
    path VARCHAR,
    PRIMARY KEY (source, row_key)
);
CREATE TABLE IF NOT EXISTS indicators (
    source VARCHAR NOT NULL,
    indicator VARCHAR NOT NULL,
    area_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    value DOUBLE NOT NULL,
    PRIMARY KEY (source, indicator, area_code, year)
);
CREATE TABLE IF NOT EXISTS advisories (
    government VARCHAR NOT NULL,
    country_iso3 VARCHAR NOT NULL,
    level INTEGER,
    level_text VARCHAR,
    updated VARCHAR,
    url VARCHAR,
    summary VARCHAR,
    PRIMARY KEY (government, country_iso3)
);
CREATE TABLE IF NOT EXISTS advisory_areas (
    government VARCHAR NOT NULL,
    country_iso3 VARCHAR NOT NULL,
    ordinal INTEGER NOT NULL,
    level INTEGER,
    area VARCHAR NOT NULL,
    area_code VARCHAR,
    reason VARCHAR,
    PRIMARY KEY (government, country_iso3, ordinal)
);
-- Added after the first release: an existing store gains them on open.
ALTER TABLE advisory_areas ADD COLUMN IF NOT EXISTS text VARCHAR;
ALTER TABLE advisory_areas ADD COLUMN IF NOT EXISTS note VARCHAR;
ALTER TABLE advisory_areas ADD COLUMN IF NOT EXISTS place BOOLEAN DEFAULT false;
CREATE TABLE IF NOT EXISTS imports (
    source VARCHAR NOT NULL,
    path VARCHAR,
    finished TIMESTAMP DEFAULT current_timestamp,
    rows_seen BIGINT,
    rows_added BIGINT,
    rows_rejected BIGINT,
    rows_skipped BIGINT,
    skipped_reason VARCHAR
);
CREATE TABLE IF NOT EXISTS hazards (
    source VARCHAR NOT NULL,
    hazard_key VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    alert VARCHAR,
    event_date DATE NOT NULL,
    title VARCHAR NOT NULL,
    country_iso3 VARCHAR,
    area_code VARCHAR,
    countries VARCHAR[],
    latitude DOUBLE,
    longitude DOUBLE,
    magnitude DOUBLE,
    url VARCHAR,
    updated VARCHAR,
    PRIMARY KEY (source, hazard_key)
);
CREATE TABLE IF NOT EXISTS changes (
    change_key VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    country_iso3 VARCHAR,
    area_code VARCHAR,
    area_name VARCHAR,
    countries VARCHAR[],
    before_level INTEGER,
    after_level INTEGER,
    before_text VARCHAR,
    after_text VARCHAR,
    direction VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    url VARCHAR,
    observed DATE,
    recorded TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS coverage (
    source VARCHAR NOT NULL,
    path VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    basis VARCHAR NOT NULL,
    countries VARCHAR[],
    first_date DATE,
    last_date DATE,
    recorded TIMESTAMP DEFAULT current_timestamp,
    PRIMARY KEY (source, path)
);
"""
)


def events_db_path() -> Path:
    """Where the evidence store lives: ``$RISKATLAS_EVENTS_DB``, else ``events.duckdb`` in the
    one home of all riskatlas data (``$RISKATLAS_HOME``, default ``~/.local/share/riskatlas``,
    beside the SQLite database)."""
    return events_db()


DEFAULT_MEMORY = "512MB"
_MEMORY = re.compile(r"\d+(?:\.\d+)?\s*(?:[KMGT]i?B)", re.IGNORECASE)


def memory_limit() -> str:
    """How much memory DuckDB may hold before it spills to disk beside the store:
    ``$RISKATLAS_EVIDENCE_MEMORY`` (e.g. ``2GB``), default 512 MB. Unlimited, a 2.5-million-row
    ACLED import held 3.1 GB; within 512 MB it takes about a third longer (docs/benchmarks.md).
    """
    value = os.environ.get("RISKATLAS_EVIDENCE_MEMORY", DEFAULT_MEMORY).strip()
    if not _MEMORY.fullmatch(value):
        raise ValueError(
            f"RISKATLAS_EVIDENCE_MEMORY: {value!r} is not an amount of memory such as 512MB or 2GB"
        )
    return value


class StoreBusy(Exception):
    """Another process (an import, usually) holds the evidence store; try again later."""


@contextmanager
def busy_when_locked(path: Path, waited: float = 0.0) -> Iterator[None]:
    """Opening or attaching the store at ``path`` in the block: DuckDB's refusal because another
    process holds the file's lock, or another thread of this process holds it open in a way
    that excludes this one (a writer beside a page's reading: "Unique file handle conflict"),
    becomes ``StoreBusy`` (saying how long it was ``waited`` for); any other error is left as
    it is."""
    try:
        yield
    except duckdb.Error as exc:
        text = str(exc).lower()
        if "file handle conflict" in text:
            holder = "another thread of this process (a page reading it, or a worker writing it)"
        elif isinstance(exc, duckdb.IOException) and "lock" in text:
            holder = "another process (an import, or a page reading it)"
        else:
            raise
        after = f"; still in use after {waited:g} s" if waited else ""
        raise StoreBusy(
            f"{path}: the evidence store is in use by {holder}{after}; try again when it has"
            " finished"
        ) from exc


#: How long an import waits for the store when another process holds it (a page reading it,
#: usually, for well under a second) before it gives up with ``StoreBusy``.
IMPORT_WAIT = 5.0


def connect(
    path: str | Path | None = None, *, read_only: bool = False, wait: float = 0.0
) -> duckdb.DuckDBPyConnection:
    """Open the evidence store (creating it and its tables unless ``read_only``).

    DuckDB lets one process write a file at a time, and none write while others read it:
    while another process holds the store, this tries again for ``wait`` seconds, then
    raises ``StoreBusy``.
    """
    db = Path(path) if path is not None else events_db_path()
    if read_only and not db.exists():
        raise FileNotFoundError(f"{db}: no evidence store yet; run `riskatlas data import`")
    deadline = time.monotonic() + wait
    while True:
        try:
            with busy_when_locked(db, wait):
                con = _open(db, read_only)
            break
        except StoreBusy:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.1)
    if read_only:
        return con
    unlisted = _counted_unlisted(con)
    con.execute(SCHEMA)
    _upgrade(con, unlisted)
    return con


def _counted_unlisted(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store counts events by day without listing its countries (a store from
    before the list, which counted every country)."""
    tables = {
        name
        for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            " AND schema_name = 'main'"
        ).fetchall()
    }
    return "event_days" in tables and "event_days_countries" not in tables


def _open(db: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    config: dict[str, str | bool | int | float | list[str]] = {"memory_limit": memory_limit()}
    if read_only:
        return duckdb.connect(str(db), read_only=True, config=config)
    db.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(db), config=config)


def _upgrade(con: duckdb.DuckDBPyConnection, unlisted: bool = False) -> None:
    """Bring a store made by an earlier release up to date: ``events`` without its key, the
    counts by day of a table from before the list of countries counted (every country's:
    ``unlisted``) dropped — the countries assessed are counted again when asked for — and the
    events of the listed countries counted by day again when they are not in step."""
    if unlisted:
        with transaction(con):
            con.execute("DELETE FROM event_days")
    keyed = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE database_name = current_database()"
        " AND schema_name = 'main' AND table_name = 'events' AND constraint_type = 'PRIMARY KEY'"
    ).fetchone()
    if keyed and keyed[0]:
        with transaction(con):
            con.execute(EVENTS.replace("events (", "events_unkeyed (", 1))
            con.execute("INSERT INTO events_unkeyed BY NAME SELECT * FROM events")
            con.execute("DROP TABLE events")
            con.execute("ALTER TABLE events_unkeyed RENAME TO events")
            con.execute("DELETE FROM event_days_made")  # new row ids: counted again below
    if not in_step(con):
        with transaction(con):
            recount(con)


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit when the block ends, roll back on any exception."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
