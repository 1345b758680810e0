"""The event import pipeline shared by every event source: read -> map -> insert.

A source describes how to read its file into standard columns (``EventSource``); this module
maps countries, ISO 3166-2 areas and threat categories, and writes events, quarantined rows
and an import log in ONE transaction, so an interrupted import leaves nothing behind and a
repeated one adds nothing (events are keyed by their source's own event id).

The file is never copied whole: the standard columns are a view over DuckDB's reader, and
each step is a pass over that view that keeps only what it needs — the distinct place names
(resolved once each in Python), the distinct points still without an area, the event ids
seen more than once, one tally of rows by outcome (usable, each quarantine reason, repeated
copy) — before one ``INSERT ... SELECT`` streams the usable rows into ``events``. Rows are
numbered in file order only when a step needs it (a repeated id keeps its first copy; a
quarantined row keeps its line in the file). When the store holds no events of the source
yet, the insert skips the check for events already present.
"""

from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from riskatlas.evidence.coverage import Scope, record_coverage, scope_for
from riskatlas.evidence.csv_rows import unsplit_row
from riskatlas.evidence.event_days import refresh as refresh_days
from riskatlas.evidence.import_mapping import (
    _NAME_JOIN,
    _ON_EARTH,
    _find_repeats,
    _first_pass,
    _map_categories,
    _map_places,
)
from riskatlas.evidence.import_mapping import category_table as category_table  # re-exported
from riskatlas.evidence.store import transaction

Step = Callable[[str], None]
#: Called with the share (0 to 1) of the current step's pass over the file done so far.
Advance = Callable[[float], None]

STANDARD_COLUMNS = (
    "event_key", "event_date", "time_precision", "map_key", "map_key2", "map_key3", "disorder",
    "event_type", "sub_type", "country_code", "country_name", "admin1", "location", "latitude",
    "longitude", "geo_precision", "fatalities", "actors", "notes",
)  # fmt: skip


@dataclass(frozen=True)
class EventSource:
    """How to read one upstream event format.

    ``read`` gives a DuckDB table expression over the file (every column as text), given
    the file and a work folder for any conversion (removed after the import);
    ``columns`` gives a SQL expression over that table for each of ``STANDARD_COLUMNS``;
    ``categories`` names the mapping table in ``data/`` (``category`` and the
    ``key_columns`` that ``map_key``, ``map_key2``… are looked up in); ``skip`` is an
    optional SQL condition for rows outside the source's scope, counted with
    ``skip_reason`` in the import log rather than stored.
    """

    name: str
    read: Callable[[Path, Path], str]
    columns: dict[str, str]
    categories: str
    key_columns: tuple[str, ...]
    skip: str | None = None
    skip_reason: str = ""
    describe_key: str = "event type"
    #: The names in the file's header line, read in Python before DuckDB reads the file, so
    #: that a file lacking the source's columns is refused without DuckDB sniffing it (None:
    #: the file has no header line to read so, e.g. a workbook converted by ``read``).
    header: Callable[[Path], list[str] | None] | None = None


