"""The event import pipeline shared by every event source: stage, map, then write at once.

A source describes how to read its file into standard columns (``EventSource``); this module
maps countries, ISO 3166-2 areas and threat categories, and writes events, quarantined rows
and an import log in ONE transaction, so an interrupted import leaves nothing behind and a
repeated one adds nothing (events are keyed by their source's own event id).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from riskatlas.evidence._data import load_table
from riskatlas.evidence.areas import area_from_name, areas_from_coordinates, country_iso3
from riskatlas.evidence.coverage import Scope, record_coverage, scope_for
from riskatlas.evidence.store import transaction
from riskatlas.method import default_taxonomy

Step = Callable[[str], None]

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


def category_table(name: str, key_columns: tuple[str, ...]) -> list[tuple[str, str]]:
    """The (source key, category code) pairs of a mapping table, checked against the taxonomy."""
    taxonomy = default_taxonomy()
    pairs = []
    for row in load_table(name):
        code = row["category"].strip()
        for column in key_columns:
            if code not in taxonomy:
                raise ValueError(f"{name}: {row[column]!r} maps to unknown category {code!r}")
            pairs.append((row[column].strip(), code))
    return pairs


def import_events(
    con: duckdb.DuckDBPyConnection,
    source: EventSource,
    path: Path,
    step: Step | None = None,
    scope: Scope | None = None,
) -> ImportResult:
    """Import one file of ``source`` events into the store; see the module docstring.

    ``scope`` says whether the file holds every event of its countries and dates (default:
    ``coverage.scope_for(path)``); it is recorded with them in the ``coverage`` table."""
    step = step or (lambda _name: None)
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    scope = scope or scope_for(path)
    result = ImportResult(source=source.name, path=str(path))
    with tempfile.TemporaryDirectory(prefix="riskatlas-") as work, transaction(con):
        step("reading")
        result.rows_seen = _stage_rows(con, source, path, Path(work))

        step("mapping countries and areas")
        _map_places(con)

        step("mapping threat categories")
        _map_categories(con, source)
        _resolve_rows(con, source)

        step("writing")
        result.rows_added = _write_events(con, source)
        step("quarantining unmappable rows")
        _quarantine_rejected(con, source, path, result)
        _count_skipped(con, source, result)
        result.rows_present = (
            result.rows_seen - result.rows_added - result.rows_rejected - result.rows_skipped
        )
        log_import(con, result)
        record_coverage(
            con, source.name, path, scope,
            "(SELECT iso3, event_date FROM resolved WHERE reason IS NULL)",
        )  # fmt: skip
        for table in ("raw_rows", "staged", "place_map", "category_map", "repeated", "resolved"):
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return result


def _stage_rows(con: duckdb.DuckDBPyConnection, source: EventSource, path: Path, work: Path) -> int:
    """Read the file into ``raw_rows`` and its standard columns into ``staged``; count them."""
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE raw_rows AS "
            f"SELECT row_number() OVER () AS record, * FROM {source.read(path, work)}"
        )
    except duckdb.Error as exc:  # the file cannot be parsed: DuckDB names the line and column
        raise ValueError(f"{path}: cannot be read as {source.name}: {exc}") from exc
    missing = _missing_columns(con, source)
    if missing:
        raise ValueError(f"{path}: missing {source.name} column(s) {', '.join(map(repr, missing))}")
    select = ", ".join(f"{source.columns.get(c, 'NULL')} AS {c}" for c in STANDARD_COLUMNS)
    skip = source.skip or "false"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE staged AS "
        f"SELECT record, {select}, ({skip}) AS skipped FROM raw_rows"
    )
    return _scalar(con, "SELECT count(*) FROM staged")


def _missing_columns(con: duckdb.DuckDBPyConnection, source: EventSource) -> list[str]:
    """The columns ``source``'s expressions read that ``raw_rows`` lacks. DuckDB's parser names
    the columns (nothing is run, so a missing one cannot abort the transaction)."""
    present = {name.lower() for name, *_ in con.execute("DESCRIBE raw_rows").fetchall()}
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


def _insert(con: duckdb.DuckDBPyConnection, sql: str, rows: Sequence[Sequence[object]]) -> None:
    """``executemany`` that accepts no rows (a file of headers only has none)."""
    if rows:
        con.executemany(sql, rows)


def _map_categories(con: duckdb.DuckDBPyConnection, source: EventSource) -> None:
    """Load the source's mapping table into ``category_map``; note repeated event ids."""
    pairs = category_table(source.categories, source.key_columns)
    con.execute("CREATE OR REPLACE TEMP TABLE category_map (key VARCHAR, category VARCHAR)")
    _insert(con, "INSERT INTO category_map VALUES (?, ?)", pairs)
    # Repeated event ids within the file: the first copy counts, later ones are skipped.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE repeated AS SELECT event_key, min(record) AS first"
        " FROM staged WHERE NOT skipped GROUP BY 1 HAVING count(*) > 1"
    )


