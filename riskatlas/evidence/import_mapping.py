"""The mapping steps of the event import (``importing.py``): the first pass that groups rows by
place names and mapping keys, each place name resolved once and each point only where the
names gave no area, threat categories from the source's table, and repeated event ids."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import duckdb

from riskatlas.evidence._data import load_table
from riskatlas.evidence.areas import area_from_name, areas_from_coordinates, country_iso3
from riskatlas.method import default_taxonomy


class EventSource(Protocol):
    """What these steps read of a source (``importing.EventSource``)."""

    @property
    def name(self) -> str: ...
    @property
    def categories(self) -> str: ...
    @property
    def key_columns(self) -> tuple[str, ...]: ...


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


def _insert(con: duckdb.DuckDBPyConnection, sql: str, rows: Sequence[Sequence[object]]) -> None:
    """``executemany`` that accepts no rows (a file of headers only has none)."""
    if rows:
        con.executemany(sql, rows)


#: What the first pass groups rows by: their place names and everything else a row's
#: outcome depends on (its mapping keys; no id, no date, coordinates off the earth).
_GROUPED = (
    "country_code, country_name, admin1, map_key, map_key2, map_key3, no_key, no_date, off_earth"
)


def _first_pass(
    con: duckdb.DuckDBPyConnection, path: Path, source: EventSource
) -> tuple[int, int, list[str]]:
    """One pass over the file for what the mapping needs: ``import_names`` (each distinct
    country code, country name and admin-1 name of the rows, with how many rows in scope and
    skipped carry it) and the event ids found more than once (grouping sets: one scan, two
    groupings). Returns the rows seen, the rows the source skips and those ids. A file DuckDB
    cannot parse is refused here."""
    try:
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE import_groups AS
            SELECT {_GROUPED}, key, grouping(key) AS by_place,
                   count(*) FILTER (WHERE NOT skipped) AS used,
                   count(*) FILTER (WHERE skipped) AS skipped,
                   min(event_date) FILTER (WHERE NOT skipped) AS first,
                   max(event_date) FILTER (WHERE NOT skipped) AS last
            FROM (SELECT country_code, country_name, admin1, skipped, event_date,
                         CASE WHEN NOT skipped THEN map_key END AS map_key,
                         CASE WHEN NOT skipped THEN map_key2 END AS map_key2,
                         CASE WHEN NOT skipped THEN map_key3 END AS map_key3,
                         event_key IS NULL OR trim(event_key) = '' AS no_key,
                         event_date IS NULL AS no_date,
                         NOT (coalesce(latitude, 0) BETWEEN -90 AND 90
                              AND coalesce(longitude, 0) BETWEEN -180 AND 180) AS off_earth,
                         CASE WHEN NOT skipped AND nullif(trim(event_key), '') IS NOT NULL
                              THEN event_key END AS key
                  FROM import_rows)
            GROUP BY GROUPING SETS (({_GROUPED}), (key))
            HAVING grouping(key) = 1 OR (key IS NOT NULL AND count(*) > 1)
            """
        )
    except duckdb.Error as exc:  # the file cannot be parsed: DuckDB names the line and column
        raise ValueError(f"{path}: cannot be read as {source.name}: {exc}") from exc
    row = con.execute(
        "SELECT coalesce(sum(used + skipped), 0), coalesce(sum(skipped), 0) FROM import_groups"
        " WHERE by_place = 1"
    ).fetchone()
    seen, skipped = (int(row[0]), int(row[1])) if row else (0, 0)
    repeated = [
        k for (k,) in con.execute("SELECT key FROM import_groups WHERE by_place = 0").fetchall()
    ]
    return seen, skipped, repeated


