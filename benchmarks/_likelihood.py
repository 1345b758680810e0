"""Domain weights fitted by likelihood: the proportional-odds (cumulative logit) model.

Issue 15's fifth index candidate (docs/data-sources.md, written down before it was measured).
The grid search (``baseline_fit.fit_weights``) maximises Spearman over coarse weightings; this
fits the same score — the weighted mean of the domains a country has — to the ordered levels by
maximum likelihood:

    P(level > k) = σ(b·s − c_k),  k = 1 … K − 1,  s = Σ w_d·v_d / Σ w_d over present domains,

with the anchor domain's weight fixed (conflict 4), the others free in [0, ``UPPER``], no
penalty, fitted by L-BFGS-B (SciPy) from two starts (free weights all 0, all 2), the better
likelihood kept. Countries with fewer than three of the domains are not fitted on. The weights
score countries exactly as the grid's do (``baseline_fit.weighted_score``), so the candidate is
judged by the same held-out machinery (``cross_validate``, ``nested_cross_validate``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

from riskatlas.evidence.baseline_fit import ANCHOR, MIN_DOMAINS, Domains, agreement

#: The largest weight a free domain may take (twice the anchor's).
UPPER = 8.0
#: The free weights each fit starts from; the better likelihood wins.
STARTS = (0.0, 2.0)


def fit_weights_by_likelihood(
    domains: Domains,
    levels: Mapping[str, float],
    names: Sequence[str],
    countries: Sequence[str],
    anchor: tuple[str, float] = ANCHOR,
) -> tuple[dict[str, float], float]:
    """The proportional-odds weights for ``names`` fitted on ``countries``, and the Spearman
    of their scores with the levels on those countries (as ``fit_weights`` returns)."""
    free = [n for n in names if n != anchor[0]]
    order = [anchor[0], *free]
    pool = [
        c
        for c in countries
        if c in levels and c in domains
        and sum(domains[c].get(n) is not None for n in order) >= MIN_DOMAINS
    ]  # fmt: skip
    values = np.array([[domains[c].get(n) or 0.0 for n in order] for c in pool])
    present = np.array([[domains[c].get(n) is not None for n in order] for c in pool], float)
    steps = sorted({float(levels[c]) for c in pool})
    above = np.array([[float(levels[c]) > k for k in steps[:-1]] for c in pool], float)

    def unpack(theta: np.ndarray) -> tuple[np.ndarray, float, np.ndarray]:
        weights = np.concatenate(([anchor[1]], theta[: len(free)]))
        slope = theta[len(free)]
        rest = theta[len(free) + 1 :]
        cuts = rest[0] + np.concatenate(([0.0], np.cumsum(np.exp(rest[1:]))))
        return weights, slope, cuts

    def negative_log_likelihood(theta: np.ndarray) -> float:
        weights, slope, cuts = unpack(theta)
        mass = present * weights
        score = (mass * values).sum(axis=1) / np.maximum(mass.sum(axis=1), 1e-12)
        # P(level > k) for each threshold, then each country's probability of its own level.
        exceed = expit(slope * score[:, None] - cuts[None, :])
        bounds = np.hstack([np.ones((len(pool), 1)), exceed, np.zeros((len(pool), 1))])
        index = above.sum(axis=1).astype(int)
        chance = bounds[np.arange(len(pool)), index] - bounds[np.arange(len(pool)), index + 1]
        return float(-np.log(np.clip(chance, 1e-300, None)).sum())

    best = None
    for start in STARTS:
        theta0 = np.array([start] * len(free) + [1.0, 3.0] + [0.0] * (len(steps) - 2))
        limits = [(0.0, UPPER)] * len(free) + [(None, None)] * (len(theta0) - len(free))
        found = minimize(negative_log_likelihood, theta0, method="L-BFGS-B", bounds=limits)
        if best is None or found.fun < best.fun:
            best = found
    assert best is not None
    fitted = unpack(best.x)[0]
    weights = {n: round(float(w), 4) for n, w in zip(order, fitted, strict=True)}
    rho, _ = agreement(domains, levels, weights, pool)
    if rho is None:
        raise ValueError(f"the likelihood's weights score too few of the {len(pool)} countries")
    return weights, rho
