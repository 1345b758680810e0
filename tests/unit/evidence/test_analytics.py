from datetime import date
from pathlib import Path

import pytest

from riskatlas.evidence.analytics import (
    binomial_two_sided,
    evidence_panel,
    monthly_table,
    suggested_likelihood,
    trend_test,
)
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.store import connect


def test_exact_binomial_test_matches_textbook_values():
    assert binomial_two_sided(10, 10) == pytest.approx(2 * 0.5**10)
    assert binomial_two_sided(5, 10) == pytest.approx(1.0)
    assert binomial_two_sided(8, 10) == pytest.approx(0.109375)


def test_trend_words():
    assert trend_test(30, 10, 90, 90)["trend"] == "rising"
    assert trend_test(10, 30, 90, 90)["trend"] == "falling"
    assert trend_test(11, 9, 90, 90)["trend"] == "stable"
    assert trend_test(8, 0, 90, 90)["trend"] == "new"
    assert trend_test(0, 0, 90, 90)["trend"] == "unknown"


def test_suggested_likelihood_follows_monthly_frequency():
    assert suggested_likelihood(0, 365)[0] == 1
    assert suggested_likelihood(12, 365)[0] == 4  # one a month: 63 %
    assert suggested_likelihood(60, 365)[0] == 5


def test_evidence_panel_on_fixture_events(fixtures: Path, store: Path):
    con = connect(store)
    import_file(con, "acled", fixtures / "acled_peru.csv")
    assert ("PE-JUN", "UNR", 1, 0) in {(r[0], r[1], r[3], r[4]) for r in monthly_table(con)}
    con.close()
    panel = evidence_panel(store, ["PE-LIM", "PE-JUN"], "UNR", date(2022, 6, 1), date(2022, 6, 30))
    assert panel["events"] == 2
    assert panel["area_names"] == ["Junín", "Lima"]
    assert panel["rate_per_100k_per_year"] is None  # no population for regions without import
    assert "population" in panel["population_source"]
    assert panel["top_sub_types"][0]["events"] == 1
    assert {e["event_key"] for e in panel["sample_events"]} == {"PER9001", "PER9002"}
    assert panel["reason"].startswith("2 civil unrest events (0 deaths) in PE-JUN, PE-LIM")
    country = evidence_panel(store, ["PE"], "ACI", date(2022, 5, 1), date(2022, 5, 31))
    assert country["area_codes"] == ["PER"] and country["area_names"] == ["Peru"]
    assert (country["events"], country["fatalities"]) == (1, 2)
    assert country["population_source"].startswith("GeoNames")
    assert country["rate_per_100k_per_year"] > 0
    assert country["trend"] == "stable"
    whole = evidence_panel(store, ["PER"], "UNR", date(2022, 3, 10), date(2022, 6, 30))
    assert (whole["events"], whole["trend"], whole["p_value"]) == (4, "unknown", None)
    assert "Trend: not tested — the data held start on 2022-03-10" in whole["reason"]
    # Imported without --full: the counts stand, but no likelihood is suggested.
    assert whole["suggested_likelihood"] is None
    assert "whether it holds every event is not recorded" in whole["not_enough_data"][0]


def test_evidence_panel_rejects_unknown_category(fixtures: Path, store: Path):
    connect(store).close()
    with pytest.raises(ValueError, match="unknown threat category 'XXX'"):
        evidence_panel(store, ["PER"], "XXX", date(2022, 1, 1), date(2022, 1, 31))
