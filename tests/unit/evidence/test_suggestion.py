"""A likelihood is suggested only from data that are complete for the period and enough to
tell; otherwise the panel says "not enough data" and why. Severity is shown, not only counts."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from riskatlas.evidence.analytics import evidence_panel
from riskatlas.evidence.assessment import risk_evidence
from riskatlas.evidence.catalogue import import_file, status
from riskatlas.evidence.coverage import Scope, country_spans, scope_for
from riskatlas.evidence.store import connect
from riskatlas.evidence.suggestion import poisson_interval, suggest
from tests.acled_extract import ARAUCA, event, full_year, write_extract

YEAR = (date(2021, 7, 1), date(2022, 6, 30))
COLOMBIA = {
    "assessment": {"country": "CO"},
    "areas": [],
    "risks": [{"id": "arauca-conflict", "area": "CO-ARA", "category": "ACI"}],
}


def test_exact_poisson_interval_matches_textbook_values():
    assert poisson_interval(0)[1] == pytest.approx(-math.log(0.05), abs=1e-6)
    low, high = poisson_interval(1)
    assert (low, high) == (pytest.approx(0.0513, abs=1e-4), pytest.approx(4.744, abs=1e-3))


def test_fewer_than_five_events_give_no_likelihood():
    one = suggest(1, 365, [])
    assert one.likelihood is None
    assert one.not_enough == ["1 event in 365 days: too few to tell (at least 5 are needed)"]
    assert suggest(4, 365, []).likelihood is None
    five = suggest(5, 365, [])  # 34 % a month; 90 %: 15 % to 58 %, likelihood 1 to 4
    assert (five.likelihood, five.levels) == (2, (1, 4))
    assert five.as_dict()["probability_interval"] == [0.152, 0.584]
    assert suggest(12, 365, []).likelihood == 4  # one a month: 63 %
    partial = suggest(30, 365, ["a sample"])
    assert partial.likelihood is None and partial.not_enough == ["a sample"]


def test_scope_is_stated_fetched_inferred_from_the_name_or_unstated():
    assert scope_for(Path("x.csv"), "full") == Scope("full", "stated at import with --full")
    assert scope_for(Path("x.csv"), "sample").kind == "sample"
    assert scope_for(Path("x.json"), fetched=True).kind == "full"
    named = scope_for(Path("acled_sample_2022h1.csv"))
    assert named.kind == "sample" and "inferred from the file name" in named.basis
    assert scope_for(Path("export.csv")).kind == "unstated"


def _import(store: Path, path: Path, scope: Scope | None = None) -> None:
    con = connect(store)
    try:
        import_file(con, "acled", path, scope=scope)
    finally:
        con.close()


def test_sample_loaded_a_year_of_arauca_gets_no_suggestion_and_says_why(
    shared_data: Path, store: Path
):
    _import(store, shared_data / "acled" / "acled_sample_2022h1.csv")
    evidence = risk_evidence(store, COLOMBIA)
    assert evidence["window"] == YEAR  # the year asked, up to the last day held
    panel = evidence["panels"]["arauca-conflict"]
    assert panel["suggested_likelihood"] is None
    assert panel["coverage"]["note"] == "events 1 Jan–30 Jun 2022: 181 of the 365 days asked"
    assert (panel["start"], panel["days"]) == ("2022-01-01", 181)
    why = " ".join(panel["not_enough_data"])
    assert "covers only 181 of the 365 days asked" in why
    assert "acled_sample_2022h1.csv is a sample" in why
    assert "1 event in 181 days: too few to tell" in why
    assert "Not enough data to suggest a likelihood" in panel["reason"]
    # The one event was an abduction and killing: the panel says so, not only "1 event".
    severity = panel["severity"]
    assert (severity["deaths"], severity["against_civilians"], severity["abductions"]) == (1, 1, 1)
    assert (
        "(1 death in 1 event, 1 attack on civilians, 1 abduction or kidnapping)"
        in (panel["reason"])
    )


def test_sample_stated_full_still_gets_none_when_the_window_exceeds_the_data(
    shared_data: Path, store: Path
):
    _import(store, shared_data / "acled" / "acled_sample_2022h1.csv", Scope("full", "test"))
    panel = evidence_panel(store, ["MEX"], "UNR", *YEAR)
    assert panel["events"] > 100
    assert panel["suggested_likelihood"] is None
    assert panel["not_enough_data"] == ["the data held covers only 181 of the 365 days asked"]


def test_full_extract_spanning_the_window_gets_a_suggestion(tmp_path: Path, store: Path):
    rows = full_year(ARAUCA, *YEAR, "clash", every=14)  # 27 clashes, 9 with a death
    rows.append(event(ARAUCA, 1, date(2022, 3, 3), "attack", fatalities=1))
    _import(store, write_extract(tmp_path / "colombia.csv", rows), Scope("full", "test"))
    panel = risk_evidence(store, COLOMBIA)["panels"]["arauca-conflict"]
    assert panel["not_enough_data"] == []
    assert panel["coverage"]["note"] == "events 1 Jul 2021–30 Jun 2022: all 365 days asked"
    assert panel["events"] == 28
    assert panel["suggested_likelihood"] == 5  # 2.3 a month: 90 % in a given month
    assert panel["severity"]["deaths"] == 10
    assert panel["severity"]["aid_workers"] == 1 and panel["severity"]["abductions"] == 1
    assert "(10 deaths in 10 events, 1 attack on civilians, 1 abduction or kidnapping, 1 event" \
        " involving aid workers)" in panel["reason"]  # fmt: skip


def test_a_full_extract_of_another_country_does_not_complete_a_sample(
    shared_data: Path, tmp_path: Path, store: Path
):
    _import(store, shared_data / "acled" / "acled_sample_2022h1.csv")
    peru = [{**row, "event_id_cnty": "PER" + row["event_id_cnty"][3:], "iso": "604",
             "country": "Peru", "admin1": "Lima", "latitude": "-12.04", "longitude": "-77.03"}
            for row in full_year(ARAUCA, *YEAR, "clash", every=14)]  # fmt: skip
    _import(store, write_extract(tmp_path / "peru.csv", peru), Scope("full", "test"))
    panel = risk_evidence(store, COLOMBIA)["panels"]["arauca-conflict"]
    assert panel["suggested_likelihood"] is None
    assert any("is a sample" in why for why in panel["not_enough_data"])
    con = connect(store, read_only=True)
    files = {Path(str(f["file"])).name: f for f in status(con)[0]["coverage"]}
    con.close()
    assert files["peru.csv"]["scope"] == "full" and files["peru.csv"]["countries"] == ["PER"]
    assert files["acled_sample_2022h1.csv"]["scope"] == "sample"
    assert len(files["acled_sample_2022h1.csv"]["countries"]) == 169


def test_a_protest_against_a_kidnapping_is_no_abduction(shared_data: Path, store: Path):
    _import(store, shared_data / "acled" / "acled_sample_2022h1.csv")
    # Peru's 69 unrest events include a protest against a kidnapping (Casma, 14 April 2022).
    panel = evidence_panel(store, ["PER"], "UNR", *YEAR)
    assert (panel["events"], panel["severity"]["abductions"]) == (69, 0)
    assert panel["severity"]["phrases"] == ["1 death in 1 event"]


def test_a_store_from_before_coverage_was_recorded(fixtures: Path, store: Path):
    _import(store, fixtures / "acled_peru.csv", Scope("full", "test"))
    con = connect(store)
    con.execute("DROP TABLE coverage")  # as a store made by an earlier version
    con.close()
    panel = evidence_panel(store, ["PER"], "UNR", date(2022, 3, 10), date(2022, 6, 28))
    assert panel["events"] == 4 and panel["suggested_likelihood"] is None
    assert panel["coverage"]["files"][0]["file"] is None
    assert "imported before riskatlas recorded what a file covers" in panel["not_enough_data"][0]
    con = connect(store, read_only=True)
    [acled] = status(con)
    con.close()
    assert [f["scope"] for f in acled["coverage"]] == ["unstated"]
    # The next import (writing) creates the table; re-importing records the file.
    _import(store, fixtures / "acled_peru.csv", Scope("full", "test"))
    panel = evidence_panel(store, ["PER"], "UNR", date(2022, 3, 10), date(2022, 6, 28))
    assert panel["coverage"]["problems"] == []


def test_a_source_no_recorded_file_covers_is_said_beside_a_recorded_one(
    fixtures: Path, store: Path
):
    # Peru's events from two sources: ACLED's file recorded, UCDP's record dropped (as a file
    # imported by an earlier version): only UCDP gets a span over its own events' dates.
    _import(store, fixtures / "acled_peru.csv", Scope("full", "test"))
    con = connect(store)
    import_file(con, "ucdp-ged", fixtures / "ucdp_ged.csv", scope=Scope("full", "test"))
    con.execute("DELETE FROM coverage WHERE source = 'ucdp-ged'")
    ucdp = con.execute(
        "SELECT min(event_date), max(event_date) FROM events"
        " WHERE source = 'ucdp-ged' AND country_iso3 = 'PER'"
    ).fetchone()
    spans = country_spans(con, "PER")
    con.close()
    assert ucdp is not None and ucdp[0] is not None
    unstated = [(s.source, s.first, s.last) for s in spans if s.scope == "unstated"]
    assert unstated == [("ucdp-ged", ucdp[0], ucdp[1])]
    assert {s.source for s in spans if s.scope == "full"} == {"acled"}


def test_gaps_between_full_extracts_and_uncovered_countries_are_said(tmp_path: Path, store: Path):
    first = full_year(ARAUCA, date(2021, 7, 1), date(2021, 12, 31), "clash", every=7)
    second = full_year(ARAUCA, date(2022, 3, 1), date(2022, 6, 30), "clash", every=7)
    second = [{**row, "event_id_cnty": "COL2" + row["event_id_cnty"][3:]} for row in second]
    for name, rows in (("h2-2021.csv", first), ("mar-jun-2022.csv", second)):
        _import(store, write_extract(tmp_path / name, rows), Scope("full", "test"))
    panel = risk_evidence(store, COLOMBIA)["panels"]["arauca-conflict"]
    assert panel["events"] == len(first) + len(second)
    assert panel["suggested_likelihood"] is None
    assert panel["not_enough_data"] == [
        "the complete extracts for COL leave 59 of the 365 days out"
    ]
    both = evidence_panel(store, ["CO-ARA", "PE-LIM"], "ACI", *YEAR)
    assert "no imported event data covers PER" in both["not_enough_data"]
