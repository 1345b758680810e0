"""Evidence panels for many risks at once, on one connection: the same panels as
``analytics.evidence_panel`` gives one by one, from a handful of grouped queries.

The store's events counted by day (``event_days``: per source, country, area, category, day
and sub-type) of every (areas, category, period) asked are selected in one pass into a
temporary table ``hits`` (one row per day's count and panel, marked as in the period or in
the previous one); counts, deaths, severity, sources and sub-types of every panel are sums
over ``hits``, and only the few sample events are read from ``events`` (``panel_samples``).
When the counts are not in step with the events (a store from before them, opened
read-only; events as a view over Parquet), the same rows are counted from the events. The
coverage of each country is read once, and identical asks (two risks on the same area and
category) share one panel.

Days, not months (``analytics.refresh_monthly``): a panel's period is clipped to the day to
the data held.
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
    populations,
)
from riskatlas.evidence.coverage import Held, Span, held_window
from riskatlas.evidence.event_days import counted, in_step
from riskatlas.evidence.panel_samples import sample_events
from riskatlas.evidence.severity import FIGURES, severity
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
    con: duckdb.DuckDBPyConnection,
    asks: list[Ask],
    start: date,
    end: date,
    *,
    samples: int = 5,
    spans: dict[str, list[Span]] | None = None,
) -> dict[Ask, dict[str, Any]]:
    """The panel of each ask (see ``normalise_ask``) from ``start`` to ``end``, on ``con``;
    equal to ``evidence_panel(db, list(codes), category, start, end, samples=samples)``.
    ``spans``: countries' coverage already read on ``con`` (``coverage.country_spans``)."""
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    unique = list(dict.fromkeys(asks))
    if not unique:
        return {}
    held_by_countries: dict[tuple[str, ...], Held] = {}
    known = dict(spans or {})
    periods = []
    for codes, category in unique:
        countries = tuple(_countries(list(codes)))
        if countries not in held_by_countries:
            held_by_countries[countries] = held_window(
                con, list(countries), start, end, known=known
            )
        held = held_by_countries[countries]
        periods.append(_Period(list(codes), category, held, panel_days(held)[1]))
    _select_hits(con, periods)
    try:
        seen, grave = _observe_all(con, periods, samples)
    finally:
        con.execute("DROP TABLE IF EXISTS hits")
    return {
        ask: assemble_panel(period.codes, period.category, period.held, seen[i], grave[i])
        for i, (ask, period) in enumerate(zip(unique, periods, strict=True))
    }


def _select_hits(con: duckdb.DuckDBPyConnection, periods: list[_Period]) -> None:
    """Temporary table ``hits``: each ask's events counted by day (rows of ``event_days``, or
    counted so from ``events`` when that table is not in step), by the ask's index ``id``, from
    the start of the previous period to the end of the period, with ``now`` true inside it."""
    asks = [
        {
            "id": i,
            "category": p.category,
            "codes": p.codes,
            "previous_start": p.previous_start,
            "start": p.held.start,
            "last": p.held.end,
        }
        for i, p in enumerate(periods)
    ]
    every = sorted({code for p in periods for code in p.codes})
    first = min(p.previous_start for p in periods)
    last = max(p.held.end for p in periods)
    # The country first: a condition DuckDB reads the table's sorted blocks by.
    near = "country_iso3 IN ? AND event_date BETWEEN ? AND ?"
    params: list[Any] = [asks, _countries(every), first, last]
    if in_step(con):
        # No test of the areas here: the join below makes it, and a list of areas tested
        # here cost a join of its own (a fifth of this query, cold).
        days = f"SELECT * FROM event_days WHERE {near}"
    else:  # counted from the events: only those of the asked areas
        days = counted(f"{near} AND (area_code IN ? OR country_iso3 IN ?)", rows=False)
        params += [every, every]
    con.execute("DROP TABLE IF EXISTS hits")
    # The asks as one list parameter (a VALUES row of six parameters per ask took 5 ms to
    # bind for 17 asks).
    con.execute(
        f"""
        CREATE TEMP TABLE hits AS
        WITH asks AS (SELECT unnest(?::STRUCT(id INTEGER, category VARCHAR, codes VARCHAR[],
                                              previous_start DATE, start DATE, last DATE)[],
                                    recursive := true)),
        near AS ({days})
        SELECT a.id, e.event_date >= a.start AS now, e.*
        FROM near e JOIN asks a ON e.category = a.category
         AND e.event_date BETWEEN a.previous_start AND a.last
         AND (list_contains(a.codes, e.area_code) OR list_contains(a.codes, e.country_iso3))
        """,
        params,
    )


def _observe_all(
    con: duckdb.DuckDBPyConnection, periods: list[_Period], samples: int
) -> tuple[list[Observed], list[dict[str, Any]]]:
    """``analytics.Observed`` and ``severity.severity`` of every ask, from ``hits``: two
    grouped queries (the totals and severity figures; the sources and sub-types), then the
    samples and the populations."""
    now, before = "FILTER (WHERE now), 0)", "FILTER (WHERE NOT now), 0)"
    figures = "".join(f", coalesce(sum({key}) {now}" for key, *_ in FIGURES)
    totals = {
        row[0]: row[1:]
        for row in con.execute(
            f"SELECT id, coalesce(sum(events) {now}, coalesce(sum(deaths) {now},"
            f" coalesce(sum(reported) {now}, coalesce(sum(events) {before},"
            f" coalesce(sum(deaths) {before}{figures} FROM hits GROUP BY id"
        ).fetchall()
    }
    # Each ask's events by source, then its five commonest sub-types, in one query.
    grouped = _grouped(
        con,
        "SELECT id, 's' AS kind, source AS name, sum(events) AS n, NULL::HUGEINT AS deaths"
        " FROM hits WHERE now GROUP BY id, source"
        " UNION ALL"
        " SELECT id, 't', sub_type, sum(events), sum(deaths) FROM hits WHERE now"
        " GROUP BY id, sub_type"
        " QUALIFY row_number() OVER (PARTITION BY id ORDER BY sum(events) DESC, sub_type) <= 5"
        " ORDER BY id, kind, n DESC, name",
    )
    sample_rows = sample_events(con, samples)
    people = populations(con, [(c, p.held.end.year) for p in periods for c in p.codes])
    observed, grave = [], []
    empty = (0,) * (5 + len(FIGURES))
    for i, period in enumerate(periods):
        year = period.held.end.year
        count, deaths, reported, previous, previous_deaths, *sums = totals.get(i, empty)
        rows = grouped.get(i, [])
        observed.append(
            Observed(
                int(count),
                int(deaths),
                int(reported),
                int(previous),
                int(previous_deaths),
                {name: int(n) for kind, name, n, _ in rows if kind == "s"},
                [(name, int(n), int(f)) for kind, name, n, f in rows if kind == "t"],
                sample_rows.get(i, []),
                [people[code, year] for code in period.codes],
            )
        )
        grave.append(severity(tuple(sums)))
    return observed, grave


def _grouped(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> dict[int, list[tuple[Any, ...]]]:
    """The rows of ``sql`` (whose first column is the ask's id) by id, the id left off."""
    out: dict[int, list[tuple[Any, ...]]] = {}
    for row in con.execute(sql, params or []).fetchall():
        out.setdefault(row[0], []).append(tuple(row[1:]))
    return out
