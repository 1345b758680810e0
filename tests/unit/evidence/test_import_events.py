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


def _reader(store: Path, seconds: float):
    """Another process holding ``store`` open read-only (as a page does) for ``seconds``, once
    it has printed "ready"."""
    import subprocess
    import sys

    reader = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time, duckdb; c = duckdb.connect(sys.argv[1], read_only=True);"
         " print('ready', flush=True); time.sleep(float(sys.argv[2])); c.close()",
         str(store), str(seconds)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert reader.stdout is not None and reader.stdout.readline().strip() == "ready"
    return reader


def test_import_waits_for_a_page_reading_the_store(fixtures: Path, store: Path):
    """An import started while another process reads the store waits for it to finish (a
    page's read is short) instead of failing at once."""
    from riskatlas.evidence.operations import import_into_store

    connect(store).close()
    reader = _reader(store, 1.0)
    try:
        result = import_into_store("acled", fixtures / "acled_peru.csv", store)
    finally:
        reader.wait(timeout=30)
    assert result.rows_added > 0
    with connect(store, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone() == (result.rows_added,)


def test_import_gives_up_on_a_store_held_too_long(fixtures: Path, store: Path):
    """A store still held after the wait: the import says so, and nothing is written."""
    import time

    from riskatlas.evidence.store import StoreBusy

    connect(store).close()
    reader = _reader(store, 30.0)
    try:
        began = time.monotonic()
        with pytest.raises(StoreBusy, match=r"in use by another process.*still in use after 0.5 s"):
            connect(store, wait=0.5)
        assert 0.5 <= time.monotonic() - began < 5
    finally:
        reader.kill()
        reader.wait(timeout=30)
    with connect(store, read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone() == (0,)


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


def _acled_rows(fixtures: Path) -> tuple[list[str], dict[str, list[str]]]:
    import csv

    with (fixtures / "acled_peru.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, {row[0]: row for row in rows}


def _write_acled(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])
    return path


def test_quarantined_rows_keep_their_line_in_the_file(fixtures: Path, store: Path, tmp_path: Path):
    header, rows = _acled_rows(fixtures)
    notes, key = header.index("notes"), header.index("event_id_cnty")
    long_note = list(rows["PER9001"])
    long_note[notes] = "first line\nsecond line\nthird line"  # lines 2-4 of the file
    no_id = list(rows["PER9003"])
    no_id[key] = "  "
    path = _write_acled(
        tmp_path / "lines.csv", header, [long_note, no_id, rows["PER9005"], rows["PER9006"]]
    )
    con = connect(store)
    result = import_file(con, "acled", path)
    assert (result.rows_seen, result.rows_added, result.rows_rejected) == (4, 1, 3)
    quarantined = con.execute("SELECT row_key, record, reason FROM quarantine ORDER BY record")
    assert quarantined.fetchall() == [
        ("lines.csv:5", 5, "no event id"),
        ("PER9005", 6, "ACLED sub-event type not in the mapping table: Teleportation"),
        ("PER9006", 7, "no valid date"),
    ]
    raw = con.execute("SELECT raw FROM quarantine WHERE row_key = 'PER9006'").fetchone()
    assert raw is not None and '"event_date":"2022-13-45"' in raw[0]


def test_a_second_file_adds_only_its_new_events(fixtures: Path, store: Path, tmp_path: Path):
    """The store already holds the source: stored events are found by key and left alone."""
    header, rows = _acled_rows(fixtures)
    con = connect(store)
    first = _write_acled(tmp_path / "first.csv", header, [rows["PER9001"], rows["PER9003"]])
    assert import_file(con, "acled", first).rows_added == 2
    changed = list(rows["PER9001"])
    changed[header.index("fatalities")] = "99"
    second = _write_acled(
        tmp_path / "second.csv", header, [changed, rows["PER9003"], rows["PER9004"]]
    )
    result = import_file(con, "acled", second)
    assert (result.rows_seen, result.rows_added, result.rows_present) == (3, 1, 2)
    assert con.execute(
        "SELECT event_key, fatalities FROM events ORDER BY event_key"
    ).fetchall() == [("PER9001", 0), ("PER9003", 2), ("PER9004", 0)]  # PER9001 not 99


def test_a_repeated_unusable_row_is_counted_once(fixtures: Path, store: Path, tmp_path: Path):
    header, rows = _acled_rows(fixtures)
    path = _write_acled(
        tmp_path / "twice.csv", header, [rows["PER9006"], rows["PER9001"], rows["PER9006"]]
    )
    result = import_file(connect(store), "acled", path)
    assert result.as_dict() | {"path": ""} == {
        "source": "acled", "path": "", "rows_seen": 3, "rows_added": 1, "rows_rejected": 1,
        "rows_skipped": 1, "rows_already_present": 0,
        "skipped_reasons": {"event id repeated within the file (first copy kept)": 1},
        "rejected_reasons": {"no valid date": 1},
    }  # fmt: skip


def test_progress_is_reported_as_shares_and_leaves_the_connection_as_it_was(
    fixtures: Path, store: Path
):
    con = connect(store)
    steps: list[str] = []
    shares: list[float] = []
    result = import_file(
        con, "acled", fixtures / "acled_peru.csv", steps.append, advance=shares.append
    )
    assert result.rows_added == 5
    assert steps == [
        "reading", "mapping countries, areas and threat categories", "counting", "writing",
        "quarantining unmappable rows",
    ]  # fmt: skip
    # A file this small may be read before any progress is polled: none may be out of range.
    assert not [share for share in shares if not 0 <= share <= 1]
    assert con.execute("SELECT current_setting('enable_progress_bar')").fetchone() == (False,)


def test_counting_from_the_first_pass_agrees_with_counting_every_row(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A file whose every outcome follows from its groups is counted without reading it again;
    the counts, coverage, events and quarantine are those of counting row by row."""
    from riskatlas.evidence import importing

    header, rows = _acled_rows(fixtures)
    no_id = list(rows["PER9003"])
    no_id[header.index("event_id_cnty")] = ""
    chosen = [rows[k] for k in ("PER9001", "PER9003", "PER9004", "PER9005", "PER9006", "PER9007")]
    path = _write_acled(tmp_path / "grouped.csv", header, [*chosen, no_id])

    def outcome(store: Path) -> tuple[object, ...]:
        con = connect(store)
        result = import_file(con, "acled", path).as_dict()
        tables = [
            con.execute(f"SELECT * EXCLUDE ({skip}) FROM {table} ORDER BY ALL").fetchall()
            for table, skip in (
                ("events", "notes"),
                ("quarantine", "path"),
                ("coverage", "recorded"),
            )
        ]
        return result, *tables

    counted: list[int] = []
    original = importing._tally_in_one_pass

    def one_pass(con: object) -> None:
        counted.append(1)
        original(con)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "_tally_in_one_pass", one_pass)
    grouped = outcome(tmp_path / "grouped.duckdb")
    assert counted == []  # counted from the groups
    monkeypatch.setattr(importing, "_tally_from_groups", lambda con, source: False)
    row_by_row = outcome(tmp_path / "row-by-row.duckdb")
    assert counted == [1]
    assert grouped == row_by_row
    assert (grouped[0]["rows_added"], grouped[0]["rows_rejected"]) == (4, 3)  # type: ignore[index]
