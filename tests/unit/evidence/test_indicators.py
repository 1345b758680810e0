from pathlib import Path

from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.store import connect


def values(con, indicator):
    return dict(
        con.execute(
            "SELECT area_code || ':' || year, value FROM indicators WHERE indicator = ?",
            [indicator],
        ).fetchall()
    )


def test_homicide_skips_aggregates_and_empty_values(fixtures: Path, store: Path):
    con = connect(store)
    result = import_file(con, "homicide", fixtures / "homicide.csv")
    assert values(con, "homicide_per_100k") == {"PER:2018": 7.7, "PER:2019": 7.2}
    assert result.rows_skipped == 3
    assert result.skipped_reasons["no value"] == 1
    assert import_file(con, "homicide", fixtures / "homicide.csv").rows_added == 0


def test_inform_latin1_file(fixtures: Path, store: Path):
    con = connect(store)
    import_file(con, "inform", fixtures / "inform_2020_latin1.csv")
    assert values(con, "inform:Governance") == {"CIV:2020": 7.2}  # Peru's 'x' is no value
    assert values(con, "inform:Projected Conflict Risk") == {"CIV:2020": 6.1, "PER:2020": 4.6}


def test_world_bank_api_json_and_who_gho_json(fixtures: Path, store: Path):
    con = connect(store)
    wb = import_file(con, "worldbank", fixtures / "recorded" / "worldbank" / "PV.EST.json")
    assert values(con, "PV.EST") == {"PER:2023": -0.4567, "PER:2022": -0.5321}
    assert wb.rows_skipped == 2  # the Latin America aggregate, Colombia's null
    who = import_file(con, "who-road", fixtures / "recorded" / "who" / "RS_198.json")
    assert values(con, "road_deaths_per_100k") == {"PER:2019": 13.6}
    assert who.skipped_reasons == {
        "by-sex row (both sexes kept)": 1,
        "aggregate (WHO region or income group)": 1,
    }


def test_gpi_workbook_sheets_become_indicators(store: Path, tmp_path: Path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Overview"
    book.active.append(["The Global Peace Index"])
    for title, before, peru in [("Overall Scores", 2.0, 2.1), ("Safety and Security", 2.8, 2.9)]:
        sheet = book.create_sheet(title)
        sheet.append(["Country", "iso3c", 2021, 2022])
        sheet.append(["Peru", "PER", before, peru])
        sheet.append(["Kosovo", "KSV", 1.9, 1.8])
    book.save(tmp_path / "GPI-2022.xlsx")
    con = connect(store)
    import_file(con, "gpi", tmp_path / "GPI-2022.xlsx")
    assert values(con, "gpi_score") == {
        "PER:2021": 2.0,
        "PER:2022": 2.1,
        "XKX:2021": 1.9,
        "XKX:2022": 1.8,
    }
    assert values(con, "gpi:Safety and Security")["PER:2022"] == 2.9
