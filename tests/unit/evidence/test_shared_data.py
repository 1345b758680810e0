"""The issue's done-when checks on the real open-data files in ../shared/data."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.evidence.baseline import (
    agreement_with_advice,
    baseline_index,
    baseline_scores,
    raw_values,
    rule_goalposts,
)
from riskatlas.evidence.baseline_fit import (
    country_domains,
    fit_weights,
    national_levels,
    shipped_weights,
    validation_text,
)
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.store import connect

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
pytestmark = [
    pytest.mark.shared_data,
    pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is absent"),
]

FILES = [
    ("acled", "acled/acled_sample_2022h1.csv"),
    ("acled", "acled/acled_argentina_2022-06.csv"),
    ("ucdp-ged", "ucdp/ged_sample.csv"),
    ("gpi", "indicators/global_peace_index.csv"),
    ("gpi", "indicators/GPI-2022-overall-scores-and-domains-2008-2022.xlsx"),
    ("homicide", "indicators/homicide_unodc_who.csv"),
    ("who-road", "indicators/who_road_traffic_deaths_RS_198.csv"),
    ("inform", "indicators/inform_gri_2020_v040.csv"),
    ("advisories-us", "advisories/unitedstates_summary.csv"),
]


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list]]:
    db = tmp_path_factory.mktemp("shared") / "events.duckdb"
    con = connect(db)
    results: dict[str, list] = {}
    for source, name in FILES:
        results.setdefault(name, []).append(import_file(con, source, SHARED / name))
    con.close()
    return db, results


def test_acled_sample_imports_9000_events_with_peru_areas(loaded):
    db, results = loaded
    [sample] = results["acled/acled_sample_2022h1.csv"]
    assert (sample.rows_added, sample.rows_rejected) == (9000, 0)
    con = connect(db, read_only=True)
    peru = con.execute(
        "SELECT count(*), count(area_code), count(*) FILTER (area_code LIKE 'PE-%')"
        " FROM events WHERE source = 'acled' AND country_iso3 = 'PER'"
    ).fetchone()
    assert peru == (69, 69, 69)
    con.close()
    writer = connect(db)
    again = import_file(writer, "acled", SHARED / "acled/acled_sample_2022h1.csv")
    writer.close()
    assert again.rows_added == 0 and again.rows_present == 9000


def test_names_shared_by_a_province_and_its_city_get_the_documented_area(loaded):
    """ACLED says "Maputo" for the province and "Tashkent City" for the city (UZ-TK)."""
    db, _ = loaded
    con = connect(db, read_only=True)
    placed = con.execute(
        "SELECT DISTINCT country_iso3, admin1, area_code FROM events WHERE source = 'acled'"
        " AND country_iso3 IN ('MOZ', 'UZB') AND admin1 IN ('Maputo', 'Tashkent', 'Tashkent City')"
        " ORDER BY 2"
    ).fetchall()
    con.close()
    assert placed == [
        ("MOZ", "Maputo", "MZ-L"),
        ("UZB", "Tashkent", "UZ-TO"),
        ("UZB", "Tashkent City", "UZ-TK"),
    ]


def test_argentina_typo_is_corrected(loaded):
    db, results = loaded
    [argentina] = results["acled/acled_argentina_2022-06.csv"]
    assert argentina.rows_rejected == 0
    assert argentina.rows_added + argentina.rows_present == 326
    con = connect(db, read_only=True)
    disorders = dict(
        con.execute(
            "SELECT disorder, count(*) FROM events WHERE country_iso3 = 'ARG' GROUP BY 1"
        ).fetchall()
    )
    con.close()
    assert "Demostrations" not in disorders and disorders["Demonstrations"] >= 320


def test_ucdp_sample_and_indicator_files_import(loaded):
    _, results = loaded
    [ucdp] = results["ucdp/ged_sample.csv"]
    assert ucdp.rows_added + ucdp.rows_rejected == 1000 and ucdp.rows_rejected <= 5
    for name in ("indicators/global_peace_index.csv", "indicators/homicide_unodc_who.csv",
                 "indicators/who_road_traffic_deaths_RS_198.csv",
                 "indicators/inform_gri_2020_v040.csv"):  # fmt: skip
        [result] = results[name]
        assert result.rows_added > 1000, name
    [homicide] = results["indicators/homicide_unodc_who.csv"]
    assert homicide.skipped_reasons["aggregate or non-country code (region, income group…)"] > 300


def test_baseline_ranks_like_the_us_advisory_levels(loaded):
    db, _ = loaded
    scores = {row["iso3"]: row for row in baseline_scores(db)}
    assert scores["SYR"]["score"] > scores["PER"]["score"] > scores["ISL"]["score"]
    agreement = agreement_with_advice(db, "unitedstates")
    assert agreement["countries"] >= 180
    assert agreement["spearman"] >= 0.78  # in sample: the weights were fitted on these levels


def test_the_goalposts_are_the_rules_not_set_by_eye(loaded):
    """Every scaled indicator with data scores 0 and 10 at its 5th and 95th percentiles over
    the countries of these files: no advice level went into them."""
    db, _ = loaded
    index = baseline_index()
    con = connect(db, read_only=True)
    ruled = rule_goalposts(raw_values(con, index), index)
    con.close()
    assert ruled == {
        k: i.goalposts for k, i in index.indicators.items() if i.goalposts and k in ruled
    }
    scaled = {k for k, i in index.indicators.items() if i.goalposts}
    assert set(ruled) == scaled - {"wgi_political_stability"}  # not in the shared files


def test_the_shipped_weights_are_the_fit_and_its_held_out_agreement_is_reported(loaded):
    """docs/data-sources.md's figures: Spearman 0.798 with the US levels, each continent
    scored with weights fitted on the others; 0.803 in sample. (The choice of this index among
    thirteen candidates, judged nested, gives 0.788: benchmarks/baseline_eval.py --nested, too slow
    for a test. The issue's target of 0.80 is not reached held out.)"""
    db, _ = loaded
    index = baseline_index()
    known = country_domains(db, index)
    levels = national_levels(db, "unitedstates")
    fitted, _ = fit_weights(known.domains, levels, index.domains)
    assert fitted == shipped_weights(index)
    text = validation_text(db, "unitedstates")  # cross_validate's figures, as the user reads them
    assert text.startswith("Spearman vs unitedstates levels, held out by region: 0.798 over 186")
    assert "In sample (the shipped weights, fitted on all of them): 0.803 over 186" in text
    lines = text.splitlines()
    folds = lines[lines.index(next(x for x in lines if x.startswith("Folds"))) + 1 :][:6]
    assert [line.split(":")[0].strip() for line in folds] == ["AF", "AS", "EU", "NA", "OC", "SA"]
