"""Beyond one machine: the evidence store exported as Parquet partitioned by country and year
answers the evidence queries exactly as the store does, reading only the files of the
countries asked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.panels import evidence_panels, normalise_ask
from riskatlas.evidence.partitioned import export_partitioned, open_partitioned
from riskatlas.evidence.store import connect
from tests.acled_extract import ARAUCA, LIMA, full_year, write_extract

YEAR = (date(2021, 7, 1), date(2022, 6, 30))


def _store(tmp_path: Path) -> Path:
    store = tmp_path / "events.duckdb"
    events = full_year(LIMA, date(2021, 7, 1), date(2022, 6, 30), "protest", 4)
    events += full_year(LIMA, date(2021, 7, 2), date(2022, 6, 29), "attack", 9)
    events += full_year(ARAUCA, date(2021, 1, 1), date(2022, 6, 30), "clash", 3)
    events += full_year(ARAUCA, date(2021, 2, 1), date(2022, 6, 1), "abduction", 20)
    for number, row in enumerate(events, 1):  # one numbering across the kinds
        row["event_id_cnty"] = f"{row['event_id_cnty'][:3]}{number}"
    csv = write_extract(tmp_path / "acled.csv", events)
    con = connect(store)
    try:
        import_file(con, "acled", csv)
    finally:
        con.close()
    return store


def test_panels_on_the_partitioned_layout_equal_the_store(tmp_path: Path):
    store = _store(tmp_path)
    root = tmp_path / "parquet"
    written = export_partitioned(store, root)
    assert written["events"] > 100
    partitions = sorted(p.relative_to(root).as_posix() for p in (root / "events").glob("*/*"))
    assert "events/country_iso3=PER/year=2021" in partitions
    assert "events/country_iso3=COL/year=2021" in partitions
    asks = [normalise_ask(codes, category) for codes in (["PE-LMA"], ["PE"], ["CO-ARA"], ["CO"])
            for category in ("ACI", "CRM", "UNR")]  # fmt: skip
    con = connect(store, read_only=True)
    try:
        from_store = evidence_panels(con, asks, *YEAR, samples=3)
    finally:
        con.close()
    parquet = open_partitioned(root)
    try:
        from_parquet = evidence_panels(parquet, asks, *YEAR, samples=3)
        # A query for one country reads only that country's files.
        plan = "\n".join(
            str(row[1]) for row in parquet.execute(
                "EXPLAIN ANALYZE SELECT count(*) FROM events WHERE country_iso3 = 'PER'"
            ).fetchall()
        )  # fmt: skip
    finally:
        parquet.close()
    assert from_parquet == from_store
    assert sum(p["events"] for p in from_store.values()) > 100
    peru = [p for p in partitions if "country_iso3=PER" in p]
    assert f"Scanning Files: {len(peru)}/{len(partitions)}" in plan, plan


def test_the_command_writes_the_layout(tmp_path: Path):
    import subprocess
    import sys

    store = _store(tmp_path)
    command = [sys.executable, "-m", "riskatlas", "data", "parquet"]
    out = subprocess.run(
        [*command, str(tmp_path / "pq"), "--db", str(store)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(f"{tmp_path / 'pq'}: events ")
    assert (tmp_path / "pq" / "coverage.parquet").is_file()
    missing = subprocess.run(
        [*command, str(tmp_path / "pq2"), "--db", str(tmp_path / "none.duckdb")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert missing.returncode == 1 and "no evidence store yet" in missing.stderr
