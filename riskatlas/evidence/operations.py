"""The store operations behind ``riskatlas data`` and ``riskatlas baseline``, as plain calls.

Each opens the evidence store for its own duration and closes it; the command line only parses
arguments, shows progress and prints (``riskatlas/commands/data.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb

from riskatlas.evidence.baseline import baseline_index, baseline_scores, scores_csv
from riskatlas.evidence.catalogue import import_file, status
from riskatlas.evidence.coverage import Scope
from riskatlas.evidence.event_days import count_countries, in_step
from riskatlas.evidence.importing import Advance, ImportResult, Step
from riskatlas.evidence.store import IMPORT_WAIT, connect, events_db_path, transaction

log = logging.getLogger(__name__)

#: The quarantined rows an import lists by line (``import_into_store``); the counts cover all.
QUARANTINE_SHOWN = 200


def store_path(db: str | Path | None = None) -> Path:
    """The evidence store: ``db`` when given, else the configured one (``events_db_path``)."""
    return Path(db) if db is not None else events_db_path()


def download_path(source: str, db: str | Path | None = None) -> Path:
    """Where ``data import SOURCE --fetch`` saves the download when no PATH is given: the
    ``downloads`` folder beside the store."""
    return store_path(db).parent / "downloads" / f"{source}.json"


def import_into_store(
    source: str,
    path: Path,
    db: str | Path | None = None,
    step: Step | None = None,
    scope: Scope | None = None,
    advance: Advance | None = None,
    quarantined: list[tuple[int | None, str]] | None = None,
    count: Iterable[str] | Callable[[], Iterable[str]] = (),
) -> ImportResult:
    """Import ``path`` as ``source`` into the store (created if new), all or nothing; ``scope``
    (event sources) records whether the file is a full extract or a sample, ``advance`` is told
    how far each step's pass over the file has got. ``quarantined``, when given, receives the
    file's quarantined rows as (line, reason), first lines first (at most QUARANTINE_SHOWN).
    ``count``: countries (ISO alpha-3) whose events the pages read, or a function giving them
    (asked once the import has committed), counted by day if they are not yet
    (``event_days.count_countries``; countries already counted are kept in step by the import
    itself). The count does not undo the import: when it fails, the result's ``count_failed``
    says why (the pages count from the events, and the worker's refresh counts them later);
    ``counted`` names the countries it counted.

    Raises ``StoreBusy`` when another process still holds the store after ``IMPORT_WAIT``
    seconds (a page's read ends well before), FileNotFoundError or
    ValueError for a missing file or unknown source, and DuckDB's own errors (which name the
    file, line and column) for a file it cannot parse."""
    con = connect(store_path(db), wait=IMPORT_WAIT)
    try:
        result = import_file(con, source, path, step, scope=scope, advance=advance)
        _count_after(con, result, count, step)
        if quarantined is not None:
            quarantined.extend(
                (None if line is None else int(line), str(reason))
                for line, reason in con.execute(
                    "SELECT record, reason FROM quarantine WHERE source = ? AND path = ?"
                    " ORDER BY record NULLS LAST LIMIT ?",
                    [source, str(path), QUARANTINE_SHOWN],
                ).fetchall()
            )
        return result
    finally:
        con.close()


def _count_after(
    con: duckdb.DuckDBPyConnection,
    result: ImportResult,
    count: Iterable[str] | Callable[[], Iterable[str]],
    step: Step | None,
) -> None:
    """Count by day the countries ``count`` gives, after the import committed (see
    ``import_into_store``); a failure is kept on the result, not raised."""
    if not callable(count) and not count:
        return
    result.counted, result.count_failed = [], ""
    try:
        wanted = list(count() if callable(count) else count)
        if wanted:
            result.counted = _count_out_of_step(con, wanted, step)
    except Exception as exc:  # the import stands; the pages count from the events meanwhile
        log.warning("%s: imported, but not counted by day: %s", result.path, exc)
        result.count_failed = str(exc)


def _count_out_of_step(
    con: duckdb.DuckDBPyConnection, wanted: list[str], step: Step | None = None
) -> list[str]:
    """Count by day on ``con`` those of ``wanted`` not yet counted, in a transaction, unless
    the counts are in step for them already (``step`` told before counting); the countries
    counted."""
    if in_step(con, wanted):
        return []
    if step:
        step("counting by day the countries assessed")
    with transaction(con):
        return count_countries(con, wanted)


def store_status(db: str | Path | None = None) -> tuple[Path, list[dict[str, object]]]:
    """The store and, per source, rows loaded and rejected, date range and last import (no rows
    when the store does not exist yet; it is not created)."""
    store = store_path(db)
    if not store.exists():
        return store, []
    con = connect(store, read_only=True)
    try:
        return store, status(con)
    finally:
        con.close()


def existing_store(db: str | Path | None = None) -> Path:
    """The store, which must exist (FileNotFoundError saying how to make one otherwise)."""
    store = store_path(db)
    if not store.exists():
        raise FileNotFoundError(f"{store}: no evidence store yet; run `riskatlas data import`")
    return store


def baseline_csv(db: str | Path | None = None) -> str:
    """The country baseline as ``iso3,score,<domain scores>`` CSV text (10 = worst)."""
    store = existing_store(db)
    index = baseline_index()
    return scores_csv(baseline_scores(store, index), index.domains)


def count_by_day(
    countries: Iterable[str], db: str | Path | None = None, wait: float = 0.0
) -> list[str]:
    """Count by day the events of ``countries`` (ISO alpha-3) in the store, those not yet
    counted (``event_days.count_countries``): the pages of those countries then read the
    counts. Returns the countries counted now; nothing when the store does not exist yet.
    Raises ``StoreBusy`` when another process holds the store after ``wait`` seconds."""
    store = store_path(db)
    wanted = list(countries)
    if not store.exists() or not wanted:
        return []
    # Asked first without writing (opened for writing, the store's files change), and not
    # waited for: only an import holds the store so, and it keeps counted countries in step.
    con = connect(store, read_only=True)
    try:
        if in_step(con, wanted):
            return []
    finally:
        con.close()
    con = connect(store, wait=wait)
    try:
        return _count_out_of_step(con, wanted)
    finally:
        con.close()
