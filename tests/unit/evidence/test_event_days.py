"""The events counted by day (``event_days``): only the countries asked for are counted, every
import keeps them in step, the panels read from them are the panels counted from the events,
and a store made by an earlier release (``events`` with a primary key, no counts; counts of
every country without the list) is brought up to date when opened for writing."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from riskatlas.evidence import panel_samples
from riskatlas.evidence.analytics import evidence_panel
from riskatlas.evidence.assessment import risk_evidence
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.coverage import Scope
from riskatlas.evidence.event_days import (
    KEYS,
    count_countries,
    counted,
    in_step,
    listed,
    unchanging,
)
from riskatlas.evidence.panels import evidence_panels, normalise_ask
from riskatlas.evidence.reading import Reading
from riskatlas.evidence.severity import FIGURES
from riskatlas.evidence.store import EVENTS, connect
from tests.acled_extract import AYACUCHO, LIMA, event, full_year, write_extract

ROOT = Path(__file__).resolve().parents[3]
YEAR = (date(2022, 1, 1), date(2022, 12, 31))
CATEGORIES = ("ACI", "UNR", "CRM", "TER", "KID", "POL")


def _synthetic(tmp_path: Path, rows: int) -> Path:
    csv = tmp_path / f"acled_{rows}.csv"
    generate = [sys.executable, str(ROOT / "benchmarks" / "evidence_generate.py")]
    subprocess.run([*generate, "--rows", str(rows), "-o", str(csv)], check=True, cwd=ROOT)
    return csv


def _asks(con: duckdb.DuckDBPyConnection) -> list[tuple[tuple[str, ...], str]]:
    areas = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT area_code FROM events WHERE country_iso3 IN ('PER', 'COL')"
            " AND area_code IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    groups = [[a] for a in areas[:10]] + [["PER"], ["COL"], areas[:3]]
    return [normalise_ask(codes, k) for codes in groups for k in CATEGORIES]


def _panels(store: Path, asks: list) -> dict:
    con = connect(store, read_only=True)
    try:
        return evidence_panels(con, asks, *YEAR, samples=5)
    finally:
        con.close()


def _not_in_step(store: Path) -> None:
    """Make the counts by day out of step, as after an interrupted count: readers then count
    from the events."""
    con = duckdb.connect(str(store))
    con.execute("DELETE FROM event_days_made")
    con.close()


def _counts_equal_a_fresh_count(con: duckdb.DuckDBPyConnection) -> None:
    """The table holds the listed countries' events counted afresh, and nothing else."""
    countries = listed(con)
    assert countries
    kept = con.execute("SELECT * FROM event_days ORDER BY ALL").fetchall()
    fresh = con.execute(f"{counted('country_iso3 IN ?')} ORDER BY ALL", [countries]).fetchall()
    assert kept == fresh
    assert in_step(con, countries)


def _count(con: duckdb.DuckDBPyConnection, *countries: str) -> None:
    con.execute("BEGIN")
    count_countries(con, countries)
    con.execute("COMMIT")


def test_panels_from_the_counts_by_day_equal_panels_from_the_events(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
):
    whole = _synthetic(tmp_path, 20000)
    first = tmp_path / "first.csv"
    first.write_text("".join(whole.read_text().splitlines(keepends=True)[:12001]))
    con = connect(store)
    _count(con, "PER", "COL")  # asked for before any event: the imports keep them counted
    import_file(con, "acled", first, scope=Scope("full", "stated at import with --full"))
    again = import_file(con, "acled", whole, scope=Scope("full", "stated at import with --full"))
    assert again.rows_added == 8000 and again.rows_present == 12000
    _counts_equal_a_fresh_count(con)
    assert listed(con) == ["COL", "PER"]
    asks = _asks(con)
    con.close()

    from_days = _panels(store, asks)
    assert sum(bool(p["sample_events"]) for p in from_days.values()) > 30
    # Every row's events read by one scan instead of by row id: the same samples.
    monkeypatch.setattr(panel_samples, "CLOSE", 0)
    assert _panels(store, asks) == from_days
    monkeypatch.setattr(panel_samples, "SPANS", 0)
    assert _panels(store, asks) == from_days
    monkeypatch.undo()

    _not_in_step(store)
    con = connect(store, read_only=True)
    assert not in_step(con)
    con.close()
    assert _panels(store, asks) == from_days


