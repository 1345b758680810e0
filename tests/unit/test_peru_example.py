"""The Peru worked example (examples/peru-2009.yaml): valid, complete against the seed, and
ranked the way the seed ranks Peru's risks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from riskatlas.document import load_document, validate_file
from riskatlas.document.provenance import EVIDENCE_HOLDERS
from riskatlas.method import area_level, default_matrix, parse_grade

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "peru-2009.yaml"
SEED = ROOT / ".." / "shared" / "seed" / "000_bf218ab2b5ef083b.txt"

# Every point that PRODUCT.md lists for the Peru assessment, as text a reader would search for.
SEED_POINTS = [
    "Shining Path",
    "300",
    "Toccate",
    "2003-06-09",
    "Paseo",
    "secure taxi",
    "Andahuaylas",
    "Handahuaylas",
    "Huancavelica",
    "Ecuador",
    "2011",
    "Keiko",
    "Tupac Amaru",
    "Brazil",
    "Bolivia",
    "Chile",
    "Japan",
    "Fujimori",
    "50 %",
    "five years",
    "coca",
    "Colombia",
    "United Nations",
    "false documents",
    "after dark",
    "periphery",
]


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return load_document(EXAMPLE)


@pytest.fixture(scope="module")
def text(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False)


def _residual_key(risk: dict[str, Any]) -> tuple[int, int]:
    rating = risk["residual"]
    level = default_matrix().level(rating["likelihood"], rating["impact"])
    return level.rank, rating["likelihood"] * rating["impact"]


def _evidence(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        ev
        for key in EVIDENCE_HOLDERS
        for item in doc.get(key, [])
        for ev in item.get("evidence", [])
    ]


def test_the_example_validates() -> None:
    result = validate_file(EXAMPLE)
    assert result.ok, "\n".join(f"{p.line}: {p.field}: {p.message}" for p in result.problems)


@pytest.mark.parametrize("point", SEED_POINTS)
def test_every_point_of_the_seed_is_held(text: str, point: str) -> None:
    assert point in text


def test_it_is_the_published_pe_2009_assessment(doc: dict[str, Any]) -> None:
    assessment = doc["assessment"]
    assert (assessment["slug"], assessment["country"], assessment["status"]) == (
        "pe-2009",
        "PE",
        "published",
    )
    assert assessment["as_of"] == "2009-11-29"
    assert assessment["field_visit"]["start"] == "2007-02-01"
    assert assessment["field_visit"]["end"] == "2007-03-31"
    assert doc["matrix"] == default_matrix().to_dict()


def test_road_accidents_lead_then_crime_and_kidnapping_both_high(doc: dict[str, Any]) -> None:
    # The seed: road accidents are "probably the greatest threat to staff", common criminality
    # and road accidents "the areas of biggest concern", kidnapping "a high risk factor".
    ranked = sorted(doc["risks"], key=_residual_key, reverse=True)
    first, second, third, fourth = ranked[:4]
    assert (first["category"], first["area"]) == ("TRN", "PE")
    assert {(r["category"], r["area"]) for r in (second, third)} == {
        ("CRM", "PE-LMA"),
        ("KID", "PE-LMA"),
    }
    # Road accidents strictly first; crime and kidnapping (both high) strictly ahead of the rest.
    assert _residual_key(first) > _residual_key(second) == _residual_key(third)
    assert _residual_key(third) > _residual_key(fourth)
    matrix = default_matrix()
    assert matrix.level(third["residual"]["likelihood"], third["residual"]["impact"]).code == "H"


def test_the_register_is_full_and_measures_never_raise_a_risk(doc: dict[str, Any]) -> None:
    assert len(doc["risks"]) >= 12
    matrix = default_matrix()
    for risk in doc["risks"]:
        ratings = [risk["inherent"], risk.get("current", risk["inherent"]), risk["residual"]]
        ranks = [matrix.level(r["likelihood"], r["impact"]).rank for r in ratings]
        scores = [r["likelihood"] * r["impact"] for r in ratings]
        assert ranks == sorted(ranks, reverse=True), risk["id"]
        assert scores == sorted(scores, reverse=True), risk["id"]


def test_every_risk_has_evidence_with_a_quote(doc: dict[str, Any]) -> None:
    assert len(doc["risks"]) > 1
    for risk in doc["risks"]:
        assert any(ev.get("quote") for ev in risk.get("evidence", [])), risk["id"]


def test_every_evidence_source_is_graded(doc: dict[str, Any]) -> None:
    grades = {s["id"]: parse_grade(f"{s['reliability']}{s['credibility']}") for s in doc["sources"]}
    used = {ev["source"] for ev in _evidence(doc)}
    assert used <= set(grades)
    assert {"roca-2009", "official-data", "unnamed-reports", "editors"} <= used


def test_country_level_is_high_and_the_vraem_is_no_go(doc: dict[str, Any]) -> None:
    matrix = default_matrix()
    country_wide = [
        (r, matrix.level(r["residual"]["likelihood"], r["residual"]["impact"]))
        for r in doc["risks"]
        if r["area"] == "PE"
    ]
    country = area_level(country_wide)
    assert country.level is not None and country.level.value == 4
    assert [r["id"] for r in country.driving_risks] == ["road-accidents"]
    vraem = next(a for a in doc["areas"] if a["code"] == "vraem")
    assert vraem["no_go"] and vraem["level"] == 5


def test_shining_path_strength_and_the_toccate_abduction(doc: dict[str, Any]) -> None:
    sp = next(a for a in doc["actors"] if a["id"] == "shining-path")
    assert sp["strength"]["fighters"] == 300
    assert set(sp["areas"]) == {"vraem", "huallaga"}
    toccate = next(i for i in doc["incidents"] if i["place"] == "toccate")
    assert toccate["date"] == "2003-06-09"
    assert "casualties" not in toccate  # the seed gives none


def test_quotes_are_verbatim_from_the_seed(doc: dict[str, Any]) -> None:
    if not SEED.exists():
        pytest.skip(f"the seed text is not at {SEED}")
    seed = SEED.read_text(encoding="utf-8")
    quotes = [ev["quote"] for ev in _evidence(doc) if "quote" in ev]
    assert len(quotes) > 50
    missing = [q for q in quotes if q not in seed]
    assert not missing