@dataclass
class ImportResult:
    source: str
    path: str
    rows_seen: int = 0
    rows_added: int = 0
    rows_rejected: int = 0
    rows_skipped: int = 0
    rows_present: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    rejected_reasons: dict[str, int] = field(default_factory=dict)
    counted: list[str] = field(default_factory=list)
    count_failed: str = ""

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "path": self.path,
            "rows_seen": self.rows_seen,
            "rows_added": self.rows_added,
            "rows_rejected": self.rows_rejected,
            "rows_skipped": self.rows_skipped,
            "rows_already_present": self.rows_present,
            "skipped_reasons": self.skipped_reasons,
            "rejected_reasons": self.rejected_reasons,
        }


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def import_events(
    con: duckdb.DuckDBPyConnection,
    source: EventSource,
    path: Path,
    step: Step | None = None,
    scope: Scope | None = None,
    advance: Advance | None = None,
) -> ImportResult:
    """Import one file of ``source`` events into the store; see the module docstring.

    ``scope`` says whether the file holds every event of its countries and dates (default:
    ``coverage.scope_for(path)``); it is recorded with them in the ``coverage`` table.
    ``step`` is told each step's name as it starts, ``advance`` how far its pass has got."""
    step = step or (lambda _name: None)
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    scope = scope or scope_for(path)
    result = ImportResult(source=source.name, path=str(path))
    with (
        tempfile.TemporaryDirectory(prefix="riskatlas-") as work,
        _query_progress(con, advance),
        transaction(con),
    ):
        try:
            step("reading")
            read = _open_rows(con, source, path, Path(work))
            result.rows_seen, skipped, repeated = _first_pass(con, path, source)

            step("mapping countries, areas and threat categories")
            _map_places(con)
            _map_categories(con, source)
            repeats = _find_repeats(con, repeated)
            rows = "import_numbered" if repeats else "import_rows"
            con.execute(f"CREATE OR REPLACE TEMP VIEW import_resolved AS {_resolved(source, rows)}")

            step("counting")
            if repeats or not _tally_from_groups(con, source):
                _tally_in_one_pass(con)
            usable = _count(con, source, result, skipped)

            step("writing")
            result.rows_added = _write_events(con, source, usable)
            countries = [r[0] for r in con.execute(_ADDED_TO).fetchall()]

            step("quarantining unmappable rows")
            _quarantine_rejected(con, source, read, path)
            result.rows_present = (
                result.rows_seen - result.rows_added - result.rows_rejected - result.rows_skipped
            )
            log_import(con, result)
            record_coverage(
                con, source.name, path, scope,
                "(SELECT iso3, first AS event_date FROM import_tally WHERE reason IS NULL"
                " UNION ALL SELECT iso3, last FROM import_tally WHERE reason IS NULL)",
            )  # fmt: skip
        finally:
            _drop_work_tables(con)
    # Counted by day once the events have their row ids (given at commit); until then the
    # counts are not in step and readers count from the events (``event_days.in_step``).
    with transaction(con):
        refresh_days(con, source.name, countries, result.rows_added)
    return result


_ADDED_TO = "SELECT DISTINCT iso3 FROM import_tally WHERE reason IS NULL AND copy = 1"


