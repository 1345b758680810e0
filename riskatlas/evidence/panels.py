"""Evidence panels for many risks at once, on one connection: the same panels as
``analytics.evidence_panel`` gives one by one, from a handful of grouped queries.

The events of every (areas, category, period) asked are selected in one pass over the
``events`` table into a temporary table ``hits`` (one row per event and panel, marked as in the
period or in the previous one); counts, deaths, severity, sources, sub-types and sample events
of every panel are then grouped from ``hits``. The coverage of each country is read once, and
identical asks (two risks on the same area and category) share one panel.

The monthly aggregate (``analytics.refresh_monthly``) is not used: a panel's period is clipped
to the day to the data held, and it needs severity, sources, sub-types and sample events that
months do not keep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from riskatlas.evidence.analytics import (
    Observed,
    _area_codes,
    _countries,
    assemble_panel,
    panel_days,
    population,
)
from riskatlas.evidence.coverage import Held, held_window
from riskatlas.evidence.severity import FIGURES, severity
from riskatlas.evidence.severity import SELECT as SEVERITY_SELECT
from riskatlas.method import default_taxonomy

# The columns of ``events`` that panels and severity read.
COLUMNS = (
    "source, event_key, event_date, category, event_type, sub_type, country_iso3, area_code,"
    " location, fatalities, actors, notes"
)

Ask = tuple[tuple[str, ...], str]  # (area codes, as normalised; threat category)


@dataclass(frozen=True)
class _Period:
    """One ask with the period it reads: ``held`` clipped to the data, and the previous one."""

    codes: list[str]
    category: str
    held: Held
    previous_start: date


def normalise_ask(area_codes: list[str], category: str) -> Ask:
    """The ask for ``area_codes`` and ``category`` as ``evidence_panel`` reads them; an
    unknown category is refused as it refuses it."""
    taxonomy = default_taxonomy()
    if category not in taxonomy:
        raise ValueError(
            f"unknown threat category {category!r}; known: {', '.join(taxonomy.codes)}"
        )
    return tuple(_area_codes(area_codes)), category


def evidence_panels(
    con: duckdb.DuckDBPyConnection, asks: list[Ask], start: date, end: date, *, samples: int = 5
) -> dict[Ask, dict[str, Any]]:
    """The panel of each ask (see ``normalise_ask``) from ``start`` to ``end``, on ``con``;
    equal to ``evidence_panel(db, list(codes), category, start, end, samples=samples)``."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    unique = list(dict.fromkeys(asks))
    if not unique:
        return {}
    held_by_countries: dict[tuple[str, ...], Held] = {}
    periods = []
    for codes, category in unique:
        countries = tuple(_countries(list(codes)))
        if countries not in held_by_countries:
            held_by_countries[countries] = held_window(con, list(countries), start, end)
        held = held_by_countries[countries]
        periods.append(_Period(list(codes), category, held, panel_days(held)[1]))
    _select_hits(con, periods)
    try:
        seen = _observe_all(con, periods, samples)
        grave = _severities(con, len(periods))
    finally:
        con.execute("DROP TABLE IF EXISTS hits")
    return {
        ask: assemble_panel(period.codes, period.category, period.held, seen[i], grave[i])
        for i, (ask, period) in enumerate(zip(unique, periods, strict=True))
    }


