"""The baseline's event-derived rates (riskatlas.evidence.baseline): over the span of the sources
that record the categories counted, the recent years only, and their goalposts by rule."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from riskatlas.evidence.analytics import _packaged_population
from riskatlas.evidence.baseline import event_goalposts_by_rule, raw_values, rule_goalposts
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.composite import CompositeIndex
from riskatlas.evidence.store import connect


def _index(sources: dict[str, dict], **extra: object) -> CompositeIndex:
    return CompositeIndex.from_dict(
        {
            "id": "events-only",
            "top": "score",
            "indicators": {
                key: {"source": source, "transform": "log", "goalposts": [0, 1]}
                for key, source in sources.items()
            },
            "components": {"score": {"aggregation": "mean", "of": list(sources)}},
            **extra,
        }
    )


@pytest.fixture
def peru(fixtures: Path, store: Path) -> Path:
    """Peru's ACLED events of March–June 2022 (four protests, one attack with two deaths) and
    two UCDP events of 1989 (31 deaths)."""
    con = connect(store)
    import_file(con, "acled", fixtures / "acled_peru.csv")
    import_file(con, "ucdp-ged", fixtures / "ucdp_ged.csv")
    con.close()
    return store


def _per_million_a_year(count: float, first: date, last: date) -> float:
    years = ((last - first).days + 1) / 365.25
    return count / years / _packaged_population()["PER"] * 1_000_000


def _values(store: Path, index: CompositeIndex) -> dict[str, float]:
    con = connect(store, read_only=True)
    try:
        return raw_values(con, index)["PER"]
    finally:
        con.close()


def test_an_acled_only_category_is_a_rate_over_acleds_months_not_ucdps_decades(peru: Path):
    index = _index(
        {
            "protests": {"events": ["UNR"]},
            "violent": {"events": ["UNR"], "sub_types": ["Violent demonstration"]},
        }
    )
    values = _values(peru, index)
    months = (date(2022, 3, 10), date(2022, 6, 28))  # the span of ACLED's events
    assert values["protests"] == pytest.approx(_per_million_a_year(4, *months))
    assert values["violent"] == pytest.approx(_per_million_a_year(1, *months))


def test_only_the_last_three_years_of_the_sources_count(peru: Path):
    """Armed-conflict deaths come from both sources: UCDP's 1989 deaths are older than three
    years before the latest event, so only ACLED's two count, over ACLED's months; an index
    asking for forty years counts all 33 over the whole span."""
    recent = _values(peru, _index({"deaths": {"events": ["ACI"], "measure": "fatalities"}}))
    assert recent["deaths"] == pytest.approx(
        _per_million_a_year(2, date(2022, 3, 10), date(2022, 6, 28))
    )
    spec = {"events": ["ACI"], "measure": "fatalities", "recent_years": 40}
    whole = _values(peru, _index({"deaths": spec}))
    assert whole["deaths"] == pytest.approx(
        _per_million_a_year(33, date(1989, 4, 8), date(2022, 6, 28))
    )


def test_a_rate_that_is_mostly_zero_gets_goalposts_from_the_countries_with_such_events():
    values = [0.0] * 80 + [float(i) for i in range(1, 21)]  # 20 countries with events: 1..20
    assert event_goalposts_by_rule(values) == (0.0, 19.1)  # their 95th percentile, 19.05
    assert event_goalposts_by_rule([0.0] * 80 + [1.0] * 9) is None  # too few to set a rule

    countries = {f"C{i:03d}": {"deaths": v} for i, v in enumerate(values)}
    events = {"deaths": {"events": ["TER"], "measure": "fatalities"}}
    assert rule_goalposts(countries, _index(events)) == {"deaths": (0.0, 15.1)}  # 95th of all
    ruled = rule_goalposts(countries, _index(events, event_goalposts="nonzero"))
    assert ruled == {"deaths": (0.0, 19.1)}