def _map_places(con: duckdb.DuckDBPyConnection) -> None:
    """Fill ``name_map`` (each distinct country code, country name and admin-1 name of the
    file's rows in scope, with its ISO 3166-1 alpha-3 country and ISO 3166-2 area, resolved
    once each) and ``point_map`` (the area and country of each distinct point of rows whose
    names gave no area)."""
    names = con.execute(
        "SELECT DISTINCT country_code, country_name, admin1 FROM import_groups"
        " WHERE by_place = 1 AND used > 0"
    ).fetchall()
    countries: dict[tuple[str | None, str | None], str | None] = {}
    areas: dict[tuple[str, str | None], tuple[str | None, str | None]] = {}
    rows = []
    for code, name, admin1 in names:
        if (code, name) not in countries:
            countries[code, name] = country_iso3(code) or country_iso3(name)
        iso3 = countries[code, name]
        area: tuple[str | None, str | None] = (None, None)
        if iso3 is not None:
            if (iso3, admin1) not in areas:
                match = area_from_name(iso3, admin1)
                areas[iso3, admin1] = (match.code, match.method if match.code else None)
            area = areas[iso3, admin1]
        rows.append((code, name, admin1, iso3, *area))
    con.execute(
        "CREATE OR REPLACE TEMP TABLE name_map (country_code VARCHAR, country_name VARCHAR,"
        " admin1 VARCHAR, iso3 VARCHAR, area_code VARCHAR, area_method VARCHAR)"
    )
    _insert(con, "INSERT INTO name_map VALUES (?, ?, ?, ?, ?, ?)", rows)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE point_map (lat DOUBLE, lon DOUBLE, iso3 VARCHAR,"
        " area_code VARCHAR)"
    )
    if any(area_code is None for *_, area_code, _method in rows):
        _map_points(con)


_NAME_JOIN = (
    "LEFT JOIN name_map n ON n.country_code IS NOT DISTINCT FROM s.country_code"
    " AND n.country_name IS NOT DISTINCT FROM s.country_name"
    " AND n.admin1 IS NOT DISTINCT FROM s.admin1"
)
_ON_EARTH = "s.latitude BETWEEN -90 AND 90 AND s.longitude BETWEEN -180 AND 180"


def _map_points(con: duckdb.DuckDBPyConnection) -> None:
    """``point_map``: the country and area of each distinct point (rounded to 0.001°) of rows
    whose names gave no area. Points off the earth are never given to the geocoder."""
    points = con.execute(
        f"SELECT DISTINCT round(s.latitude, 3), round(s.longitude, 3) FROM import_rows s"
        f" {_NAME_JOIN} WHERE NOT s.skipped AND n.area_code IS NULL AND {_ON_EARTH}"
    ).fetchall()
    if not points:
        return
    found = areas_from_coordinates([(float(a), float(b)) for a, b in points])
    _insert(
        con,
        "INSERT INTO point_map VALUES (?, ?, ?, ?)",
        [(p[0], p[1], iso3, m.code) for p, (iso3, m) in zip(points, found, strict=True)],
    )


def _map_categories(con: duckdb.DuckDBPyConnection, source: EventSource) -> None:
    """Load the source's mapping table into ``category_map``."""
    pairs = category_table(source.categories, source.key_columns)
    con.execute("CREATE OR REPLACE TEMP TABLE category_map (key VARCHAR, category VARCHAR)")
    _insert(con, "INSERT INTO category_map VALUES (?, ?)", sorted(set(pairs)))


def _find_repeats(con: duckdb.DuckDBPyConnection, keys: list[str]) -> bool:
    """``repeated``: the event ids ``keys`` found more than once in the file, each with the
    number of its first row (the copy that counts; later ones are skipped). Whether any."""
    con.execute("CREATE OR REPLACE TEMP TABLE repeated (event_key VARCHAR, first BIGINT)")
    if not keys:
        return False
    _insert(con, "INSERT INTO repeated (event_key) VALUES (?)", [(k,) for k in keys])
    # Only now are rows numbered (a streaming, single-threaded pass), for those ids alone.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE repeated AS SELECT s.event_key, min(s.record) AS first"
        " FROM import_numbered s SEMI JOIN repeated d ON d.event_key = s.event_key"
        " WHERE NOT s.skipped GROUP BY 1"
    )
    return True
