"""The country baseline: a composite index of how dangerous a country is, from open data.

The index (``data/baseline_index.yaml``) is computed by ``composite.CompositeIndex`` from
values in the evidence store: imported indicators (latest year available) and rates derived
from imported events. ``baseline_scores`` returns one row per country; ``spearman`` compares
a ranking with another (e.g. the US advisory levels).
"""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import duckdb

from riskatlas.evidence._data import load_yaml
from riskatlas.evidence.analytics import _packaged_population
from riskatlas.evidence.composite import CompositeIndex
from riskatlas.evidence.indicators import is_country
from riskatlas.evidence.store import connect


def baseline_index(name: str = "baseline_index.yaml") -> CompositeIndex:
    return CompositeIndex.from_dict(load_yaml(name))


def raw_values(
    con: duckdb.DuckDBPyConnection, index: CompositeIndex
) -> dict[str, dict[str, float]]:
    """iso3 -> indicator id -> raw value, for every indicator the store can supply."""
    out: dict[str, dict[str, float]] = {}
    populations = _packaged_population()
    for key, indicator in index.indicators.items():
        spec = indicator.source
        if "indicator" in spec:
            rows = con.execute(
                """SELECT area_code, arg_max(value, year) FROM indicators
                   WHERE indicator = ? AND (? IS NULL OR source = ?) GROUP BY 1""",
                [spec["indicator"], spec.get("source"), spec.get("source")],
            ).fetchall()
        elif "events" in spec:
            rows = _event_rates(con, spec, populations)
        else:
            raise ValueError(f"{index.id}: indicator {key}: no source")
        for iso3, value in rows:
            if value is not None and is_country(iso3):
                out.setdefault(iso3, {})[key] = float(value)
    return out


#: An event-derived rate counts the events of the last this many years before the latest event
#: of its sources (INFORM's conflict indicators also read recent years only); an index file's
#: event source may say otherwise with ``recent_years``.
RECENT_YEARS = 3


def _event_rates(
    con: duckdb.DuckDBPyConnection, spec: Mapping[str, Any], populations: Mapping[str, float]
) -> list[tuple[str, float]]:
    """Events (or their deaths) per million people a year, per country, from ``spec``:
    ``events`` (categories), optional ``sources``, ``sub_types``, ``measure`` ("fatalities"
    or the count), ``recent_years``.

    The rate is over the span of the sources that record those categories (the ``sources``
    named, or else every source with such an event), within the recent window: an ACLED-only
    category is not divided by the decades a UCDP file spans. Countries those sources cover in
    the window with no such event count as zero."""
    categories = list(spec["events"])
    sources = list(spec.get("sources") or ())
    if not sources:
        sources = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT source FROM events WHERE category IN ? ORDER BY 1", [categories]
            ).fetchall()
        ]
    if not sources:
        return []
    latest = con.execute("SELECT max(event_date) FROM events WHERE source IN ?", [sources])
    last = latest.fetchone()[0]  # type: ignore[index]
    if last is None:
        return []
    window = int(float(spec.get("recent_years", RECENT_YEARS)) * 365.25)
    after = last - timedelta(days=window)
    first = con.execute(
        "SELECT min(event_date) FROM events WHERE source IN ? AND event_date > ?", [sources, after]
    ).fetchone()[0]  # type: ignore[index]
    years = ((last - first).days + 1) / 365.25
    measure = "coalesce(sum(fatalities), 0)" if spec.get("measure") == "fatalities" else "count(*)"
    sub_types = list(spec.get("sub_types") or ())
    counted = dict(
        con.execute(
            f"SELECT country_iso3, {measure} FROM events WHERE category IN ? AND source IN ?"
            " AND event_date > ? AND (? OR sub_type IN ?) GROUP BY 1",
            [categories, sources, after, not sub_types, sub_types or [""]],
        ).fetchall()
    )
    covered = con.execute(
        "SELECT DISTINCT country_iso3 FROM events WHERE source IN ? AND event_date > ? ORDER BY 1",
        [sources, after],
    ).fetchall()
    rows = []
    for (iso3,) in covered:
        people = populations.get(iso3)
        if people:
            rows.append((iso3, counted.get(iso3, 0) / years / people * 1_000_000))
    return rows


#: Goalposts by rule: the indicator's values at these percentiles over every country with data
#: score 0 and 10 (INFORM-style min-max with the outliers capped). No advice levels are used.
GOALPOST_PERCENTILES: tuple[int, int] = (5, 95)


def goalposts_by_rule(
    values: list[float], percentiles: tuple[int, int] = GOALPOST_PERCENTILES
) -> tuple[float, float] | None:
    """The raw values at ``percentiles`` (linear interpolation), to three significant digits;
    None with fewer than 20 values. Percentiles of raw values equal those of log-transformed
    ones, so the rule holds whatever the indicator's transform."""
    if len(values) < 20:
        return None
    cuts = statistics.quantiles(sorted(values), n=100, method="inclusive")
    low, high = (float(f"{cuts[p - 1]:.3g}") for p in percentiles)
    return low, high


