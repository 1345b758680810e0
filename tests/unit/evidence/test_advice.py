from pathlib import Path

from riskatlas.evidence.advice import official_advice
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.store import connect


def test_us_summary_and_markdown_advice_side_by_side(fixtures: Path, store: Path):
    con = connect(store)
    summary = import_file(con, "advisories-us", fixtures / "us_summary.csv")
    assert (summary.rows_added, summary.rows_rejected) == (4, 1)  # Atlantis quarantined
    assert summary.skipped_reasons == {"destination repeated (the row with a level kept)": 1}
    import_file(con, "advisories", fixtures / "advisories")
    con.close()
    peru = {g["government"]: g for g in official_advice(store, "PER")}
    assert peru["unitedstates"]["level"] == 2
    assert peru["unitedstates"]["updated"] == "2025-05-16"
    us_areas = [(a["area"], a["level"]) for a in peru["unitedstates"]["areas"]]
    assert us_areas == [
        ("The Colombia-Peru border area in the Loreto Region", 4),
        ("The Valley of the Apurímac, Ene, and Mantaro Rivers (VRAEM)", 4),
    ]
    assert peru["canada"]["level"] == 2
    canada = {a["area"]: (a["level"], a["area_code"]) for a in peru["canada"]["areas"]}
    assert canada["Puno"] == (3, "PE-PUN")
    # The heading is a section title; the sentence under it names the place (no ISO code).
    assert canada["the VRAEM"] == (4, None)
    assert official_advice(store, "MMR")[0]["level"] == 4
    assert official_advice(store, "MEX")[0]["level"] is None


def test_shared_advice_folder_reads_every_government(shared_data: Path, store: Path):
    con = connect(store)
    result = import_file(con, "advisories", shared_data / "advisories")
    assert result.rows_seen == 50 and result.rows_rejected == 0
    con.close()
    governments = {g["government"] for g in official_advice(store, "PER")}
    assert governments == {"unitedstates", "unitedkingdom", "canada", "australia", "ireland"}
    mexico_us = next(g for g in official_advice(store, "MEX") if g["government"] == "unitedstates")
    assert {"MX-GRO", "MX-SIN", "MX-TAM"} <= {a["area_code"] for a in mexico_us["areas"]}


def test_comparison_with_our_own_level_highlights_differences(fixtures: Path, store: Path):
    from riskatlas.evidence.advice import compare_with_advice

    con = connect(store)
    import_file(con, "advisories-us", fixtures / "us_summary.csv")
    import_file(con, "advisories", fixtures / "advisories")
    con.close()
    advice = official_advice(store, "PER")
    # Our level for Puno is "high" (4), i.e. 3 on the advice scale.
    rows = {r["government"]: r for r in compare_with_advice(advice, 4, "PE-PUN")}
    assert (rows["canada"]["level"], rows["canada"]["applies_to"]) == (3, "area")
    assert rows["canada"]["differs"] is False and rows["canada"]["direction"] == "same as ours"
    assert rows["unitedstates"]["level"] == 2 and rows["unitedstates"]["applies_to"] == "country"
    assert rows["unitedstates"]["direction"] == "less strict than ours"
    lima = {r["government"]: r for r in compare_with_advice(advice, 2, "PE-LIM")}
    assert lima["canada"]["difference"] == 1 and lima["canada"]["differs"]
