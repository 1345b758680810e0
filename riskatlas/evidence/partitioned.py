"""The evidence store as partitioned Parquet: the layout for event history beyond one machine.

``export_partitioned`` writes the store's events as Parquet files partitioned by country and
year (``events/country_iso3=PER/year=2022/*.parquet``, Hive-style) with the coverage and
import records beside them; ``open_partitioned`` gives a DuckDB connection on which the
store's tables are views over those files, so the evidence queries (``evidence.panels``,
``coverage``) run on it unchanged. A query for one country reads only that country's files
(DuckDB prunes Hive partitions on the filter). The root may be a local folder or, with
DuckDB's httpfs extension loaded and credentials set, an object-store prefix such as
``s3://bucket/riskatlas`` — the layout docs/deployment.md describes for ACLED- or GDELT-scale
history (hundreds of millions of events).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from riskatlas.evidence.store import connect, memory_limit

#: Small tables copied whole beside the events (coverage, import records, population).
SIDE_TABLES = ("coverage", "imports", "indicators")


def _literal(path: str) -> str:
    return "'" + path.replace("'", "''") + "'"


def export_partitioned(db_path: Path, root: Path) -> dict[str, int]:
    """Write the store at ``db_path`` under ``root`` (made if needed); returns the rows written
    per table. The events' partitions replace any already there."""
    root.mkdir(parents=True, exist_ok=True)
    con = connect(db_path, read_only=True)
    try:
        events = root / "events"
        con.execute(
            "COPY (SELECT *, year(event_date) AS year FROM events) TO "
            f"{_literal(str(events))} (FORMAT PARQUET, PARTITION_BY (country_iso3, year),"
            " OVERWRITE_OR_IGNORE TRUE)"
        )
        written = {"events": _count(con, "events")}
        for table in SIDE_TABLES:
            con.execute(
                f"COPY {table} TO {_literal(str(root / (table + '.parquet')))} (FORMAT PARQUET)"
            )
            written[table] = _count(con, table)
    finally:
        con.close()
    return written


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def open_partitioned(root: str | Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection whose ``events`` and small tables (coverage, imports,
    indicators) are views over
    the Parquet layout at ``root`` (the events without the partitions' ``year`` column)."""
    base = str(root).rstrip("/")
    con = duckdb.connect(":memory:", config={"memory_limit": memory_limit()})
    pattern = _literal(f"{base}/events/**/*.parquet")
    con.execute(
        f"CREATE VIEW events AS SELECT * EXCLUDE (year) FROM read_parquet({pattern},"
        " hive_partitioning = true,"
        " hive_types = {'country_iso3': VARCHAR, 'year': INTEGER})"
    )
    for table in SIDE_TABLES:
        files = _literal(f"{base}/{table}.parquet")
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet({files})")
    return con