@contextmanager
def _query_progress(con: duckdb.DuckDBPyConnection, advance: Advance | None) -> Iterator[None]:
    """While the block runs, tell ``advance`` how far DuckDB has got with the running query
    (polled from a thread; DuckDB's own progress bar stays off)."""
    if advance is None:
        yield
        return
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    stop = threading.Event()

    def watch() -> None:
        while not stop.wait(0.2):
            share = con.query_progress()
            if share >= 0:
                advance(min(share, 100.0) / 100)

    watcher = threading.Thread(target=watch, name="import-progress", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        stop.set()
        watcher.join()
        con.execute("RESET enable_progress_bar")
        con.execute("RESET enable_progress_bar_print")


_VIEWS = ("import_resolved", "import_numbered", "import_rows")
_TABLES = (
    "import_groups",
    "import_tally",
    "import_rejected",
    "repeated",
    "category_map",
    "point_map",
    "name_map",
)


def _drop_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Remove the import's temporary views and tables (also after a failure: a long-lived
    connection must not keep them)."""
    try:
        for view in _VIEWS:
            con.execute(f"DROP VIEW IF EXISTS {view}")
        for table in _TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
    except duckdb.Error:  # the transaction failed: its temporary objects go with the rollback
        pass


def _open_rows(con: duckdb.DuckDBPyConnection, source: EventSource, path: Path, work: Path) -> str:
    """The views ``import_rows`` (the standard columns of every row, and whether the source
    skips it) and ``import_numbered`` (the same with ``record``, the row's number in the
    file); returns the reader's table expression. Nothing is read beyond DuckDB's sniffing."""
    names = source.header(path) if source.header else None
    if names is not None:
        missing = _missing_columns(con, source, {name.lower() for name in names})
        if missing:
            raise ValueError(
                f"{path}: line 1: missing {source.name} column(s) {', '.join(map(repr, missing))}"
            )
    read = source.read(path, work)
    try:
        present = {
            name.lower() for name, *_ in con.execute(f"DESCRIBE SELECT * FROM {read}").fetchall()
        }
    except duckdb.Error as exc:  # the file cannot be parsed: DuckDB names the line and column
        raise ValueError(f"{path}: cannot be read as {source.name}: {exc}") from exc
    missing = _missing_columns(con, source, present)
    if missing and names is not None:  # line 1 has them: the rows do not split as it does
        where = unsplit_row(path)
        line, why = where if where else (2, "its rows do not split into them")
        raise ValueError(
            f"{path}: line {line}: this row does not split into the columns of line 1: {why}"
        )
    if missing:
        raise ValueError(f"{path}: missing {source.name} column(s) {', '.join(map(repr, missing))}")
    select = ", ".join(f"{source.columns.get(c, 'NULL')} AS {c}" for c in STANDARD_COLUMNS)
    skip = source.skip or "false"
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW import_rows AS"
        f" SELECT {select}, ({skip}) AS skipped FROM {read}"
    )
    # row_number() over the reader in file order is a streaming window: no copy, one thread.
    con.execute(
        "CREATE OR REPLACE TEMP VIEW import_numbered AS"
        " SELECT row_number() OVER () AS record, * FROM import_rows"
    )
    return read


def _missing_columns(
    con: duckdb.DuckDBPyConnection, source: EventSource, present: set[str]
) -> list[str]:
    """The columns ``source``'s expressions read that the file lacks. DuckDB's parser names
    the columns (nothing is run, so a missing one cannot abort the transaction)."""
    wanted: list[str] = []
    for expression in source.columns.values():
        row = con.execute("SELECT json_serialize_sql(?)", [f"SELECT {expression}"]).fetchone()
        wanted.extend(_column_refs(json.loads(row[0]) if row else {}))
    return list(dict.fromkeys(c for c in wanted if c.lower() not in present))


def _column_refs(node: object) -> list[str]:
    """The column names in a parsed SQL tree (``json_serialize_sql``)."""
    if isinstance(node, dict):
        found = [str(node["column_names"][-1])] if node.get("class") == "COLUMN_REF" else []
        return found + [c for value in node.values() for c in _column_refs(value)]
    if isinstance(node, list):
        return [c for value in node for c in _column_refs(value)]
    return []


def _resolved(source: EventSource, rows: str) -> str:
    """Each row in scope of ``rows`` (a view of the standard columns) with its place and
    category, the reason it cannot be used (NULL when it can) and ``copy`` (2 for a later
    copy of a repeated event id)."""
    numbered = rows == "import_numbered"
    copy = "CASE WHEN d.first IS NULL OR d.first = s.record THEN 1 ELSE 2 END" if numbered else "1"
    repeated = "LEFT JOIN repeated d ON d.event_key = s.event_key" if numbered else ""
    record = "s.record" if numbered else "NULL::BIGINT"
    category = "coalesce(c1.category, c2.category, c3.category)"
    return f"""
        SELECT s.* EXCLUDE (skipped{", record" if numbered else ""}), {record} AS record,
               coalesce(n.iso3, p.iso3) AS iso3,
               coalesce(n.area_code, CASE WHEN n.iso3 IS NULL OR n.iso3 = p.iso3
                                          THEN p.area_code END) AS area_code,
               CASE WHEN n.area_code IS NOT NULL THEN n.area_method
                    WHEN p.area_code IS NOT NULL AND (n.iso3 IS NULL OR n.iso3 = p.iso3)
                         THEN 'coordinates'
                    ELSE 'none' END AS area_method,
               {category} AS category,
               CASE
                 WHEN s.event_key IS NULL OR trim(s.event_key) = '' THEN 'no event id'
                 WHEN s.event_date IS NULL THEN 'no valid date'
                 WHEN NOT (coalesce(s.latitude, 0) BETWEEN -90 AND 90
                           AND coalesce(s.longitude, 0) BETWEEN -180 AND 180)
                      THEN 'coordinates out of range: ' || s.latitude || ', ' || s.longitude
                 WHEN coalesce(n.iso3, p.iso3) IS NULL THEN 'country not recognised: '
                      || coalesce(s.country_name, s.country_code, '(empty)')
                 WHEN {category} IS NULL
                      THEN {_sql_text(source.describe_key)} || ' not in the mapping table: '
                      || coalesce(s.map_key, '(empty)')
               END AS reason,
               {copy} AS copy
        FROM {rows} s
        {_NAME_JOIN}
        LEFT JOIN point_map p ON n.area_code IS NULL AND {_ON_EARTH}
             AND p.lat = round(s.latitude, 3) AND p.lon = round(s.longitude, 3)
        LEFT JOIN category_map c1 ON c1.key = s.map_key
        LEFT JOIN category_map c2 ON c2.key = s.map_key2
        LEFT JOIN category_map c3 ON c3.key = s.map_key3
        {repeated}
        WHERE NOT s.skipped
    """


def _tally_in_one_pass(con: duckdb.DuckDBPyConnection) -> None:
    """``import_tally``: every row in scope counted by outcome (reason, copy, country, with the
    first and last date) in ONE pass over the resolved rows."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE import_tally AS SELECT reason, copy, iso3, count(*) AS n,"
        " min(event_date) AS first, max(event_date) AS last FROM import_resolved GROUP BY ALL"
    )


