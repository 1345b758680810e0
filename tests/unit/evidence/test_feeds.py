"""Feeds of official advice and hazards, read from recorded responses in each publisher's
format (tests/fixtures/evidence/recorded/feeds, written for these tests), imported into a
store, re-imported (nothing changes), refused when their shape changes, fetched from a local
server, and what changed between two responses recorded."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from riskatlas.cli import main
from riskatlas.evidence.advice import official_advice
from riskatlas.evidence.changes import import_feed, list_changes
from riskatlas.evidence.feeds import FeedShapeError
from riskatlas.evidence.fetch import FEED_PATHS
from riskatlas.evidence.store import connect

FEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "evidence" / "recorded" / "feeds"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = connect(tmp_path / "events.duckdb")
    yield con
    con.close()


def _import(con: duckdb.DuckDBPyConnection, source: str, name: str, now: datetime = NOW):
    return import_feed(con, source, FEEDS / name, now=now)


def _advice(con: duckdb.DuckDBPyConnection, government: str) -> list[tuple[object, ...]]:
    return con.execute(
        "SELECT country_iso3, level, updated FROM advisories WHERE government = ?"
        " ORDER BY country_iso3",
        [government],
    ).fetchall()


def test_canada_index_gives_each_countrys_level_and_date(store: duckdb.DuckDBPyConnection):
    result = _import(store, "canada-advice", "canada-index.json")
    assert (result.rows_seen, result.rows_added, result.rows_rejected) == (3, 3, 0)
    assert _advice(store, "canada") == [
        ("COL", 2, "2026-10-31"),
        ("ISL", 1, "2026-10-09"),
        ("PER", 2, "2026-11-06"),
    ]


def test_germany_warnings_on_the_common_scale(store: duckdb.DuckDBPyConnection):
    _import(store, "germany-advice", "germany-travelwarning.json")
    # Sudan: travel warning (4); Iceland: none (1); Peru: a warning for parts, no
    # whole-country level.
    assert _advice(store, "germany") == [
        ("ISL", 1, "2026-09-29"),
        ("PER", None, "2026-11-27"),
        ("SDN", 4, "2026-11-22"),
    ]
    text = store.execute(
        "SELECT level_text FROM advisories WHERE country_iso3 = 'PER' AND government = 'germany'"
    ).fetchone()
    assert text == ("travel warning for parts of the country (Teilreisewarnung)",)


def test_us_rss_gives_national_level_and_the_areas_its_text_names(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
):
    result = _import(store, "us-advice", "us-advisories.xml")
    assert result.skipped_reasons == {"item without a level (not a travel advisory)": 1}
    # Every item read is counted: added, present, quarantined and skipped add up to it.
    assert (
        result.rows_seen,
        result.rows_added,
        result.rows_present,
        result.rows_rejected,
        result.rows_skipped,
    ) == (3, 2, 0, 0, 1)
    again = _import(store, "us-advice", "us-advisories.xml")
    assert (again.rows_seen, again.rows_added, again.rows_present, again.rows_skipped) == (
        3, 0, 2, 1
    )  # fmt: skip
    assert _advice(store, "unitedstates") == [("ISL", 1, "2026-07-21"), ("PER", 2, "2026-11-02")]
    areas = store.execute(
        "SELECT area_code, level, place FROM advisory_areas WHERE government = 'unitedstates'"
        " ORDER BY ordinal"
    ).fetchall()
    # The border strip is a named place (no code); Ayacucho is the subdivision PE-AYA.
    assert areas == [(None, 4, True), ("PE-AYA", 4, False)]
    store.close()
    (peru,) = official_advice(tmp_path / "events.duckdb", "PER")
    assert (peru["government_name"], peru["level"], peru["updated"]) == (
        "United States (State Department)", 2, "2026-11-02"
    )  # fmt: skip
    assert [(a["area_code"], a["level"]) for a in peru["areas"]] == [(None, 4), ("PE-AYA", 4)]


def test_australia_rss_overall_level_and_a_non_destination_quarantined(
    store: duckdb.DuckDBPyConnection,
):
    result = _import(store, "australia-advice", "smartraveller.rss")
    assert _advice(store, "australia") == [("ISL", 1, "2026-10-12"), ("PER", 2, "2026-11-25")]
    assert result.rejected_reasons == {"destination not recognised: Travelling with medicines": 1}
    assert store.execute("SELECT source, row_key FROM quarantine").fetchall() == [
        ("australia-advice", "australia-advice#Travelling with medicines")
    ]


def test_hazards_with_date_alert_and_areas(store: duckdb.DuckDBPyConnection):
    _import(store, "gdacs", "gdacs-events.geojson")
    _import(store, "usgs", "usgs-4.5_week.geojson")
    _import(store, "who-don", "who-don.json")
    rows = store.execute(
        "SELECT source, hazard_key, kind, alert, event_date::VARCHAR, country_iso3, area_code,"
        " countries FROM hazards ORDER BY source, hazard_key"
    ).fetchall()
    assert rows == [
        ("gdacs", "EQ1502214", "earthquake", "orange", "2026-11-28", "PER", "PE-ICA", ["PER"]),
        ("gdacs", "FL1103371", "flood", "green", "2026-11-20", "PER", "PE-CUS", ["PER"]),
        ("gdacs", "TC1001190", "tropical cyclone", "red", "2026-11-24", "PHL", "PH-08",
         ["PHL", "VNM"]),
        # A US state code is the United States and that state; at sea: kept, no country.
        ("usgs", "ci40999111", "earthquake", "green", "2026-11-26", "USA", "US-CA", ["USA"]),
        ("usgs", "us7000rw55", "earthquake", None, "2026-11-25", None, None, []),
        ("usgs", "us7000rx1k", "earthquake", "orange", "2026-11-28", "PER", "PE-ARE", ["PER"]),
        # Named in Ecuador, within 150 km of Peruvian towns: near Peru too.
        ("usgs", "us7000ry3q", "earthquake", "orange", "2026-11-27", "ECU", "EC-O",
         ["ECU", "PER"]),
        ("who-don", "2025-DON560", "outbreak", None, "2025-03-10", "ETH", None, ["ETH"]),
        ("who-don", "2026-DON601", "outbreak", None, "2026-11-26", "PER", None, ["PER"]),
    ]  # fmt: skip
    # A title naming no single country is quarantined with the reason, not dropped.
    assert store.execute(
        "SELECT row_key, reason FROM quarantine WHERE source = 'who-don'"
    ).fetchall() == [("who-don#2026-DON600", "no single country named in the title")]


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("canada-advice", "canada-index.json"),
        ("canada-advice", "canada-peru.json"),
        ("australia-advice", "smartraveller.rss"),
        ("germany-advice", "germany-travelwarning.json"),
        ("us-advice", "us-advisories.xml"),
        ("gdacs", "gdacs-events.geojson"),
        ("usgs", "usgs-4.5_week.geojson"),
        ("who-don", "who-don.json"),
    ],
)
def test_reimporting_the_same_response_changes_nothing(
    store: duckdb.DuckDBPyConnection, source: str, name: str
):
    first = _import(store, source, name)
    tables = ("advisories", "advisory_areas", "hazards", "changes", "quarantine")
    before = {t: store.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    second = _import(store, source, name, now=datetime(2026, 12, 1, tzinfo=UTC))
    after = {t: store.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    assert first.rows_added > 0
    assert (second.rows_added, second.changes_recorded) == (0, 0)
    assert after == before


@pytest.mark.parametrize(
    ("source", "name", "message"),
    [
        ("canada-advice", "canada-index-broken.json",
         "canada-advice: data.CO.advisory-state: expected a number, got '1'"),
        ("us-advice", "us-advisories-broken.xml",
         r"us-advice: expected an RSS document \(<rss><channel>\)"),
        ("gdacs", "gdacs-events-broken.geojson",
         r"gdacs: features\[1\].properties.fromdate: missing"),
        ("who-don", "who-don-broken.json", r"who-don: value\[0\].Title: missing"),
    ],
)  # fmt: skip
def test_a_feed_whose_shape_changed_is_refused_naming_source_and_field(
    store: duckdb.DuckDBPyConnection, source: str, name: str, message: str
):
    with pytest.raises(FeedShapeError, match=message):
        _import(store, source, name)
    for table in ("advisories", "hazards", "changes", "imports"):
        assert store.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)


def test_a_newer_advice_response_records_the_level_change_for_its_area(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
):
    assert _import(store, "canada-advice", "canada-index.json").changes_recorded == 0  # no before
    later = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
    result = _import(store, "canada-advice", "canada-index-newer.json", now=later)
    assert result.changes_recorded == 1
    row = store.execute(
        "SELECT kind, source, country_iso3, area_code, before_level, after_level, before_text,"
        " after_text, direction, observed::VARCHAR, recorded FROM changes"
    ).fetchone()
    assert row == (
        "advice-level", "canada-advice", "PER", "PE", 2, 3,
        "level 2 (increased caution)", "level 3 (reconsider travel / avoid non-essential travel)",
        "up", "2026-11-26", later.replace(tzinfo=None),
    )  # fmt: skip


def test_us_rss_change_of_national_level_and_a_newly_named_subdivision(
    store: duckdb.DuckDBPyConnection,
):
    _import(store, "us-advice", "us-advisories.xml")
    _import(store, "us-advice", "us-advisories-newer.xml")
    rows = store.execute(
        "SELECT area_code, before_text, after_text, direction FROM changes ORDER BY area_code"
    ).fetchall()
    assert rows == [
        ("PE", "level 2 (increased caution)",
         "level 3 (reconsider travel / avoid non-essential travel)", "up"),
        ("PE-PUN", "level 2 (increased caution) (the country's)", "level 4 (do not travel)", "up"),
    ]  # fmt: skip


def test_hazard_changes_new_orange_red_alerts_raised_alerts_and_new_outbreaks(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
):
    _import(store, "gdacs", "gdacs-events.geojson")
    _import(store, "who-don", "who-don.json")
    store.close()
    db = tmp_path / "events.duckdb"
    total, changes = list_changes(db)
    assert total == 3
    assert {
        (c["kind"], c["country"], c["before"], c["after"], c["direction"]) for c in changes
    } == {
        ("hazard-alert", "PER", "", "orange", "new"),  # the earthquake; the green flood is none
        ("hazard-alert", "PHL", "", "red", "new"),
        ("outbreak", "PER", "", "reported", "new"),  # the 2025 Ethiopian item is history
    }
    con = connect(db)
    _import(con, "gdacs", "gdacs-events-newer.geojson", now=datetime(2026, 12, 1, tzinfo=UTC))
    con.close()
    total, changes = list_changes(db, kinds=["hazard-alert"])
    assert total == 3
    assert changes[0]["title"] == "flood: Flood in Peru"
    assert (changes[0]["before"], changes[0]["after"], changes[0]["direction"]) == (
        "green", "orange", "up"
    )  # fmt: skip
    # A cyclone touching Viet Nam concerns a team assessing Viet Nam; nothing else does.
    assert [c["country"] for c in list_changes(db, countries=["VNM"])[1]] == ["PHL"]
    assert list_changes(db, countries=["ISL"]) == (0, [])


def test_list_changes_without_a_store(tmp_path: Path):
    assert list_changes(tmp_path / "none.duckdb") == (0, [])


class Served(BaseHTTPRequestHandler):
    routes: dict[str, bytes] = {}
    requests: list[str] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = self.routes.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Served)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    for source in FEED_PATHS:
        monkeypatch.setenv("RISKATLAS_" + source.upper().replace("-", "_") + "_URL", url)
    Served.routes, Served.requests = {}, []
    yield Served.routes
    httpd.shutdown()
    httpd.server_close()


RECORDED = {
    "canada-advice": "canada-index.json",
    "australia-advice": "smartraveller.rss",
    "germany-advice": "germany-travelwarning.json",
    "us-advice": "us-advisories.xml",
    "gdacs": "gdacs-events.geojson",
    "usgs": "usgs-4.5_week.geojson",
    "who-don": "who-don.json",
}


@pytest.mark.parametrize("source", list(RECORDED))
def test_data_import_fetch_reads_each_feed_from_its_address(
    served: dict[str, bytes], tmp_path: Path, source: str
):
    served[FEED_PATHS[source][0]] = (FEEDS / RECORDED[source]).read_bytes()
    db = tmp_path / "events.duckdb"
    args = ["data", "import", source, "--fetch", "--db", str(db), "--format", "json"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["source"] == source and answer["rows_added"] > 0 and answer["changes"] >= 0
    assert Served.requests == [FEED_PATHS[source][0]]
    assert Path(answer["path"]).parent == tmp_path / "downloads"


def test_data_import_fetch_of_a_changed_feed_says_source_and_field(
    served: dict[str, bytes], tmp_path: Path
):
    served[FEED_PATHS["who-don"][0]] = (FEEDS / "who-don-broken.json").read_bytes()
    args = ["data", "import", "who-don", "--fetch", "--db", str(tmp_path / "e.duckdb")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "who-don: value[0].Title: missing" in result.output


def test_a_response_over_the_size_limit_is_refused(
    served: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("RISKATLAS_FETCH_MAX_MB", "1")
    served[FEED_PATHS["usgs"][0]] = b" " * (1024 * 1024 + 1)
    args = ["data", "import", "usgs", "--fetch", "--db", str(tmp_path / "e.duckdb")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "larger than 1 MB (RISKATLAS_FETCH_MAX_MB)" in result.output


def test_help_lists_the_feeds():
    result = CliRunner().invoke(main, ["data", "import", "--help"])
    words = "".join(result.output.split())  # the help wraps "us-advice" as "us-\n advice"
    for source in RECORDED:
        assert source in words


def test_data_import_says_how_many_changes_it_recorded(tmp_path: Path):
    db = str(tmp_path / "events.duckdb")
    first = CliRunner().invoke(
        main, ["data", "import", "canada-advice", str(FEEDS / "canada-index.json"), "--db", db]
    )
    assert first.exit_code == 0, first.output
    assert "3 added" in first.output and "0 changes recorded" in first.output
    newer = str(FEEDS / "canada-index-newer.json")
    second = CliRunner().invoke(main, ["data", "import", "canada-advice", newer, "--db", db])
    assert "0 added, 3 already present" in second.output
    assert "  1 change recorded (the What changed page):" in second.output
    status = CliRunner().invoke(main, ["data", "status", "--db", db, "--format", "json"])
    (canada,) = [s for s in json.loads(status.output)["sources"] if s["kind"] == "advice"]
    assert (canada["source"], canada["rows_loaded"]) == ("advisories-canada", 3)


def test_data_import_prints_the_changes_it_recorded(tmp_path: Path):
    """As docs/data-sources.md says ("download and import; prints the changes"): each change
    recorded, in words, under the count."""
    db = str(tmp_path / "events.duckdb")
    for name in ("canada-index.json", "canada-index-newer.json"):
        done = CliRunner().invoke(
            main, ["data", "import", "canada-advice", str(FEEDS / name), "--db", db]
        )
    assert done.output.endswith(
        "  1 change recorded (the What changed page):\n"
        "    Canada (Global Affairs): Peru level 2 (increased caution) → level 3 (reconsider"
        " travel / avoid non-essential travel)\n"
    )
    again = CliRunner().invoke(
        main, ["data", "import", "canada-advice", str(FEEDS / name), "--db", db]
    )
    assert again.output.endswith("  0 changes recorded (the What changed page)\n")


def test_an_earthquake_across_the_border_concerns_the_neighbour(
    store: duckdb.DuckDBPyConnection, tmp_path: Path
):
    _import(store, "usgs", "usgs-4.5_week.geojson")
    store.close()
    total, changes = list_changes(tmp_path / "events.duckdb", countries=["PER"])
    assert total == 2
    assert [(c["country"], c["area_name"], c["after"]) for c in changes] == [
        ("PER", "Arequipa", "orange"),
        ("ECU", "El Oro", "orange"),
    ]
    # The green Californian one is no change; the one at sea concerns no country.
    assert list_changes(tmp_path / "events.duckdb", countries=["USA", "FJI", "TON"]) == (0, [])


def test_canadas_country_file_gives_its_regions_and_a_new_one_is_a_change(
    store: duckdb.DuckDBPyConnection,
):
    _import(store, "canada-advice", "canada-peru.json")
    assert store.execute(
        "SELECT area, area_code, level, place FROM advisory_areas ORDER BY ordinal"
    ).fetchall() == [
        ("Colombia-Peru border area", None, 3, True),  # a named place, no code
        ("Ayacucho", "PE-AYA", 3, False),
    ]
    # The index names no regions: those of the country's file are kept.
    _import(store, "canada-advice", "canada-index.json")
    assert store.execute("SELECT count(*) FROM advisory_areas").fetchone() == (2,)
    result = _import(store, "canada-advice", "canada-peru-newer.json")
    assert result.changes_recorded == 1
    assert store.execute(
        "SELECT area_code, area_name, before_text, after_text, direction, observed::VARCHAR"
        " FROM changes"
    ).fetchone() == (
        "PE-PUN", "Puno", "level 2 (increased caution) (the country's)",
        "level 3 (reconsider travel / avoid non-essential travel)", "up", "2026-11-30",
    )  # fmt: skip


def test_regions_first_read_from_the_same_publication_are_no_change(
    store: duckdb.DuckDBPyConnection,
):
    """Canada's index first (no regions), then Peru's file of the same publication (6 November,
    "Editorial update"): Ayacucho's regional advisory was there all along, only not seen; it is
    not recorded as raised. A later publication adding Puno is."""
    _import(store, "canada-advice", "canada-index.json")
    assert _import(store, "canada-advice", "canada-peru.json").changes_recorded == 0
    assert store.execute("SELECT count(*) FROM advisory_areas").fetchone() == (2,)
    assert _import(store, "canada-advice", "canada-peru-newer.json").changes_recorded == 1
    assert store.execute("SELECT area_code FROM changes").fetchall() == [("PE-PUN",)]


def test_an_older_publication_does_not_undo_a_newer_one(store: duckdb.DuckDBPyConnection):
    """Peru's country file of 30 November (level 2) is held; Canada's index, refreshed later
    but still giving Peru's publication of 26 November (level 3), is older news: it neither
    records Peru "raised" nor replaces the level held (else each hour's refresh of the index
    and of the country file would flip it)."""
    _import(store, "canada-advice", "canada-peru-newer.json")
    result = _import(store, "canada-advice", "canada-index-newer.json")
    assert result.changes_recorded == 0
    assert ("PER", 2, "2026-11-30") in _advice(store, "canada")
    assert result.skipped_reasons == {"older than the advice held (kept that)": 1}


def test_fetch_of_one_countrys_canadian_file(served: dict[str, bytes], tmp_path: Path):
    served["/travel-voyage/cta-cap-pe.json"] = (FEEDS / "canada-peru.json").read_bytes()
    db = str(tmp_path / "events.duckdb")
    args = ["data", "import", "canada-advice", "--fetch", "--country", "Peru", "--db", db]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert Served.requests == ["/travel-voyage/cta-cap-pe.json"]
    assert "1 rows read" in result.output
    refused = CliRunner().invoke(main, ["data", "import", "gdacs", "--fetch", "--country", "PE",
                                        "--db", db])  # fmt: skip
    assert refused.exit_code == 1
    assert "gdacs: --country: only canada-advice is read per country" in refused.output


def test_a_link_that_is_not_http_is_not_kept() -> None:
    """A feed's link is shown as a link (What changed, the trip page): one that is not http(s),
    such as javascript:, is dropped when the feed is read; the item is kept without it."""
    from riskatlas.evidence.feeds import read_feed

    hostile = "javascript:alert(document.cookie)"
    gdacs = (FEEDS / "gdacs-events.geojson").read_text("utf-8")
    gdacs = gdacs.replace("https://www.gdacs.org/report.aspx?eventid=1103371&episodeid=2", hostile)
    reading = read_feed("gdacs", gdacs.encode())
    assert len(reading.hazards) == 3
    assert sorted(str(h.url)[:5] for h in reading.hazards) == ["None", "https", "https"]
    us = (FEEDS / "us-advisories.xml").read_text("utf-8")
    us = us.replace(
        "https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories/"
        "peru-travel-advisory.html",
        " JavaScript:alert(1)",
    )
    peru = next(a for a in read_feed("us-advice", us.encode()).advice if a.iso3 == "PER")
    assert peru.url is None