def _resolve_rows(con: duckdb.DuckDBPyConnection, source: EventSource) -> None:
    """``resolved``: each row in scope with its place and category, or why it cannot be used."""
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE resolved AS
        SELECT s.*, p.iso3, p.area_code, p.area_method,
               coalesce(c1.category, c2.category, c3.category) AS category,
               CASE
                 WHEN s.event_key IS NULL OR trim(s.event_key) = '' THEN 'no event id'
                 WHEN s.event_date IS NULL THEN 'no valid date'
                 WHEN NOT (coalesce(s.latitude, 0) BETWEEN -90 AND 90
                           AND coalesce(s.longitude, 0) BETWEEN -180 AND 180)
                      THEN 'coordinates out of range: ' || s.latitude || ', ' || s.longitude
                 WHEN p.iso3 IS NULL THEN 'country not recognised: '
                      || coalesce(s.country_name, s.country_code, '(empty)')
                 WHEN coalesce(c1.category, c2.category, c3.category) IS NULL
                      THEN {_sql_text(source.describe_key)} || ' not in the mapping table: '
                      || coalesce(s.map_key, '(empty)')
               END AS reason,
               CASE WHEN d.first IS NULL OR d.first = s.record THEN 1 ELSE 2 END AS copy
        FROM staged s
        LEFT JOIN repeated d ON d.event_key = s.event_key
        LEFT JOIN place_map p ON p.record = s.record
        LEFT JOIN category_map c1 ON c1.key = s.map_key
        LEFT JOIN category_map c2 ON c2.key = s.map_key2
        LEFT JOIN category_map c3 ON c3.key = s.map_key3
        WHERE NOT s.skipped
        """
    )


def _write_events(con: duckdb.DuckDBPyConnection, source: EventSource) -> int:
    """Add the usable rows not already stored (first copy only); how many were added."""
    before = _scalar(con, "SELECT count(*) FROM events WHERE source = ?", [source.name])
    con.execute(
        """
        INSERT INTO events
        SELECT ?, event_key, event_date, time_precision, category, disorder, event_type,
               sub_type, iso3, area_code, area_method, admin1, location, latitude,
               longitude, geo_precision, fatalities, actors, notes
        FROM resolved r
        WHERE reason IS NULL AND copy = 1 AND NOT EXISTS (
            SELECT 1 FROM events e WHERE e.source = ? AND e.event_key = r.event_key)
        """,
        [source.name, source.name],
    )
    after = _scalar(con, "SELECT count(*) FROM events WHERE source = ?", [source.name])
    return after - before


def _quarantine_rejected(
    con: duckdb.DuckDBPyConnection, source: EventSource, path: Path, result: ImportResult
) -> None:
    """Keep unusable rows (whole, with the reason) in quarantine, once; count the reasons."""
    result.rows_rejected = _scalar(con, "SELECT count(*) FROM resolved WHERE reason IS NOT NULL")
    if result.rows_rejected:
        con.execute(
            """
            INSERT INTO quarantine
            SELECT ?, coalesce(nullif(trim(r.event_key), ''), ? || '#' || r.record), r.record,
                   r.reason, to_json(w)::VARCHAR, ?
            FROM resolved r JOIN raw_rows w ON w.record = r.record
            WHERE r.reason IS NOT NULL AND r.copy = 1 AND NOT EXISTS (
                SELECT 1 FROM quarantine q WHERE q.source = ?
                AND q.row_key = coalesce(nullif(trim(r.event_key), ''), ? || '#' || r.record))
            """,
            [source.name, path.name, str(path), source.name, path.name],
        )
    # Most frequent first; equal counts by reason, so the same file always reads the same.
    for reason, n in con.execute(
        "SELECT reason, count(*) FROM resolved WHERE reason IS NOT NULL"
        " GROUP BY 1 ORDER BY 2 DESC, 1"
    ).fetchall():
        result.rejected_reasons[reason] = n


def _count_skipped(
    con: duckdb.DuckDBPyConnection, source: EventSource, result: ImportResult
) -> None:
    """Rows outside the source's scope and later copies of a repeated event id, by reason."""
    skipped = _scalar(con, "SELECT count(*) FROM staged WHERE skipped")
    duplicates = _scalar(con, "SELECT count(*) FROM resolved WHERE copy > 1")
    if skipped:
        result.skipped_reasons[source.skip_reason] = skipped
    if duplicates:
        result.skipped_reasons["event id repeated within the file (first copy kept)"] = duplicates
    result.rows_skipped = skipped + duplicates


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