def _tally_from_groups(con: duckdb.DuckDBPyConnection, source: EventSource) -> bool:
    """``import_tally`` from the first pass's groups, without reading the file again, when
    every group's outcome follows from what it was grouped by: not when a row in scope has
    coordinates off the earth (the reason quotes them) or a country only its point can give.
    Whether it could (the caller then counts in one pass over the file)."""
    decided = con.execute(
        """
        SELECT count(*) = 0 FROM import_groups g
        LEFT JOIN name_map n ON n.country_code IS NOT DISTINCT FROM g.country_code
             AND n.country_name IS NOT DISTINCT FROM g.country_name
             AND n.admin1 IS NOT DISTINCT FROM g.admin1
        WHERE g.by_place = 1 AND g.used > 0 AND NOT g.no_key AND NOT g.no_date
          AND (g.off_earth OR n.iso3 IS NULL)
        """
    ).fetchone()
    if not (decided and decided[0]):
        return False
    category = "coalesce(c1.category, c2.category, c3.category)"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE import_tally AS
        SELECT CASE
                 WHEN g.no_key THEN 'no event id'
                 WHEN g.no_date THEN 'no valid date'
                 WHEN {category} IS NULL
                      THEN {_sql_text(source.describe_key)} || ' not in the mapping table: '
                      || coalesce(g.map_key, '(empty)')
               END AS reason,
               1 AS copy, n.iso3, sum(g.used) AS n, min(g.first) AS first, max(g.last) AS last
        FROM import_groups g
        LEFT JOIN name_map n ON n.country_code IS NOT DISTINCT FROM g.country_code
             AND n.country_name IS NOT DISTINCT FROM g.country_name
             AND n.admin1 IS NOT DISTINCT FROM g.admin1
        LEFT JOIN category_map c1 ON c1.key = g.map_key
        LEFT JOIN category_map c2 ON c2.key = g.map_key2
        LEFT JOIN category_map c3 ON c3.key = g.map_key3
        WHERE g.by_place = 1 AND g.used > 0
        GROUP BY ALL
        """
    )
    return True


def _count(
    con: duckdb.DuckDBPyConnection, source: EventSource, result: ImportResult, skipped: int
) -> int:
    """Fill the result's counts from ``import_tally``; how many rows are usable (first copies
    without a reason)."""
    # Most frequent first; equal counts by reason, so the same file always reads the same.
    for reason, n in con.execute(
        "SELECT reason, sum(n) FROM import_tally WHERE reason IS NOT NULL AND copy = 1"
        " GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall():
        result.rejected_reasons[reason] = int(n)
    result.rows_rejected = sum(result.rejected_reasons.values())
    duplicates = _scalar(con, "SELECT sum(n) FROM import_tally WHERE copy > 1")
    if skipped:
        result.skipped_reasons[source.skip_reason] = skipped
    if duplicates:
        result.skipped_reasons["event id repeated within the file (first copy kept)"] = duplicates
    result.rows_skipped = skipped + duplicates
    return _scalar(con, "SELECT sum(n) FROM import_tally WHERE reason IS NULL AND copy = 1")


def _write_events(con: duckdb.DuckDBPyConnection, source: EventSource, usable: int) -> int:
    """Stream the usable rows (first copies) into ``events``; how many were added. When the
    store has events of this source, those already stored are left as they are (an anti-join
    on the event id finds them: ``events`` has no key); when it has none, nothing is checked."""
    if not usable:
        return 0
    stored = con.execute("SELECT 1 FROM events WHERE source = ? LIMIT 1", [source.name]).fetchone()
    held = (
        " AND NOT EXISTS (SELECT 1 FROM events e WHERE e.source = ? AND e.event_key = r.event_key)"
        if stored
        else ""
    )
    row = con.execute(
        f"""
        INSERT INTO events
        SELECT ?, event_key, event_date, time_precision, category, disorder, event_type,
               sub_type, iso3, area_code, area_method, admin1, location, latitude,
               longitude, geo_precision, fatalities, actors, notes
        FROM import_resolved r WHERE reason IS NULL AND copy = 1{held}
        """,
        [source.name, source.name] if stored else [source.name],
    ).fetchone()
    return int(row[0]) if row else 0


def _quarantine_rejected(
    con: duckdb.DuckDBPyConnection, source: EventSource, read: str, path: Path
) -> None:
    """Keep unusable rows (first copies) in quarantine, once, each whole with the reason and
    its line in the file (``record``; a workbook's row for XLSX), keyed by its event id or,
    lacking one, ``FILE:LINE``."""
    if not _scalar(con, "SELECT count(*) FROM import_tally WHERE reason IS NOT NULL AND copy = 1"):
        return
    # The resolved view numbers rows only when ids repeat; here they must be numbered.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE import_rejected AS SELECT record, event_key, reason FROM ("
        + _resolved(source, "import_numbered")
        + ") WHERE reason IS NOT NULL AND copy = 1"
    )
    columns = [name for name, *_ in con.execute(f"DESCRIBE SELECT * FROM {read}").fetchall()]
    if path.suffix.lower() in {".xlsx", ".xlsm"}:  # a workbook's rows, header first
        line = "1 + row_number() OVER ()"
    else:  # the line a row starts on: the header, earlier rows, and newlines inside fields
        newlines = " + ".join(
            f"coalesce(length(t.{_quoted(c)}) - length(replace(t.{_quoted(c)}, chr(10), '')), 0)"
            for c in columns
        )
        line = (
            f"1 + row_number() OVER () + sum({newlines}) OVER (ROWS UNBOUNDED PRECEDING)"
            f" - ({newlines})"
        )
    key = f"coalesce(nullif(trim(r.event_key), ''), {_sql_text(path.name)} || ':' || w.line)"
    con.execute(
        f"""
        INSERT OR IGNORE INTO quarantine
        SELECT ?, {key}, w.line, r.reason, to_json(w.raw)::VARCHAR, ?
        FROM (SELECT row_number() OVER () AS record, {line} AS line, t AS raw FROM {read} t) w
        JOIN import_rejected r ON r.record = w.record
        """,
        [source.name, str(path)],
    )


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def log_import(con: duckdb.DuckDBPyConnection, result: ImportResult) -> None:
    reasons = "; ".join(f"{k}: {v}" for k, v in result.skipped_reasons.items())
    con.execute(
        "INSERT INTO imports (source, path, rows_seen, rows_added, rows_rejected, rows_skipped,"
        " skipped_reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            result.source,
            result.path,
            result.rows_seen,
            result.rows_added,
            result.rows_rejected,
            result.rows_skipped,
            reasons or None,
        ],
    )


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    row = con.execute(sql, params or []).fetchone()
    return int(row[0]) if row and row[0] is not None else 0
