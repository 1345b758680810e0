"""Imported open data in the report: events beside the risk they bear on, advice in section 12."""

from pathlib import Path

from riskatlas.document import load_document
from riskatlas.evidence import connect, import_file
from riskatlas.reports.open_data import gather
from riskatlas.reports.render import render_markdown


def test_report_shows_events_and_advice(tmp_path: Path, fixtures_dir: Path, peru_yaml: Path):
    db = tmp_path / "events.duckdb"
    con = connect(db)
    try:
        import_file(con, "acled", fixtures_dir / "evidence" / "acled_peru.csv")
        import_file(con, "advisories-us", fixtures_dir / "evidence" / "us_summary.csv")
    finally:
        con.close()
    doc = load_document(peru_yaml)
    text = render_markdown(doc, gather(doc, db))
    register = text[text.index("Risk register") :]
    unrest = register[register.index("Staff caught in protests, strikes or roadblocks.") :]
    said = unrest.split("\n- **")[0]
    assert "*Open data (2022-" in said
    # Imported without --full, over 111 of the 365 days asked: the report suggests nothing.
    assert "events 10 Mar–28 Jun 2022: 111 of the 365 days asked" in said
    assert "Not enough data to suggest a likelihood" in said
    advice = text[text.index("Comparison with official advice") :]
    assert "United States (State Department)" in advice
    assert "| Peru | 4 | **2 increased caution** |" in advice
    assert "United States (State Department) (as of 2025-05-16; **older than" in advice


def test_no_store_no_open_data(tmp_path: Path, peru_yaml: Path):
    doc = load_document(peru_yaml)
    assert gather(doc, tmp_path / "missing.duckdb") == {}
    assert "Open data" not in render_markdown(doc, {})
