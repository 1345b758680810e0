"""Issue 15's fifth index candidate: domain weights fitted by the proportional-odds likelihood
(benchmarks/_likelihood.py), on made-up data where the right answer is known."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from riskatlas.evidence.baseline_fit import (
    Candidate,
    agreement,
    cross_validate,
    nested_cross_validate,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
from _likelihood import fit_weights_by_likelihood

NAMES = ("conflict", "crime", "road", "noise")


def _world(seed: int = 7, count: int = 120):
    """Countries whose level is cut from 4·conflict + 2·crime + 1·road plus noise; "noise" has
    nothing to do with it. Four regions."""
    rng = random.Random(seed)
    domains, levels, regions = {}, {}, {}
    for i in range(count):
        conflict, crime, road, noise = (rng.uniform(0, 10) for _ in range(4))
        latent = (4 * conflict + 2 * crime + road) / 7 + rng.gauss(0, 0.6)
        iso3 = f"C{i:03d}"
        domains[iso3] = {"conflict": conflict, "crime": crime, "road": road, "noise": noise}
        levels[iso3] = float(1 + sum(latent > cut for cut in (3.0, 5.0, 7.0)))
        regions[iso3] = "ABCD"[i % 4]
    return domains, levels, regions


def test_the_likelihood_finds_the_weights_the_levels_were_made_from():
    domains, levels, _ = _world()
    weights, rho = fit_weights_by_likelihood(domains, levels, NAMES, sorted(domains))
    assert weights["conflict"] == 4.0  # the anchor stays
    assert weights["crime"] == pytest.approx(2.0, abs=0.8)
    assert weights["road"] == pytest.approx(1.0, abs=0.6)
    assert weights["noise"] < 0.4
    assert rho == pytest.approx(agreement(domains, levels, weights)[0])
    assert rho > 0.85


def test_a_country_missing_domains_is_not_fitted_on_and_a_missing_one_drops_out():
    domains, levels, _ = _world()
    domains["C000"] = {"conflict": 9.0, "crime": None, "road": None, "noise": None}
    domains["C001"] = {"conflict": 9.0, "crime": 9.0, "road": None, "noise": None}  # 3 needed
    with_them, _ = fit_weights_by_likelihood(domains, levels, NAMES, sorted(domains))
    without, _ = fit_weights_by_likelihood(
        domains, levels, NAMES, [c for c in sorted(domains) if c not in ("C000", "C001")]
    )
    assert with_them == without


def test_it_is_judged_held_out_by_the_same_machinery_as_the_grid():
    domains, levels, regions = _world()
    held = cross_validate(domains, levels, regions, NAMES, fit=fit_weights_by_likelihood)
    assert held.countries == len(domains) and 0.8 < held.spearman < 1
    assert all(fold.weights["noise"] < 0.6 for fold in held.folds)
    # In a choice against an index of noise alone, it is picked for every region.
    noisy = {c: dict.fromkeys(NAMES, d["noise"]) for c, d in domains.items()}
    nested = nested_cross_validate(
        [Candidate("noise", NAMES, noisy), Candidate("likelihood", NAMES, domains,
                                                      fit=fit_weights_by_likelihood)],
        levels, regions, grid=(0.0, 1.0, 2.0),
    )  # fmt: skip
    assert {pick for _, pick, _ in nested.chosen} == {"likelihood"}
    assert nested.spearman == pytest.approx(held.spearman)