def event_goalposts_by_rule(values: list[float]) -> tuple[float, float] | None:
    """Goalposts for an event-derived rate, where most countries have no such event: no event
    scores 0, and the 95th percentile over the countries with at least one such event scores
    10 (three significant digits); None with fewer than ten such countries. (The rule for other
    indicators would put the 95th percentile among the zeros and near-zeros of a sample, and
    read any such death as 10.)"""
    found = [v for v in values if v > 0]
    if len(found) < 10:
        return None
    cuts = statistics.quantiles(sorted(found), n=100, method="inclusive")
    return 0.0, float(f"{cuts[GOALPOST_PERCENTILES[1] - 1]:.3g}")


def rule_goalposts(
    values: dict[str, dict[str, float]], index: CompositeIndex
) -> dict[str, tuple[float, float]]:
    """Each scaled indicator's goalposts by rule (``goalposts_by_rule``) from ``raw_values``:
    what the index file's goalposts should be for the data it was built on. An index file
    saying ``event_goalposts: nonzero`` sets its event-derived rates' goalposts by
    ``event_goalposts_by_rule`` instead."""
    nonzero = index.extra.get("event_goalposts") == "nonzero"
    out = {}
    for key, indicator in index.indicators.items():
        if indicator.goalposts is None:
            continue
        column = [v[key] for v in values.values() if key in v]
        if nonzero and "events" in indicator.source:
            found = event_goalposts_by_rule(column)
        else:
            found = goalposts_by_rule(column)
        if found is not None:
            out[key] = found
    return out


def baseline_scores(
    db_path: str | Path | None = None, index: CompositeIndex | None = None
) -> list[dict[str, Any]]:
    """One row per country with data: iso3, score (0–10, higher = more dangerous), domains."""
    index = index or baseline_index()
    con = connect(db_path, read_only=True)
    try:
        values = raw_values(con, index)
    finally:
        con.close()
    rows = []
    for iso3 in sorted(values):
        computed = index.compute(values[iso3])
        score = computed[index.top]
        if score is None:
            continue
        row: dict[str, Any] = {"iso3": iso3, "score": round(score, 2)}
        for domain in index.domains:
            domain_value = computed.get(domain)
            row[domain] = None if domain_value is None else round(domain_value, 2)
        row["indicators"] = sum(1 for k in index.indicators if computed.get(k) is not None)
        row["of_indicators"] = len(index.indicators)
        top = index.components[index.top]
        weights = dict(zip(top.children, top.weights, strict=True))
        row["drivers"] = drivers({d: computed.get(d) for d in index.domains}, weights)
        rows.append(row)
    return rows


def drivers(values: dict[str, float | None], weights: dict[str, float]) -> list[tuple[str, float]]:
    """Each weighted domain's share of a weighted-mean score (0–1), largest first: what
    drives the country's score."""
    present = {
        d: v * weights[d] for d, v in values.items() if v is not None and weights.get(d, 0) > 0
    }
    total = sum(present.values())
    if total <= 0:
        return [(d, 0.0) for d in sorted(present)]
    return sorted(((d, c / total) for d, c in present.items()), key=lambda p: (-p[1], p[0]))


def scores_csv(rows: list[dict[str, Any]], domains: tuple[str, ...]) -> str:
    """``iso3,score,<domain scores>,indicators,drivers`` as CSV text (empty cell = domain
    without data; ``indicators``: how many of the index's indicators have data, "7/10";
    ``drivers``: the domains' shares of the score, largest first, "conflict 71%; crime 12%")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["iso3", "score", *domains, "indicators", "drivers"])
    for row in rows:
        writer.writerow(
            [
                row["iso3"],
                f"{row['score']:.2f}",
                *("" if row[d] is None else f"{row[d]:.2f}" for d in domains),
                f"{row['indicators']}/{row['of_indicators']}",
                "; ".join(f"{d} {share:.0%}" for d, share in row["drivers"] if share >= 0.005),
            ]
        )
    return buffer.getvalue()


def average_ranks(values: list[float]) -> list[float]:
    """Each value's rank from 1, ties given the mean of the ranks they share."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(x: list[float], y: list[float]) -> float:
    """Spearman's rank correlation (ties get their average rank)."""
    if len(x) != len(y) or len(x) < 3:
        raise ValueError("spearman needs two lists of the same length, at least 3 values")
    rx, ry = average_ranks(x), average_ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    vx = sum((a - mx) ** 2 for a in rx) ** 0.5
    vy = sum((b - my) ** 2 for b in ry) ** 0.5
    return cov / (vx * vy)


def agreement_with_advice(
    db_path: str | Path | None, government: str = "unitedstates"
) -> dict[str, Any]:
    """Spearman correlation between baseline scores and a government's national levels."""
    scores = {r["iso3"]: r["score"] for r in baseline_scores(db_path)}
    con = connect(db_path, read_only=True)
    try:
        levels = dict(
            con.execute(
                "SELECT country_iso3, level FROM advisories"
                " WHERE government = ? AND level IS NOT NULL",
                [government],
            ).fetchall()
        )
    finally:
        con.close()
    both = sorted(set(scores) & set(levels))
    return {
        "government": government,
        "countries": len(both),
        "spearman": round(spearman([scores[c] for c in both], [float(levels[c]) for c in both]), 3)
        if len(both) >= 3
        else None,
    }
