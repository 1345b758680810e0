"""The baseline's weights fitted and judged held out by region (riskatlas.evidence.baseline_fit),
on small made-up data where the right answer is known."""

from __future__ import annotations

import pytest

from riskatlas.evidence.baseline import drivers, goalposts_by_rule
from riskatlas.evidence.baseline_fit import (
    Candidate,
    agreement,
    cross_validate,
    disagreements,
    fit_weights,
    nested_cross_validate,
    weighted_score,
)

NAMES = ("conflict", "crime", "road", "noise")


def _world() -> tuple[dict[str, dict[str, float | None]], dict[str, float], dict[str, str]]:
    """Twelve countries in three regions. The level follows conflict, crime and road deaths
    loosely; "noise" runs against it. A score needs three weighted domains, so the right
    weights are the first three, noise none."""
    domains: dict[str, dict[str, float | None]] = {}
    levels: dict[str, float] = {}
    regions: dict[str, str] = {}
    for i in range(12):
        iso3 = f"C{i:02d}"
        level = 1 + i // 3  # 1..4
        domains[iso3] = {
            "conflict": float(level * 2 + (i % 3) * 0.1),
            "crime": float((i * 7) % 5),
            "road": float(level + (i * 5) % 3),
            "noise": float((11 - i) * 3),
        }
        levels[iso3] = float(level)
        regions[iso3] = "ABC"[i % 3]
    return domains, levels, regions


def test_a_score_is_the_weighted_mean_of_the_domains_with_data() -> None:
    weights = {"conflict": 4.0, "crime": 1.0, "noise": 0.0}
    assert weighted_score({"conflict": 5.0, "crime": 0.0, "noise": 9.0}, weights, 2) == 4.0
    # a missing domain drops out with its weight
    assert weighted_score({"conflict": 5.0, "crime": None, "noise": 9.0}, weights, 1) == 5.0
    # too few weighted domains with data: no score (a weight of 0 does not count)
    assert weighted_score({"conflict": 5.0, "crime": None, "noise": 9.0}, weights, 2) is None


def test_the_fit_keeps_what_ranks_like_the_levels_and_drops_what_runs_against_them() -> None:
    domains, levels, _ = _world()
    weights, rho = fit_weights(domains, levels, NAMES, grid=(0.0, 1.0, 2.0), anchor=("conflict", 4))
    assert weights["noise"] == 0.0 and weights["conflict"] == 4
    assert rho == pytest.approx(agreement(domains, levels, weights)[0])
    assert rho > 0.9


def test_each_region_is_scored_with_weights_fitted_without_its_levels() -> None:
    domains, levels, regions = _world()
    grid, anchor = (0.0, 1.0, 2.0), ("conflict", 4.0)
    first = cross_validate(domains, levels, regions, NAMES, grid, anchor)
    assert [f.region for f in first.folds] == ["A", "B", "C"]
    assert first.countries == 12 and first.spearman > 0.9
    # Scramble region A's levels: A's held-out scores cannot change (its levels are never
    # seen when scoring it), while B's and C's may (A is in their training data).
    scrambled = {c: (5 - v if regions[c] == "A" else v) for c, v in levels.items()}
    second = cross_validate(domains, scrambled, regions, NAMES, grid, anchor)
    for iso3, region in regions.items():
        if region == "A":
            assert second.held_out[iso3] == first.held_out[iso3], iso3
    # and the pooled agreement with the scrambled levels falls: the held-out figure is honest
    assert second.spearman < first.spearman - 0.3


def test_a_fit_that_could_only_score_a_few_countries_is_refused() -> None:
    domains: dict[str, dict[str, float | None]] = {
        "X": {"conflict": None},
        "Y": {"conflict": None},
        "Z": {"conflict": 1.0},
    }
    with pytest.raises(ValueError, match="no weighting scores enough of the 3 countries"):
        fit_weights(domains, {"X": 1, "Y": 2, "Z": 3}, ("conflict",), anchor=("conflict", 1))


def test_drivers_are_each_domains_share_of_the_score_largest_first() -> None:
    shares = drivers(
        {"conflict": 6.0, "crime": 2.0, "unrest": 9.0, "road": None},
        {"conflict": 4.0, "crime": 1.0, "unrest": 0.0, "road": 1.0},
    )
    assert [d for d, _ in shares] == ["conflict", "crime"]  # unrest weighs nothing
    assert shares[0][1] == pytest.approx(24 / 26) and sum(s for _, s in shares) == pytest.approx(1)