def test_a_store_from_before_is_upgraded_when_opened_for_writing(fixtures: Path, tmp_path: Path):
    old = tmp_path / "old.duckdb"
    con = connect(old)
    import_file(con, "acled", fixtures / "acled_peru.csv")
    con.close()
    # As an earlier release made it: events with a primary key, no counts by day.
    con = duckdb.connect(str(old))
    con.execute("DROP TABLE event_days; DROP TABLE event_days_made")
    con.execute("ALTER TABLE events RENAME TO unkeyed")
    con.execute(
        EVENTS.replace(
            "    notes VARCHAR\n", "    notes VARCHAR, PRIMARY KEY (source, event_key)\n"
        )
    )
    con.execute("INSERT INTO events SELECT * FROM unkeyed; DROP TABLE unkeyed")
    con.close()
    doc = {
        "assessment": {"country": "PE"},
        "risks": [{"id": "unrest", "area": "PE-LIM", "category": "UNR"}],
    }
    before = risk_evidence(old, doc)  # read-only: counted from the events
    assert before["panels"]["unrest"]["events"] >= 1

    con = connect(old)
    assert listed(con) == [] and in_step(con) and not in_step(con, ["PER"])
    _count(con, "PER")
    keys = con.execute(
        "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'events'"
        " AND constraint_type = 'PRIMARY KEY'"
    ).fetchone()
    assert keys == (0,)
    _counts_equal_a_fresh_count(con)
    again = import_file(con, "acled", fixtures / "acled_peru.csv")
    assert again.rows_added == 0
    assert con.execute(
        "SELECT count(*), count(DISTINCT (source, event_key)) FROM events"
    ).fetchone() == (5, 5)
    con.close()
    assert risk_evidence(old, doc) == before


def test_each_import_keeps_the_counts_in_step(fixtures: Path, tmp_path: Path, store: Path):
    con = connect(store)
    import_file(con, "acled", fixtures / "acled_peru.csv")
    _count(con, "PER")
    _counts_equal_a_fresh_count(con)
    import_file(con, "ucdp-ged", fixtures / "ucdp_ged.csv")
    import_file(con, "gdelt", fixtures / "gdelt.export.CSV")
    import_file(con, "gtd", fixtures / "gtd.csv")
    _counts_equal_a_fresh_count(con)
    import_file(con, "acled", fixtures / "acled_peru.csv")  # nothing new: still in step
    _counts_equal_a_fresh_count(con)
    assert (
        con.execute("SELECT sum(events) FROM event_days").fetchone()
        == con.execute("SELECT count(*) FROM events").fetchone()
    )


def test_sample_events_on_one_crowded_day_are_the_deadliest_then_by_event_id(
    tmp_path: Path, store: Path, monkeypatch: pytest.MonkeyPatch
):
    """Many events of one day, place and kind (one row of counts): the samples are chosen
    among them as ``evidence_panel`` chooses them from the events, in two files imported one
    after the other, far apart in the table, whichever way their events are read."""
    crowded = date(2022, 6, 30)
    deaths = [0, 2, 2, 1, 2, 0, 3, 2, 0, 1]
    first = [event(LIMA, 500 - 7 * i, crowded, "protest", n) for i, n in enumerate(deaths)]
    later = [event(LIMA, 900 + i, date(2022, 3, 1 + i), "protest", 2) for i in range(4)]
    rest = full_year(LIMA, *YEAR, "protest", every=9)
    full = Scope("full", "test")
    con = connect(store)
    _count(con, "PER")
    import_file(con, "acled", write_extract(tmp_path / "a.csv", first + rest), scope=full)
    import_file(con, "acled", write_extract(tmp_path / "b.csv", later + first[:3]), scope=full)
    con.close()
    for close in (panel_samples.CLOSE, 0):
        monkeypatch.setattr(panel_samples, "CLOSE", close)
        for samples in (1, 3, 5):
            ask = normalise_ask(["PE-LIM"], "UNR")
            con = connect(store, read_only=True)
            together = evidence_panels(con, [ask], *YEAR, samples=samples)[ask]
            con.close()
            alone = evidence_panel(store, ["PE-LIM"], "UNR", *YEAR, samples=samples)
            assert together == alone
    keys = [e["event_key"] for e in alone["sample_events"]]
    assert keys == ["PER458", "PER451", "PER472", "PER486", "PER493"]


