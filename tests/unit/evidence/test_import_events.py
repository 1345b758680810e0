from pathlib import Path

import pytest

from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.importing import category_table
from riskatlas.evidence.store import connect
from riskatlas.method import default_taxonomy


def test_acled_fixture_imports_maps_and_quarantines(fixtures: Path, store: Path):
    con = connect(store)
    result = import_file(con, "acled", fixtures / "acled_peru.csv")
    assert result.rows_seen == 9
    assert result.rows_added == 5
    assert result.rows_rejected == 3
    assert result.rows_skipped == 1  # PER9002 repeated
    reasons = dict(con.execute("SELECT row_key, reason FROM quarantine").fetchall())
    assert reasons["PER9005"] == "ACLED sub-event type not in the mapping table: Teleportation"
    assert reasons["ATL0001"].startswith("country not recognised: ")
    assert reasons["PER9006"] == "no valid date"
    events = {
        key: (category, area, disorder, method)
        for key, category, area, disorder, method in con.execute(
            "SELECT event_key, category, area_code, disorder, area_method FROM events"
        ).fetchall()
    }
    assert events["PER9001"] == ("UNR", "PE-LIM", "Demonstrations", "exact")  # typo fixed
    assert events["PER9002"][:2] == ("UNR", "PE-JUN")
    assert events["PER9003"][:2] == ("ACI", "PE-AYA")
    assert events["PER9004"][1] == "PE-LMA"  # "Lima Province" alias
    assert events["PER9007"][1:] == ("PE-CUS", "Demonstrations", "coordinates")


def test_reimport_adds_nothing(fixtures: Path, store: Path):
    con = connect(store)
    import_file(con, "acled", fixtures / "acled_peru.csv")
    again = import_file(con, "acled", fixtures / "acled_peru.csv")
    assert again.rows_added == 0
    assert con.execute("SELECT count(*) FROM events").fetchone() == (5,)
    assert con.execute("SELECT count(*) FROM quarantine").fetchone() == (3,)


def test_interrupted_import_leaves_nothing(fixtures: Path, store: Path):
    con = connect(store)

    def interrupt(step: str) -> None:
        if step.startswith("quarantining"):  # events are written by now, inside the transaction
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(con, "acled", fixtures / "acled_peru.csv", interrupt)
    assert con.execute("SELECT count(*) FROM events").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM imports").fetchone() == (0,)
    assert import_file(con, "acled", fixtures / "acled_peru.csv").rows_added == 5


def test_ucdp_gtd_and_gdelt_fixtures(fixtures: Path, store: Path):
    con = connect(store)
    ucdp = import_file(con, "ucdp-ged", fixtures / "ucdp_ged.csv")
    assert (ucdp.rows_added, ucdp.rows_rejected) == (2, 1)
    gtd = import_file(con, "gtd", fixtures / "gtd.csv")
    assert gtd.rows_added == 3
    gdelt = import_file(con, "gdelt", fixtures / "gdelt.export.CSV")
    assert (gdelt.rows_added, gdelt.rows_skipped) == (2, 1)
    rows = con.execute(
        "SELECT source, event_key, category, area_code, fatalities, time_precision FROM events"
        " ORDER BY source, event_key"
    ).fetchall()
    by_key = {(r[0], r[1]): r[2:] for r in rows}
    assert by_key[("ucdp-ged", "4101")] == ("ACI", "PE-SAM", 24, 1)
    assert by_key[("ucdp-ged", "4102")][:2] == ("ACI", "PE-AYA")
    assert by_key[("gtd", "200211200001")] == ("TER", "PE-LIM", 10, 1)
    assert by_key[("gtd", "200306090001")][:2] == ("KID", "PE-AYA")
    assert by_key[("gtd", "200300000002")][3] == 3  # month and day unknown: year precision
    assert by_key[("gdelt", "1100000001")][:2] == ("UNR", "PE-LIM")
    assert by_key[("gdelt", "1100000002")][:2] == ("KID", "PE-AYA")


def test_every_acled_sub_event_type_is_mapped_to_a_taxonomy_code(shared_data: Path):
    import csv

    mapped = dict(category_table("categories_acled.csv", ("sub_event_type",)))
    with (shared_data / "acled" / "acled_event_categories.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 10
    for row in rows:
        assert mapped[row["sub_event_type"]] in default_taxonomy()


def test_missing_file_is_a_clear_error(store: Path):
    with pytest.raises(FileNotFoundError, match=r"nope\.csv"):
        import_file(connect(store), "acled", Path("nope.csv"))


def test_gtd_workbook_imports_like_the_csv(fixtures: Path, store: Path, tmp_path: Path):
    import csv

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    with (fixtures / "gtd.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append([int(v) if v.isdigit() else v for v in row])
    book.save(tmp_path / "globalterrorismdb.xlsx")
    con = connect(store)
    result = import_file(con, "gtd", tmp_path / "globalterrorismdb.xlsx")
    assert (result.rows_added, result.rows_rejected) == (3, 0)
    assert con.execute(
        "SELECT category, area_code, fatalities FROM events WHERE event_key = '200211200001'"
    ).fetchone() == ("TER", "PE-LIM", 10)


def test_store_held_by_another_process_is_reported_as_busy(store: Path):
    import subprocess
    import sys

    from riskatlas.evidence.store import StoreBusy

    connect(store).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, duckdb; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
         " sys.stdin.read()", str(store)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreBusy, match="in use by another process"):
            connect(store, read_only=True)
    finally:
        holder.communicate("", timeout=30)


def test_rejected_reasons_by_count_then_reason(fixtures: Path, tmp_path: Path):
    """Two reasons with two rows each, one with a single row: most frequent first, ties A–Z."""
    header, *rows = (fixtures / "acled_peru.csv").read_text(encoding="utf-8").splitlines()
    chosen = {row.split(",", 1)[0]: row for row in rows}
    lines = [
        header,
        chosen["PER9005"],  # an unmapped sub-event type, once
        chosen["ATL0001"],  # an unknown country, twice
        chosen["PER9006"],  # no valid date, twice
        chosen["ATL0001"].replace("ATL0001", "ATL0002", 1),
        chosen["PER9006"].replace("PER9006", "PER9008", 1),
    ]
    path = tmp_path / "ties.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(connect(tmp_path / "events.duckdb"), "acled", path)
    assert list(result.rejected_reasons.items()) == [
        ("country not recognised: Atlantis", 2),
        ("no valid date", 2),
        ("ACLED sub-event type not in the mapping table: Teleportation", 1),
    ]


def test_coordinates_off_the_earth_are_quarantined_with_the_reason(
    fixtures: Path, store: Path, tmp_path: Path
):
    # The fuzz benchmark's input acled:66923: a latitude of 10^43 made the geocoder index past
    # its list (IndexError) and stopped the whole import.
    lines = (fixtures / "acled_peru.csv").read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1]
    columns = header.split(",")
    cells = first.split(",")
    cells[columns.index("event_id_cnty")] = "PER9100"
    cells[columns.index("admin1")] = "Lugar Sin Nombre"
    cells[columns.index("latitude")] = "1e43"
    path = tmp_path / "far.csv"
    path.write_text("\n".join([header, first, ",".join(cells)]) + "\n", encoding="utf-8")
    con = connect(store)
    result = import_file(con, "acled", path)
    assert (result.rows_added, result.rows_rejected) == (1, 1)
    [(reason,)] = con.execute("SELECT reason FROM quarantine WHERE row_key = 'PER9100'").fetchall()
    assert reason.startswith("coordinates out of range: 1e+43, ")