def test_disagreements_put_the_furthest_ranks_first_with_their_side() -> None:
    scores = {"A": 1.0, "B": 2.0, "C": 3.0, "D": 9.0, "E": 0.5}
    levels = {"A": 1.0, "B": 2.0, "C": 3.0, "D": 1.0, "E": 4.0}
    worst = disagreements(scores, levels, count=2)
    assert [d.iso3 for d in worst] == ["E", "D"]
    assert worst[0].gap < 0 < worst[1].gap  # E ranked safer than its level, D riskier
    assert worst[0].score_percentile == 0 and worst[0].level_percentile == 100


def test_choosing_between_indexes_is_judged_without_each_regions_levels() -> None:
    """Two candidate indexes: one whose conflict domain follows the levels, one whose conflict
    domain is noise. The choice, made in each fold on the other regions, keeps the first, and
    the nested figure is then that index's held-out figure."""
    domains, levels, regions = _world()
    grid, anchor = (0.0, 1.0, 2.0), ("conflict", 4.0)
    noisy = {c: {**d, "conflict": d["noise"]} for c, d in domains.items()}
    candidates = [Candidate("noisy", NAMES, noisy), Candidate("sound", NAMES, domains)]
    nested = nested_cross_validate(candidates, levels, regions, grid, anchor)
    assert [(region, pick) for region, pick, _ in nested.chosen] == [
        ("A", "sound"), ("B", "sound"), ("C", "sound"),
    ]  # fmt: skip
    for _, _, inner in nested.chosen:
        assert inner["sound"] > inner["noisy"]
    plain = cross_validate(domains, levels, regions, NAMES, grid, anchor)
    assert nested.countries == 12 and nested.spearman == pytest.approx(plain.spearman)


def test_goalposts_by_rule_are_the_5th_and_95th_percentiles() -> None:
    assert goalposts_by_rule([float(x) for x in range(101)]) == (5.0, 95.0)
    # rounded to three significant digits, whatever the scale
    assert goalposts_by_rule([x / 7000 for x in range(101)]) == (0.000714, 0.0136)
    assert goalposts_by_rule([1.0] * 19) is None  # too few countries to say


def test_a_stated_method_index_is_chosen_only_where_it_does_better_on_the_other_regions() -> None:
    """A candidate fitted to nothing (its scores given) is judged in each fold by its plain
    agreement on the other regions and scores the held-out region as it is."""
    domains, levels, regions = _world()
    grid, anchor = (0.0, 1.0, 2.0), ("conflict", 4.0)
    perfect = {c: levels[c] for c in levels}  # ranks exactly as the levels: beats any fit
    backwards = {c: -levels[c] for c in levels}  # ranks against them: never chosen
    fitted = Candidate("fitted", NAMES, domains)
    nested = nested_cross_validate(
        [fitted, Candidate("stated", (), {}, perfect)], levels, regions, grid, anchor
    )
    assert {pick for _, pick, _ in nested.chosen} == {"stated"}
    assert nested.countries == 12 and nested.spearman == pytest.approx(1.0)
    nested = nested_cross_validate(
        [Candidate("stated", (), {}, backwards), fitted], levels, regions, grid, anchor
    )
    assert {pick for _, pick, _ in nested.chosen} == {"fitted"}
    for _, _, inner in nested.chosen:
        assert inner["stated"] == pytest.approx(-1.0)
    plain = cross_validate(domains, levels, regions, NAMES, grid, anchor)
    assert nested.spearman == pytest.approx(plain.spearman)


def test_a_candidate_that_cannot_be_fitted_in_a_fold_is_not_chosen_there() -> None:
    """A candidate whose countries have too few domains for a score under any weighting (a
    score needs three) is never chosen, and the choice among the others goes on."""
    domains, levels, regions = _world()
    grid, anchor = (0.0, 1.0, 2.0), ("conflict", 4.0)
    thin = {c: {"conflict": d["conflict"], "crime": d["crime"]} for c, d in domains.items()}
    candidates = [
        Candidate("thin", ("conflict", "crime"), thin),
        Candidate("sound", NAMES, domains),
    ]
    nested = nested_cross_validate(candidates, levels, regions, grid, anchor)
    assert {pick for _, pick, _ in nested.chosen} == {"sound"}
    for _, _, inner in nested.chosen:
        assert inner["thin"] == float("-inf")
    plain = cross_validate(domains, levels, regions, NAMES, grid, anchor)
    assert nested.spearman == pytest.approx(plain.spearman)