def test_the_counts_by_day_give_the_severity_figures_of_the_events(tmp_path: Path):
    """``counted`` computes each event's conditions once, then counts them: the same figures
    as ``severity.FIGURES`` counted straight from the events (words in any case, NULL texts,
    the words in the notes of violence against civilians only for abductions)."""
    con = connect(tmp_path / "events.duckdb")
    rows = [
        ("a1", "Violence against civilians", "Abduction/forced disappearance", "UNR", None, None),
        ("a2", "Violence against civilians", "Attack", "UNR", "Gunmen KIDNAPPED two", None),
        ("a3", "Protests", "Peaceful protest", "UNR", "against the kidnapping of a mayor", None),
        ("a4", "Riots", "Mob violence", "KID", None, "Rioters (Peru)"),
        ("a5", "Violence against civilians", "Attack", "UNR", None, "Aid Workers (Peru)"),
        ("a6", "Strategic developments", "NGO", "UNR", "Red Cross convoy", None),
        ("a7", "Battles", "Armed clash", "UNR", "a Humanitarian Worker was hurt", "Military"),
        ("a8", "Battles", "Armed clash", "UNR", "", "Red Crescent; Police"),
        ("a9", "Battles", "Hostage-taking", "UNR", None, None),
    ]
    for n, (key, kind, sub, category, notes, actors) in enumerate(rows):
        con.execute(
            "INSERT INTO events (source, event_key, event_date, category, event_type, sub_type,"
            " country_iso3, area_code, fatalities, actors, notes)"
            " VALUES ('acled', ?, DATE '2022-03-01', ?, ?, ?, 'PER', NULL, ?, ?, ?)",
            [key, category, kind, sub, n % 3 or None, actors, notes],
        )
    figures = ", ".join(f"{sql} AS {key}" for key, sql, *_ in FIGURES)
    direct = f"SELECT {KEYS}, {figures} FROM events GROUP BY ALL ORDER BY ALL"
    keys = ", ".join(key for key, *_ in FIGURES)
    for rows_kept in (True, False):
        by_day = con.execute(
            f"SELECT {KEYS}, {keys} FROM ({counted('true', rows=rows_kept)}) ORDER BY ALL"
        ).fetchall()
        assert by_day == con.execute(direct).fetchall()
    totals = con.execute(f"SELECT sum(abductions), sum(aid_workers) FROM ({counted('true')})")
    assert totals.fetchone() == (4, 4)  # a1, a2, a4 (KID), a9; a5, a6 (NGO), a7, a8
    con.close()


def test_an_import_into_countries_already_counted_adds_only_its_own_events(
    tmp_path: Path, store: Path
):
    """A second file adding to days, places and kinds already counted, and to new ones: each
    row of counts sums both files' events (its row ids spanning both), the rows the second
    file does not touch are kept as they were, and the table equals a fresh count."""
    crowded = date(2022, 6, 30)
    first = [event(LIMA, 100 + i, crowded, "protest", i % 3) for i in range(5)]
    first += full_year(LIMA, *YEAR, "protest", every=11)
    first += [event(AYACUCHO, 300 + i, date(2022, 2, 1 + i), "attack", 1) for i in range(4)]
    later = [event(LIMA, 700 + i, crowded, "protest", 4) for i in range(3)]
    later += [event(LIMA, 800, date(2022, 7, 1), "attack", 2), *first[:2]]  # two already held
    full = Scope("full", "test")
    con = connect(store)
    _count(con, "PER")
    import_file(con, "acled", write_extract(tmp_path / "a.csv", first), scope=full)
    untouched = con.execute(
        "SELECT * FROM event_days WHERE area_code = 'PE-AYA' ORDER BY ALL"
    ).fetchall()
    result = import_file(con, "acled", write_extract(tmp_path / "b.csv", later), scope=full)
    assert (result.rows_added, result.rows_present) == (4, 2)
    _counts_equal_a_fresh_count(con)
    day = con.execute(
        "SELECT events, deaths, most, first_row, last_row FROM event_days"
        " WHERE event_date = ? AND area_code = 'PE-LIM' AND sub_type = 'Peaceful protest'",
        [crowded],
    ).fetchall()
    held = con.execute("SELECT count(*) FROM events").fetchone()
    assert held is not None
    crowded_deaths = sum(i % 3 for i in range(5)) + 3 * 4
    assert len(day) == 1 and day[0][:3] == (8, crowded_deaths, 4)
    assert day[0][3] < len(first) <= day[0][4] < held[0]
    assert (
        con.execute("SELECT * FROM event_days WHERE area_code = 'PE-AYA' ORDER BY ALL").fetchall()
        == untouched
    )
    con.close()


