"""Official advice read right: levels per government, country and ISO area.

``advice_expected.csv`` was made BY HAND, not from the parser: for each of the 50 folders in
``../shared/data/advisories/<government>/<Country>/`` the main page (US ``Advisory.md``, UK
``Warnings and insurance.md``, Canada ``risk.md``, Australia ``overview.md``, Ireland
``Overview.md`` and ``Safety and security.md``) was grepped for the level phrases and every
section holding one was read. A row was written for the national level where the page states one
(the FCDO states none unless it advises against travel to the whole country) and for every
first-level subdivision named whole at a level, exceptions and all ("Cauca (excluding Popayán)"
is Cauca). Names were turned into codes with pycountry (checked by eye; the short Ukrainian
oblast names, "Akawa Ibom" and "Cross Rivers" are the pages' own spellings of UA-…, NG-AK and
NG-CR). Left out, as smaller than a subdivision or not one: border strips, cities, roads, parks,
"parts of", "northern Adamawa", "southern Bolivar", regions of a department, VRAEM, Mindanao,
the Sulu Archipelago. Canada's "Maguindanao" (Philippines, "Avoid all travel to the following
provinces of Mindanao island") was left out at first, the province having been split in two in
2022 and ISO 3166-2 no longer having it; when the reader took up the subdivision resolver
(``riskatlas.extraction.subdivisions``) it read both halves, and on reading the list again that
is right: the old province is exactly Maguindanao del Norte and del Sur, so PH-MGN and PH-MGS at
level 4 were added (the only change the resolver made). Where the Philippines' pages name
provinces, those (ISO 3166-2 second level) are listed; Australia's "including the Zamboanga
Peninsula" names region PH-09. Two rows rest on reading past the page's layout: the FCDO's
Colombia page lists "all of Cauca Department, except … Popayán" under "within 5km of the border
with Ecuador except for:" (read as Cauca at level 3, "all of" being explicit), and Ireland's
Ukraine page "strongly advises against travel to" five regions (read as level 4).
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from riskatlas.evidence.advice import parse_advice, read_advice_folder
from riskatlas.evidence.advice_dates import advice_date
from riskatlas.evidence.advice_reading import read_pages
from riskatlas.evidence.areas import country_alpha2
from riskatlas.evidence.store import connect

EXPECTED = Path(__file__).with_name("advice_expected.csv")
US = {"do not travel": 4, "reconsider travel": 3, "exercise increased caution": 2,
      "exercise normal precautions": 1}  # fmt: skip


def _expected() -> dict[tuple[str, str], set[tuple[str, int]]]:
    table: dict[tuple[str, str], set[tuple[str, int]]] = {}
    with EXPECTED.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["government"], row["country"])
            table.setdefault(key, set()).add((row["area"], int(row["level"])))
    return table


def test_every_government_and_country_read_as_the_hand_checked_table(shared_data: Path):
    advice, rejected = read_advice_folder(shared_data / "advisories")
    assert rejected == []
    assert len(advice) == 50
    expected = _expected()
    differences = []
    for item in advice:
        alpha2 = country_alpha2(item.iso3) or ""
        read = {(a.area_code, a.level) for a in item.areas if a.area_code}
        if item.level is not None:
            read.add((alpha2, item.level))
        want = expected.get((item.government, alpha2), set())
        if read != want:
            differences.append(
                f"{item.government}/{alpha2}: missing {sorted(want - read)},"
                f" not on the page {sorted(read - want)}"
            )
    assert differences == []


def test_colombia_arauca_and_cauca_at_each_governments_level(shared_data: Path):
    advice, _ = read_advice_folder(shared_data / "advisories")
    colombia = {a.government: a for a in advice if a.iso3 == "COL"}
    levels = {
        g: {a.area_code: a.level for a in c.areas if a.area_code in {"CO-ARA", "CO-CAU"}}
        for g, c in colombia.items()
    }
    assert levels["unitedstates"] == {"CO-ARA": 4, "CO-CAU": 4}
    assert levels["unitedkingdom"] == {"CO-ARA": 3, "CO-CAU": 3}
    assert levels["canada"] == {"CO-ARA": 4, "CO-CAU": 4}
    assert levels["australia"] == {"CO-ARA": 3, "CO-CAU": 4}
    us_cauca = next(a for a in colombia["unitedstates"].areas if a.area_code == "CO-CAU")
    assert us_cauca.note == "excluding Popayán"
    assert us_cauca.text.startswith("Do Not Travel to: Arauca, Cauca (excluding Popayán)")
    assert colombia["unitedstates"].updated == "2025-04-17"  # "Travel Advisory April 17, 2025"
    assert colombia["unitedkingdom"].updated == "2026-08-18"  # "Updated: 18 August 2026"


PAGE = """### Travel Advisory April 17, 2025

