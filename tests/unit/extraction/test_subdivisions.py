"""Subdivisions named in advice, resolved to ISO 3166-2 (riskatlas.extraction.subdivisions).

The dev set ``subdivisions_in_advice.csv`` was made by reading the shared advice pages (its
header says how); ``subdivisions_held_out.csv`` was coded by hand before the resolver was run
on it. Both live in the repository, so these tests need no shared data.
"""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from riskatlas.extraction.subdivisions import (
    read_place_set,
    score_places,
    subdivision_codes,
    subdivisions_named,
)

HERE = Path(__file__).parent
DEV_SET = HERE / "subdivisions_in_advice.csv"
HELD_OUT = HERE / "subdivisions_held_out.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    return read_place_set(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", [DEV_SET, HELD_OUT], ids=["dev", "held-out"])
def test_every_expected_code_is_a_subdivision_of_the_lines_country(path: Path) -> None:
    for number, row in enumerate(_rows(path), start=1):
        for code in row["expected"].split():
            sub = pycountry.subdivisions.get(code=code)
            assert sub is not None, f"{path.name} line {number}: {code} is no ISO 3166-2 code"
            assert sub.country_code == row["country"], f"{path.name} line {number}: {code}"


def test_the_dev_set_covers_the_ten_countries_pages_it_says() -> None:
    rows = _rows(DEV_SET)
    assert len(rows) >= 400
    assert sum(len(r["expected"].split()) for r in rows) >= 400
    # every country whose pages hold a stricter-than-national statement naming a subdivision
    named = {r["country"] for r in rows if r["expected"]}
    assert named == {"CO", "KE", "MX", "NG", "PE", "PH", "UA"}


def test_recall_and_precision_on_the_dev_set_reach_the_issues_targets() -> None:
    scores = score_places(_rows(DEV_SET))
    assert scores.recall >= 0.95, scores.errors
    assert scores.precision >= 0.95, scores.errors


def test_recall_and_precision_on_the_held_out_lines() -> None:
    scores = score_places(_rows(HELD_OUT))
    assert scores.recall >= 0.95, scores.errors
    assert scores.precision >= 0.95, scores.errors


@pytest.mark.parametrize(
    ("text", "country", "codes"),
    [
        ("Do not travel to the department of Cauca (except Popayán).", "CO", ["CO-CAU"]),
        ("the Catatumbo region in Norte de Santander and Cesar", "CO", ["CO-NSA", "CO-CES"]),
        ("Valle del Cauca Department, including Buenaventura", "CO", ["CO-VAC"]),
        (
            "Borno, Yobe, Kogi, and northern Adamawa states",
            "NG",
            ["NG-BO", "NG-YO", "NG-KO", "NG-AD"],
        ),
        ("northern Rakhine", "MM", ["MM-16"]),
        ("Khyber Pakhtunkhwa province", "PK", ["PK-KP"]),
        ("Mexico State (Estado de México)", "MX", ["MX-MEX"]),
        ("Michoacán, excluding the cities of Morelia and Patzcuaro", "MX", ["MX-MIC"]),
        ("Kiev, Kharkov and Dnepropetrovsk", "UA", ["UA-30", "UA-63", "UA-12"]),
        ("Kyiv Oblast", "UA", ["UA-32"]),
        ("Volyn", "UA", ["UA-07"]),
        ("Maguindanao", "PH", ["PH-MGN", "PH-MGS"]),
        ("the BARMM area of South West Mindanao", "PH", ["PH-14"]),
        ("Cross Rivers, Akawa Ibom", "NG", ["NG-CR", "NG-AK"]),
    ],
)
def test_forms_governments_use(text: str, country: str, codes: list[str]) -> None:
    assert subdivision_codes(text, country) == codes


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("the city of Chihuahua", "MX"),
        ("Chihuahua City and Zacatecas City", "MX"),
        ("Villa Guerrero", "MX"),
        ("the Urabá and Bajo Cauca regions", "CO"),
        ("Garissa Town, Lamu Island", "KE"),
        ("within 15km of the coast between the Tana River and the Galana River", "KE"),
        ("the Niger Delta", "NG"),
        ("within 20 km of the border with Niger", "NG"),
        ("The Sulu Archipelago and the southern Sulu Sea", "PH"),
        ("The Valley of the Apurímac, Ene, and Mantaro Rivers (VRAEM)", "PE"),
        ("except for Tumbes border crossing", "PE"),
        ("near the Fukushima Dai-ichi nuclear power plant", "JP"),
        ("to Mexico", "MX"),
        ("the delta of the rivers", "NG"),
    ],
)
def test_places_of_the_same_name_that_are_not_the_subdivision(text: str, country: str) -> None:
    assert subdivision_codes(text, country) == []


def test_a_subdivision_named_in_a_river_or_town_phrase_counts_when_its_kind_follows() -> None:
    assert subdivision_codes("the Tana River County limits", "KE") == ["KE-40"]
    assert subdivision_codes("the town of Wajir, in Wajir County", "KE") == ["KE-46"]


def test_mentions_point_at_the_words_and_markdown_link_targets_are_not_read() -> None:
    text = "* [Puebla state](https://example.org/advisory.html#Puebla%20state) due to crime"
    mentions = subdivisions_named(text, "MX")
    assert [(m.text, m.codes) for m in mentions] == [("Puebla", ("MX-PUE",))]
    assert text[mentions[0].start : mentions[0].end] == "Puebla"


def test_a_misspelt_name_is_found_as_such() -> None:
    (mention,) = subdivisions_named("Do not travel to Akawa Ibom.", "NG")
    assert (mention.text, mention.codes, mention.match) == ("Akawa Ibom", ("NG-AK",), "fuzzy")


def test_a_place_set_without_its_columns_is_refused_with_the_row() -> None:
    with pytest.raises(ValueError, match="row 2: no expected"):
        read_place_set("government,country,text\nus,CO,Cauca\n")