def test_new_events_not_the_last_row_ids_are_counted_again_by_country(tmp_path: Path, store: Path):
    """Events removed from the table leave their row ids unused, so the events an
    import adds are no longer the last ``rows_added`` row ids: the countries they touch are
    counted again from the events, and the table still equals a fresh count."""
    first = full_year(LIMA, *YEAR, "protest", every=5)
    first += [event(AYACUCHO, 300 + i, date(2022, 2, 1 + i), "attack", 1) for i in range(4)]
    later = [event(LIMA, 700 + i, date(2022, 6, 30), "protest", 4) for i in range(3)]
    full = Scope("full", "test")
    con = connect(store)
    import_file(con, "acled", write_extract(tmp_path / "a.csv", first), scope=full)
    _count(con, "PER")
    con.execute("DELETE FROM events WHERE rowid BETWEEN 10 AND 15")
    con.close()
    con = connect(store)  # out of step after the removal: counted whole on opening
    _counts_equal_a_fresh_count(con)
    held = con.execute("SELECT count(*), max(rowid) + 1 FROM events").fetchone()
    assert held is not None and held[0] < held[1]  # the removed events' row ids stay unused
    result = import_file(con, "acled", write_extract(tmp_path / "b.csv", later), scope=full)
    assert result.rows_added == 3
    _counts_equal_a_fresh_count(con)
    before = [e for e in first if e["event_date"] == "2022-06-30"]
    assert con.execute(
        "SELECT events, deaths FROM event_days WHERE event_date = '2022-06-30'"
        " AND area_code = 'PE-LIM' AND sub_type = 'Peaceful protest'"
    ).fetchall() == [(len(before) + 3, sum(int(e["fatalities"]) for e in before) + 3 * 4)]
    con.close()


def test_a_connection_to_an_unchanging_store_is_asked_once_whether_the_counts_are_in_step(
    tmp_path: Path, store: Path
):
    """A page asks ``in_step`` twice on its read-only reading (the country's dates, then the
    panels' counts); the store cannot change meanwhile, so the second answer is the first."""
    rows = full_year(LIMA, *YEAR, "protest", every=20)
    con = connect(store)
    try:
        import_file(con, "acled", write_extract(tmp_path / "x.csv", rows), scope=Scope("full", "t"))
        _count(con, "PER")
        other = con.cursor()
        unchanging(con)
        assert in_step(con, ["PER"]) and in_step(other, ["PER"])
        assert not in_step(con, ["PER", "COL"])  # a country not counted
        con.execute("DELETE FROM event_days_made")  # as if another import had begun
        assert in_step(con, ["PER"])  # answered once for the connection said to be unchanging
        assert not in_step(other, ["PER"])  # asked again on any other
    finally:
        con.close()
    with Reading(store) as reading:
        assert not in_step(reading.connection())


def test_only_the_countries_asked_for_are_counted_and_the_others_read_the_same_panels(
    tmp_path: Path, store: Path
):
    """An import counts by day only the listed countries (none at first); a country not
    listed reads its panels from the events, and the same panels once it is counted; a later
    import keeps the listed country counted and leaves the others out."""
    whole = _synthetic(tmp_path, 20000)
    lines = whole.read_text().splitlines(keepends=True)
    first = tmp_path / "first.csv"
    first.write_text("".join(lines[:15001]))
    con = connect(store)
    import_file(con, "acled", first, scope=Scope("full", "test"))
    assert listed(con) == []
    assert con.execute("SELECT count(*) FROM event_days").fetchone() == (0,)
    asks = _asks(con)
    con.close()
    from_events = _panels(store, asks)
    assert sum(p["events"] for p in from_events.values()) > 100

    con = connect(store)
    _count(con, "PER", "COL")
    _counts_equal_a_fresh_count(con)
    con.close()
    assert _panels(store, asks) == from_events

    con = connect(store)
    result = import_file(con, "acled", whole, scope=Scope("full", "test"))
    assert result.rows_added == 5000
    _counts_equal_a_fresh_count(con)
    others = con.execute(
        "SELECT count(*) FROM events WHERE rowid >= 15000 AND country_iso3 NOT IN ('PER', 'COL')"
    ).fetchone()
    assert others is not None and others[0] > 1000  # added, and left to be read from events
    assert listed(con) == ["COL", "PER"]
    con.close()


