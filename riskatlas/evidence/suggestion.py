"""When the imported events are enough to suggest a likelihood, and which.

The model: events of the period as a Poisson process; the likelihood is the probability of at
least one such event in a month, on the method's scale (``likelihood_from_probability``).
A likelihood is suggested only when

1. the data held is complete for the period (``coverage.held_window`` found nothing partial:
   no sample, no file of unstated scope, every country covered, at least half the days asked
   held),
2. at least ``MIN_EVENTS`` events happened in the days held (with one event in a year the
   exact 90 % interval of the monthly probability runs from 0.4 % to 33 %; a count that low
   says little about the rate, and nothing about an event that is rare but grave).

Otherwise the answer is "not enough data", with every reason that applies. The exact (Garwood)
90 % Poisson interval of the monthly probability, and the likelihoods at its ends, go with
every answer, so the analyst sees how firm it is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from riskatlas.method import likelihood_from_probability, likelihood_scale

DAYS_PER_MONTH = 365.25 / 12
MIN_EVENTS = 5
CONFIDENCE = 0.90


def monthly_probability(events: float, days: int) -> float:
    """P(at least one event in a month) for ``events`` over ``days`` (Poisson)."""
    per_month = events / days * DAYS_PER_MONTH if days else 0.0
    return min(1.0, 1 - math.exp(-per_month))


def _poisson_cdf(k: int, mu: float) -> float:
    """P(X <= k) for a Poisson mean ``mu``: the terms summed outwards from the largest (at
    ``min(k, floor(mu))``; they fall on either side) until they no longer change the sum, so
    a large ``k`` costs O(√mu) terms, not k + 1."""
    if mu <= 0:
        return 1.0
    log_mu = math.log(mu)

    def term(i: int) -> float:
        return i * log_mu - mu - math.lgamma(i + 1)

    peak = min(k, math.floor(mu))
    top = term(peak)
    total = 0.0
    for indices in (range(peak, -1, -1), range(peak + 1, k + 1)):
        for i in indices:
            value = math.exp(term(i) - top)
            total += value
            if value < total * 1e-17:
                break
    return min(1.0, math.exp(top) * total)


@cache
def poisson_interval(k: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Exact (Garwood) two-sided interval for a Poisson mean, having seen ``k`` events."""
    tail = (1 - confidence) / 2

    def solve(too_high: Any) -> float:
        low, high = 0.0, 10.0 + 4.0 * k
        for _ in range(100):
            middle = (low + high) / 2
            low, high = (low, middle) if too_high(middle) else (middle, high)
        return (low + high) / 2

    lower = 0.0 if k == 0 else solve(lambda mu: 1 - _poisson_cdf(k - 1, mu) >= tail)
    upper = solve(lambda mu: _poisson_cdf(k, mu) <= tail)
    return lower, upper


@dataclass
class Suggestion:
    """A suggested likelihood (``likelihood`` None when there is not enough data, and
    ``not_enough`` says why), the monthly probability and its interval."""

    events: int
    days: int
    probability: float
    interval: tuple[float, float]
    levels: tuple[int, int]
    likelihood: int | None
    not_enough: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        point = self.likelihood
        return {
            "suggested_likelihood": point,
            "suggested_likelihood_name": likelihood_scale().point(point).name if point else None,
            "probability_per_month": round(self.probability, 3),
            "probability_interval": [round(p, 3) for p in self.interval],
            "likelihood_interval": list(self.levels),
            "not_enough_data": list(self.not_enough),
        }


def suggest(events: int, days: int, coverage_problems: list[str]) -> Suggestion:
    """The likelihood ``events`` over ``days`` suggest, or why none is; see the module."""
    probability = monthly_probability(events, days)
    lower, upper = poisson_interval(events)
    interval = (monthly_probability(lower, days), monthly_probability(upper, days))
    levels = (likelihood_from_probability(interval[0]), likelihood_from_probability(interval[1]))
    reasons = list(coverage_problems)
    if not days:
        reasons.append("no days of data held")
    elif events < MIN_EVENTS:
        reasons.append(
            f"{events} event{'s' if events != 1 else ''} in {days} days: too few to tell"
            f" (at least {MIN_EVENTS} are needed)"
        )
    likelihood = None if reasons else likelihood_from_probability(probability)
    return Suggestion(events, days, probability, interval, levels, likelihood, reasons)