def _map_places(con: duckdb.DuckDBPyConnection) -> None:
    """Fill temp table ``place_map(record, iso3, area_code, area_method)`` for staged rows.

    Names are resolved once per distinct (country, admin-1) pair; rows still without an area
    fall back to their coordinates (once per distinct point).
    """
    _map_countries(con)
    _map_admin_areas(con)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE place_map AS
        SELECT s.record, m.iso3, a.area_code, a.area_method,
               CASE WHEN s.latitude BETWEEN -90 AND 90 AND s.longitude BETWEEN -180 AND 180
                    THEN round(s.latitude, 3) END AS lat,
               CASE WHEN s.latitude BETWEEN -90 AND 90 AND s.longitude BETWEEN -180 AND 180
                    THEN round(s.longitude, 3) END AS lon
        FROM staged s
        LEFT JOIN country_map m ON m.country_code IS NOT DISTINCT FROM s.country_code
             AND m.country_name IS NOT DISTINCT FROM s.country_name
        LEFT JOIN admin_map a ON a.iso3 = m.iso3 AND a.admin1 IS NOT DISTINCT FROM s.admin1
        WHERE NOT s.skipped
        """
    )
    _place_by_coordinates(con)
    con.execute("UPDATE place_map SET area_method = 'none' WHERE area_code IS NULL")
    con.execute("DROP TABLE country_map")
    con.execute("DROP TABLE admin_map")


def _map_countries(con: duckdb.DuckDBPyConnection) -> None:
    """``country_map``: the ISO 3166-1 alpha-3 code of each distinct (code, name) in the file."""
    countries = con.execute(
        "SELECT DISTINCT country_code, country_name FROM staged WHERE NOT skipped"
    ).fetchall()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE country_map (country_code VARCHAR, country_name VARCHAR,"
        " iso3 VARCHAR)"
    )
    _insert(
        con,
        "INSERT INTO country_map VALUES (?, ?, ?)",
        [(code, name, country_iso3(code) or country_iso3(name)) for code, name in countries],
    )


def _map_admin_areas(con: duckdb.DuckDBPyConnection) -> None:
    """``admin_map``: the ISO 3166-2 area of each distinct (country, admin-1 name)."""
    pairs = con.execute(
        """SELECT DISTINCT m.iso3, s.admin1 FROM staged s JOIN country_map m
           ON m.country_code IS NOT DISTINCT FROM s.country_code
           AND m.country_name IS NOT DISTINCT FROM s.country_name
           WHERE m.iso3 IS NOT NULL AND NOT s.skipped"""
    ).fetchall()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE admin_map (iso3 VARCHAR, admin1 VARCHAR, area_code VARCHAR,"
        " area_method VARCHAR)"
    )
    rows = []
    for iso3, admin1 in pairs:
        match = area_from_name(iso3, admin1)
        rows.append((iso3, admin1, match.code, match.method if match.code else None))
    _insert(con, "INSERT INTO admin_map VALUES (?, ?, ?, ?)", rows)


def _place_by_coordinates(con: duckdb.DuckDBPyConnection) -> None:
    """Give rows the names left without an area the area (and country) of their point."""
    points = con.execute(
        "SELECT DISTINCT lat, lon FROM place_map WHERE area_code IS NULL"
        " AND lat IS NOT NULL AND lon IS NOT NULL"
    ).fetchall()
    if not points:
        return
    found = areas_from_coordinates([(float(a), float(b)) for a, b in points])
    con.execute(
        "CREATE OR REPLACE TEMP TABLE point_map (lat DOUBLE, lon DOUBLE, iso3 VARCHAR,"
        " area_code VARCHAR)"
    )
    _insert(
        con,
        "INSERT INTO point_map VALUES (?, ?, ?, ?)",
        [(p[0], p[1], iso3, m.code) for p, (iso3, m) in zip(points, found, strict=True)],
    )
    # A point only fills a row whose country it agrees with (or a row with no country).
    con.execute(
        """
        UPDATE place_map SET
            iso3 = coalesce(place_map.iso3, p.iso3),
            area_code = p.area_code, area_method = 'coordinates'
        FROM point_map p
        WHERE place_map.area_code IS NULL AND p.lat = place_map.lat AND p.lon = place_map.lon
          AND p.area_code IS NOT NULL
          AND (place_map.iso3 IS NULL OR place_map.iso3 = p.iso3)
        """
    )
    con.execute(
        """
        UPDATE place_map SET iso3 = p.iso3
        FROM point_map p
        WHERE place_map.iso3 IS NULL AND p.lat = place_map.lat AND p.lon = place_map.lon
        """
    )
    con.execute("DROP TABLE point_map")