### Colombia - Level 2: Exercise Increased Caution

**Do Not Travel to:**

* **Arauca and Cauca (excluding Popayán) departments** due to **crime**.
* Areas within 20 km of the border with Venezuela due to **crime**.
* The city of Tumaco and northern Nariño.

Terrorists may attack and target:

* Shopping malls and markets
"""


def test_a_list_takes_the_level_of_the_statement_that_introduces_it():
    reading = read_pages(PAGE, US, "COL", "Colombia")
    assert (reading.level, reading.text) == (2, "Colombia - Level 2: Exercise Increased Caution")
    by_name = {a.area: a for a in reading.areas}
    assert (by_name["Arauca"].area_code, by_name["Arauca"].level) == ("CO-ARA", 4)
    assert (by_name["Cauca"].note, by_name["Cauca"].level) == ("excluding Popayán", 4)
    border = by_name["Areas within 20 km of the border with Venezuela"]
    assert (border.area_code, border.place, border.level) == (None, True, 4)
    # A city and part of a department are named places, never the department itself.
    narino = [(a.area, a.area_code) for a in reading.areas if "Nariño" in a.area]
    assert narino == [("The city of Tumaco and northern Nariño", None)]
    assert "Shopping malls and markets" not in by_name  # a list under no level statement
    assert advice_date(PAGE) == "2025-04-17"


def test_national_level_and_exceptions_introduced_by_except():
    page = (
        "## Areas where FCDO advises against all but essential travel\n\n"
        "FCDO advises against all but essential travel to the state of Sinaloa, except:\n\n"
        "* the cities of Los Mochis and Mazatlán\n\n"
        "FCDO advises against all but essential travel to within 5km of the border except for:"
        "\n\n* all of Colima State, except for Manzanillo\n* the border crossing at Ipiales\n"
    )
    phrases = {"advises against all but essential travel": 3, "advises against all travel": 4}
    reading = read_pages(page, phrases, "MEX", "Mexico")
    coded = {a.area_code: a for a in reading.areas if a.area_code}
    assert set(coded) == {"MX-SIN", "MX-COL"}
    assert coded["MX-SIN"].note == "the cities of Los Mochis and Mazatlán"
    assert coded["MX-COL"].note == "except for Manzanillo"
    whole = read_pages("FCDO advises against all travel to Mexico.", phrases, "MEX", "Mexico")
    assert whole.level == 4


def test_a_page_whose_country_is_unknown_is_refused_by_name():
    with pytest.raises(ValueError, match="canada/Atlantis: country not recognised"):
        parse_advice("canada", "Atlantis", {"risk.md": ""})


def test_an_older_store_gains_the_new_advice_columns(tmp_path: Path):
    db = tmp_path / "events.duckdb"
    old = duckdb.connect(str(db))
    old.execute(
        "CREATE TABLE advisory_areas (government VARCHAR NOT NULL, country_iso3 VARCHAR NOT NULL,"
        " ordinal INTEGER NOT NULL, level INTEGER, area VARCHAR NOT NULL, area_code VARCHAR,"
        " reason VARCHAR, PRIMARY KEY (government, country_iso3, ordinal))"
    )
    old.execute("INSERT INTO advisory_areas VALUES ('canada', 'PER', 1, 3, 'Puno', 'PE-PUN', '')")
    old.close()
    con = connect(db)
    columns = [r[0] for r in con.execute("DESCRIBE advisory_areas").fetchall()]
    row = con.execute("SELECT area, text, note, place FROM advisory_areas").fetchone()
    con.close()
    assert {"text", "note", "place"} <= set(columns)
    assert row == ("Puno", None, None, False)


def test_colombia_table_beside_an_assessment_reads_each_governments_level(
    shared_data: Path, store: Path
):
    """The web table and section 12 are fed by advice_beside: Arauca and Cauca at the level
    each government states, the national level elsewhere, each with its date."""
    from datetime import date

    from riskatlas.evidence.assessment import advice_beside
    from riskatlas.evidence.catalogue import import_file

    con = connect(store)
    import_file(con, "advisories", shared_data / "advisories")
    con.close()
    doc = {"assessment": {"country": "CO"}}
    own = {"CO": ("Colombia", 3), "CO-ARA": ("Arauca", 4), "CO-CAU": ("Cauca", 4)}
    beside = advice_beside(store, doc, own, today=date(2026, 9, 1))
    table = {
        row["code"]: {c["government"]: c["level"] for c in row["comparisons"]}
        for row in beside["rows"]
    }
    assert table["CO-ARA"] == {"unitedstates": 4, "unitedkingdom": 3, "canada": 4,
                               "australia": 3, "ireland": 2}  # fmt: skip
    assert table["CO-CAU"] == {"unitedstates": 4, "unitedkingdom": 3, "canada": 4,
                               "australia": 4, "ireland": 2}  # fmt: skip
    assert table["CO"]["unitedkingdom"] is None  # the FCDO states no whole-country level
    dates = {g["government"]: (g["date"], g["stale"]) for g in beside["governments"]}
    assert dates["unitedstates"] == ("2025-04-17", True)  # over 365 days before 1 Sep 2026
    assert dates["unitedkingdom"] == ("2026-08-18", False)


def test_names_are_coded_by_the_subdivision_resolver_and_towns_rivers_stay_places():
    """The resolver's other names, misspellings and context rules decide the codes; what it
    reads as a town, river, island or part of a longer name stays a named place, uncoded."""
    cases = {
        ("NGA", "Nigeria"): ["Akawa Ibom", "Cross Rivers", "Niger State", "the Niger Delta"],
        ("MEX", "Mexico"): ["Zacatecas City", "Mexico State (Estado de Mexico)", "Villa Guerrero"],
        ("KEN", "Kenya"): ["Tana River County", "the Tana River", "Lamu Island"],
        ("UKR", "Ukraine"): ["Dnepropetrovsk oblast", "Volyn"],
        ("PHL", "Philippines"): ["Maguindanao", "the Sulu Archipelago"],
    }
    read = {}
    for (iso3, country), names in cases.items():
        page = "Do not travel to:\n\n" + "\n".join(f"* {n}" for n in names) + "\n"
        for area in read_pages(page, US, iso3, country).areas:
            read.setdefault(area.area, []).append((area.area_code, area.place, area.level))
    assert read == {
        "Akawa Ibom": [("NG-AK", False, 4)],  # one slip from Akwa Ibom
        "Cross Rivers": [("NG-CR", False, 4)],
        "Niger": [("NG-NI", False, 4)],  # "Niger State", not the country
        "the Niger Delta": [(None, True, 4)],
        "Zacatecas City": [(None, True, 4)],  # the city (the area table said MX-ZAC)
        "Mexico State (Estado de Mexico)": [("MX-MEX", False, 4)],
        "Villa Guerrero": [(None, True, 4)],
        "Tana River": [("KE-40", False, 4)],
        "the Tana River": [(None, True, 4)],  # the river (the area table said KE-40)
        "Lamu Island": [(None, True, 4)],
        "Dnepropetrovsk": [("UA-12", False, 4)],  # former name of Dnipropetrovska oblast
        "Volyn": [("UA-07", False, 4)],
        "Maguindanao": [("PH-MGN", False, 4), ("PH-MGS", False, 4)],  # split in 2022
        "the Sulu Archipelago": [(None, True, 4)],
    }


def test_canadas_maguindanao_is_both_halves_of_the_province_on_the_real_page(shared_data: Path):
    advice, _ = read_advice_folder(shared_data / "advisories")
    canada = next(a for a in advice if a.government == "canada" and a.iso3 == "PHL")
    halves = [a for a in canada.areas if a.area == "Maguindanao"]
    assert [(a.area_code, a.level) for a in halves] == [("PH-MGN", 4), ("PH-MGS", 4)]
    assert all(a.text.startswith("Avoid all travel to the following provinces") for a in halves)