def _select_hits(con: duckdb.DuckDBPyConnection, periods: list[_Period]) -> None:
    """Temporary table ``hits``: each event of each ask (by its index ``id``) from the start of
    the previous period to the end of the period, with ``now`` true inside the period."""
    values = ", ".join("(?, ?, ?::VARCHAR[], ?::DATE, ?::DATE, ?::DATE)" for _ in periods)
    params: list[Any] = []
    for i, p in enumerate(periods):
        params += [i, p.category, p.codes, p.previous_start, p.held.start, p.held.end]
    every = sorted({code for p in periods for code in p.codes})
    first = min(p.previous_start for p in periods)
    last = max(p.held.end for p in periods)
    con.execute("DROP TABLE IF EXISTS hits")
    con.execute(
        f"""
        CREATE TEMP TABLE hits AS
        WITH asks(id, category, codes, previous_start, start, last) AS (VALUES {values}),
        near AS (
            SELECT {COLUMNS} FROM events
            WHERE event_date BETWEEN ? AND ? AND (area_code IN ? OR country_iso3 IN ?)
        )
        SELECT a.id, e.event_date >= a.start AS now, e.*
        FROM near e JOIN asks a ON e.category = a.category
         AND e.event_date BETWEEN a.previous_start AND a.last
         AND (list_contains(a.codes, e.area_code) OR list_contains(a.codes, e.country_iso3))
        """,
        [*params, first, last, every, every],
    )


def _observe_all(
    con: duckdb.DuckDBPyConnection, periods: list[_Period], samples: int
) -> list[Observed]:
    """``analytics.Observed`` of every ask, from ``hits``: four grouped queries."""
    totals = {
        row[0]: row[1:]
        for row in con.execute(
            "SELECT id, count(*) FILTER (WHERE now),"
            " coalesce(sum(fatalities) FILTER (WHERE now), 0),"
            " count(fatalities) FILTER (WHERE now), count(*) FILTER (WHERE NOT now),"
            " coalesce(sum(fatalities) FILTER (WHERE NOT now), 0) FROM hits GROUP BY id"
        ).fetchall()
    }
    by_source = _grouped(
        con,
        "SELECT id, source, count(*) AS n FROM hits WHERE now GROUP BY id, source"
        " ORDER BY id, n DESC, source",
    )
    sub_types = _grouped(
        con,
        "SELECT id, sub_type, count(*), coalesce(sum(fatalities), 0) FROM hits WHERE now"
        " GROUP BY id, sub_type"
        " QUALIFY row_number() OVER (PARTITION BY id ORDER BY count(*) DESC, sub_type) <= 5"
        " ORDER BY id, count(*) DESC, sub_type",
    )
    order = "coalesce(fatalities, 0) DESC, event_date DESC, event_key, source"
    sample_rows = _grouped(
        con,
        "SELECT id, source, event_key, event_date, coalesce(area_code, country_iso3), location,"
        f" sub_type, fatalities, notes FROM hits WHERE now"
        f" QUALIFY row_number() OVER (PARTITION BY id ORDER BY {order}) <= ?"
        f" ORDER BY id, {order}",
        [samples],
    )
    people: dict[tuple[str, int], tuple[float | None, str]] = {}
    observed = []
    for i, period in enumerate(periods):
        year = period.held.end.year
        for code in period.codes:
            if (code, year) not in people:
                people[code, year] = population(con, code, year)
        count, deaths, reported, previous, previous_deaths = totals.get(i, (0, 0, 0, 0, 0))
        observed.append(
            Observed(
                int(count),
                int(deaths),
                int(reported),
                int(previous),
                int(previous_deaths),
                dict(by_source.get(i, [])),
                sub_types.get(i, []),
                sample_rows.get(i, []),
                [people[code, year] for code in period.codes],
            )
        )
    return observed


def _grouped(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> dict[int, list[tuple[Any, ...]]]:
    """The rows of ``sql`` (whose first column is the ask's id) by id, the id left off."""
    out: dict[int, list[tuple[Any, ...]]] = {}
    for row in con.execute(sql, params or []).fetchall():
        out.setdefault(row[0], []).append(tuple(row[1:]))
    return out


def _severities(con: duckdb.DuckDBPyConnection, count: int) -> list[dict[str, Any]]:
    """``severity.severity`` of every ask's events in its period (all zero when none)."""
    rows = {
        row[0]: tuple(row[1:])
        for row in con.execute(
            f"SELECT id, {SEVERITY_SELECT} FROM hits WHERE now GROUP BY id"
        ).fetchall()
    }
    empty = (0,) * len(FIGURES)
    return [severity(rows.get(i, empty)) for i in range(count)]
