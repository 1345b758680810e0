import csv
from pathlib import Path

import pytest

from riskatlas.evidence._data import load_yaml
from riskatlas.evidence.composite import AGGREGATIONS, CompositeIndex, Indicator

TINY = {
    "id": "tiny",
    "top": "score",
    "domains": ["crime", "peace"],
    "indicators": {
        "homicide": {"source": {}, "transform": "log", "goalposts": [0, 99]},
        "stability": {"source": {}, "goalposts": [-2.5, 2.5], "invert": True},
    },
    "components": {
        "crime": {"aggregation": "mean", "of": ["homicide"]},
        "peace": {"aggregation": "mean", "of": ["stability"]},
        "score": {"aggregation": "mean", "of": {"crime": 3, "peace": 1}},
    },
}


def test_goalposts_transform_clamp_and_invert():
    homicide = Indicator("h", {}, transform="log", goalposts=(0, 99))
    assert homicide.score(0) == 0
    assert homicide.score(9) == pytest.approx(5.0)  # log10(10) / log10(100)
    assert homicide.score(5000) == 10
    stability = Indicator("s", {}, goalposts=(-2.5, 2.5), invert=True)
    assert stability.score(2.5) == 0 and stability.score(-2.5) == 10


def test_weights_and_missing_values():
    index = CompositeIndex.from_dict(TINY)
    both = index.compute({"homicide": 9, "stability": 0})
    assert both["score"] == pytest.approx((3 * 5 + 1 * 5) / 4)
    only_peace = index.compute({"stability": -2.5})
    assert only_peace["crime"] is None and only_peace["score"] == 10


def test_bad_definitions_are_refused():
    broken = {
        **TINY,
        "components": {**TINY["components"], "score": {"aggregation": "median", "of": ["crime"]}},
    }
    with pytest.raises(ValueError, match="unknown aggregation 'median'"):
        CompositeIndex.from_dict(broken)
    clash = {**TINY, "indicators": {**TINY["indicators"], "crime": {"source": {}}}}
    with pytest.raises(ValueError, match="indicator and a component"):
        CompositeIndex.from_dict(clash)


def test_inform_2020_reproduced_for_every_country(shared_data: Path):
    """From the hazards and the five other categories up to INFORM RISK, within ±0.1."""
    index = CompositeIndex.from_dict(load_yaml("inform_2020.yaml"))
    path = shared_data / "indicators" / "inform_gri_2020_v040.csv"
    with path.open(encoding="latin-1") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 191
    columns = {
        "natural": "Natural",
        "hazard_exposure": "HAZARD & EXPOSURE",
        "vulnerability": "VULNERABILITY",
        "lack_of_coping_capacity": "LACK OF COPING CAPACITY",
        "risk": "INFORM RISK",
    }
    for ind in index.indicators.values():
        columns[ind.id] = ind.source["indicator"].removeprefix("inform:")
    for row in rows:
        raw = {key: float(row[columns[key]]) for key in index.indicators}
        computed = index.compute(raw)
        assert computed["risk"] == pytest.approx(float(row["INFORM RISK"]), abs=0.1), row["ISO3"]
        # Each aggregation step, from the published values one level down, within ±0.1 too.
        for component in index.components.values():
            published = [float(row[columns[child]]) for child in component.children]
            value = AGGREGATIONS[component.aggregation](published, component.weights)
            expected = float(row[columns[component.id]])
            assert value == pytest.approx(expected, abs=0.1), (row["ISO3"], component.id)