def test_a_store_that_counted_every_country_before_the_list_counts_only_those_asked_for(
    tmp_path: Path, store: Path
):
    """Its counts of every country are dropped when it is first opened for writing (so that its
    imports no longer count them all); the panels read the same figures from the events until a
    country is asked for, and from the counts after."""
    whole = _synthetic(tmp_path, 3000)
    con = connect(store)
    import_file(con, "acled", whole, scope=Scope("full", "test"))
    every = [r[0] for r in con.execute("SELECT DISTINCT country_iso3 FROM events").fetchall()]
    assert len(every) > 20
    _count(con, *every)
    asks = _asks(con)
    con.execute("DROP TABLE event_days_countries")  # as an earlier release left it
    con.close()
    before = _panels(store, asks)
    with Reading(store) as reading:  # read-only: nothing listed, read from the events
        assert not in_step(reading.connection(), ["PER"])
    con = connect(store)
    assert listed(con) == [] and in_step(con)
    assert con.execute("SELECT count(*) FROM event_days").fetchone() == (0,)
    con.close()
    assert _panels(store, asks) == before
    con = connect(store)
    _count(con, "PER", "COL")
    _counts_equal_a_fresh_count(con)
    con.close()
    assert _panels(store, asks) == before


def test_counting_countries_already_counted_leaves_the_store_as_it_was(
    fixtures: Path, tmp_path: Path, store: Path
):
    """The worker asks for the assessments' countries at every refresh: when they are counted
    the store is not opened for writing, so what pages keep under its state stays valid."""
    from riskatlas.evidence.evidence_cache import store_state
    from riskatlas.evidence.operations import count_by_day, import_into_store

    result = import_into_store("acled", fixtures / "acled_peru.csv", store, count=["PER"])
    assert result.rows_added == 5
    con = connect(store, read_only=True)
    assert listed(con) == ["PER"] and in_step(con, ["PER"])
    con.close()
    state = store_state(store)
    assert count_by_day(["PER"], store) == []
    assert store_state(store) == state
    assert count_by_day(["PER", "COL"], store) == ["COL"]
    assert store_state(store) != state


def test_writing_beside_a_reading_in_the_same_process_is_told_the_store_is_busy(
    fixtures: Path, store: Path
):
    """DuckDB refuses a writer on a file a page's reading has attached in the same process
    (the worker's threads): the writer is told the store is busy, as when another process
    holds it, instead of failing with DuckDB's own error."""
    from riskatlas.evidence.operations import count_by_day, import_into_store
    from riskatlas.evidence.store import StoreBusy

    import_into_store("acled", fixtures / "acled_peru.csv", store)
    with Reading(store) as reading:
        reading.connection()
        with pytest.raises(StoreBusy, match="in use by another thread of this process"):
            count_by_day(["PER"], store)
    assert count_by_day(["PER"], store) == ["PER"]


def test_the_countries_a_document_reads_include_those_of_its_risks_areas():
    from riskatlas.evidence.assessment import countries_read

    doc = {
        "assessment": {"country": "PE"},
        "areas": [{"code": "X-BORDER", "name": "Tumbes border", "parts": ["PE-TUM", "EC-O"]}],
        "risks": [
            {"id": "a", "area": "X-BORDER", "category": "CRM"},
            {"id": "b", "area": "CO-AMA", "category": "OCR"},
            {"id": "c", "area": "PE-LIM", "category": "UNR"},
        ],
    }
    assert countries_read(doc) == ["COL", "ECU", "PER"]
    assert countries_read({"assessment": {"country": "PE"}}) == ["PER"]
