"""Evidence panels for many risks at once, on one connection: the same panels as
``analytics.evidence_panel`` gives one by one, from a handful of grouped queries.

The store's events counted by day (``event_days``: per source, country, area, category, day
and sub-type) of every (areas, category, period) asked are selected in one pass as ``hits``
(one row per day's count and panel, marked as in the period or in the previous one), kept in
memory for one statement that gives the sums over ``hits`` — counts, deaths, severity,
sources and sub-types of every panel — and the few rows that may hold its sample events;
only those events are read from ``events`` (``panel_samples``).
When the counts are not in step with the events (a store from before them, opened
read-only; events as a view over Parquet) or do not count the asked countries (only those
asked for are: ``event_days.count_countries``), the same rows are counted from the events. The
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
from riskatlas.evidence.panel_samples import DAY_COLUMNS, sample_days, sample_events
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
    hits, params, steps = _hits(con, periods)
    sums, days = _read_hits(con, hits, params, samples, keyed=steps)
    seen, grave = _observe_all(con, periods, samples, sums, days)
    return {
        ask: assemble_panel(period.codes, period.category, period.held, seen[i], grave[i])
        for i, (ask, period) in enumerate(zip(unique, periods, strict=True))
    }


def _hits(con: duckdb.DuckDBPyConnection, periods: list[_Period]) -> tuple[str, list[Any], bool]:
    """The query of ``hits`` and its parameters: each ask's events counted by day (rows of
    ``event_days`` without their first event id, or counted so from ``events`` when that
    table is not in step), by the ask's index ``id``, from the start of the previous period
    to the end of the period, with ``now`` true inside it; and whether ``event_days`` was in
    step (then ``day_row`` is each row's id in it, else NULL)."""
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
    countries = _countries(every)
    params: list[Any] = [asks, countries, first, last]
    steps = in_step(con, countries)
    if steps:
        # No test of the areas here: the join below makes it, and a list of areas tested
        # here cost a join of its own (a fifth of this query, cold). The first event id is
        # read later, for the few rows that may hold samples, by the row's id in the table
        # (``day_row``): copying it for every row was a third of this query's time.
        days = f"SELECT * EXCLUDE (first_key), rowid AS day_row FROM event_days WHERE {near}"
    else:  # counted from the events: only those of the asked areas (no row ids, no event ids)
        where = f"{near} AND (area_code IN ? OR country_iso3 IN ?)"
        days = (
            f"SELECT * EXCLUDE (first_key), NULL::BIGINT AS day_row"
            f" FROM ({counted(where, rows=False)})"
        )
        params += [every, every]
    # The asks as one list parameter (a VALUES row of six parameters per ask took 5 ms to
    # bind for 17 asks).
    hits = f"""
        WITH asks AS (SELECT unnest(?::STRUCT(id INTEGER, category VARCHAR, codes VARCHAR[],
                                              previous_start DATE, start DATE, last DATE)[],
                                    recursive := true)),
        near AS ({days})
        SELECT a.id, e.event_date >= a.start AS now, e.*
        FROM near e JOIN asks a ON e.category = a.category
         AND e.event_date BETWEEN a.previous_start AND a.last
         AND (list_contains(a.codes, e.area_code) OR list_contains(a.codes, e.country_iso3))
        """
    return hits, params, steps


def _read_hits(
    con: duckdb.DuckDBPyConnection, hits: str, params: list[Any], samples: int, *, keyed: bool
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The rows of the sums (``_sums``) and, with ``samples``, the rows of ``hits`` that may
    hold samples (``panel_samples.sample_days``), from one statement in which ``hits`` is
    selected once and kept in memory for both (written as a temporary table it cost about a
    third more: the table's writing, and two statements more to plan and to drop it)."""
    sums = ", ".join(f"sum({key})" for key in _SUMMED)
    days = ", ".join(DAY_COLUMNS)
    sql = (
        f"WITH hits AS MATERIALIZED ({hits})"
        f" SELECT true AS summed, id, now, source, sub_type, {sums},"
        f" {', '.join(['NULL'] * len(DAY_COLUMNS))} FROM hits GROUP BY ALL"
    )
    if samples > 0:
        nulls = ", ".join(["NULL"] * len(_SUMMED))
        sql += (
            f" UNION ALL SELECT false, id, NULL, source, sub_type, {nulls}, {days}"
            f" FROM ({sample_days(keyed)})"
        )
        params = [*params, samples, samples]
    summed, candidates = [], []
    width = 5 + len(_SUMMED)
    for row in con.execute(sql, params).fetchall():
        if row[0]:
            summed.append(row[1:width])
        else:
            candidates.append((row[1], row[3], row[4], *row[width:]))
    return summed, candidates


def _observe_all(
    con: duckdb.DuckDBPyConnection,
    periods: list[_Period],
    samples: int,
    summed: list[tuple[Any, ...]],
    candidates: list[tuple[Any, ...]],
) -> tuple[list[Observed], list[dict[str, Any]]]:
    """``analytics.Observed`` and ``severity.severity`` of every ask, from the rows of
    ``_read_hits``: its sums (``_sums``), then the samples and the populations."""
    totals, by_source, sub_types = _sums(summed)
    sample_rows = sample_events(con, candidates, samples)
    people = populations(con, [(c, p.held.end.year) for p in periods for c in p.codes])
    observed, grave = [], []
    empty = [0] * (5 + len(FIGURES))
    for i, period in enumerate(periods):
        year = period.held.end.year
        count, deaths, reported, previous, previous_deaths, *sums = totals.get(i, empty)
        observed.append(
            Observed(
                count,
                deaths,
                reported,
                previous,
                previous_deaths,
                dict(sorted(by_source.get(i, {}).items(), key=lambda kv: (-kv[1], kv[0]))),
                _commonest(sub_types.get(i, {})),
                sample_rows.get(i, []),
                [people[code, year] for code in period.codes],
            )
        )
        grave.append(severity(tuple(sums)))
    return observed, grave


_SUMMED = ("events", "deaths", "reported", *(key for key, *_ in FIGURES if key != "deaths"))


def _sums(
    summed: list[tuple[Any, ...]],
) -> tuple[dict[int, list[int]], dict[int, dict[str, int]], dict[int, dict[Any, list[int]]]]:
    """By ask id: its totals (events, deaths and reports in the period, events and deaths in
    the previous one, then each severity figure in the period), its period's events by
    source, and its period's events and deaths by sub-type — added up in Python from one
    plain grouped query (the same sums as grouped queries per figure, which cost DuckDB
    several milliseconds each to plan)."""
    at = {key: 4 + n for n, key in enumerate(_SUMMED)}
    figures = [at[key] for key, *_ in FIGURES]
    totals: dict[int, list[int]] = {}
    by_source: dict[int, dict[str, int]] = {}
    sub_types: dict[int, dict[Any, list[int]]] = {}
    for row in summed:  # id, now, source, sub_type, then the sums of _SUMMED
        ask, now, source, sub_type = row[:4]
        events, deaths = int(row[at["events"]]), int(row[at["deaths"]])
        total = totals.setdefault(ask, [0] * (5 + len(FIGURES)))
        if not now:
            total[3] += events
            total[4] += deaths
            continue
        total[0] += events
        total[1] += deaths
        total[2] += int(row[at["reported"]])
        for n, column in enumerate(figures):
            total[5 + n] += int(row[column])
        sources = by_source.setdefault(ask, {})
        sources[source] = sources.get(source, 0) + events
        kind = sub_types.setdefault(ask, {}).setdefault(sub_type, [0, 0])
        kind[0] += events
        kind[1] += deaths
    return totals, by_source, sub_types


def _commonest(sub_types: dict[Any, list[int]]) -> list[tuple[Any, int, int]]:
    """The five sub-types with the most events (then by name, none last): (name, events,
    deaths)."""
    ordered = sorted(sub_types.items(), key=lambda kv: (-kv[1][0], kv[0] is None, kv[0] or ""))
    return [(name, events, deaths) for name, (events, deaths) in ordered[:5]]
