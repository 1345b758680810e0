"""Live-feed code against recorded responses served on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.fetch import FetchError, fetch_source
from riskatlas.evidence.store import connect

RECORDED = Path(__file__).resolve().parents[2] / "fixtures" / "evidence" / "recorded"


class Recorded(BaseHTTPRequestHandler):
    requests: list[str] = []
    files: dict[str, bytes] = {}  # further recorded responses by path, set by a test

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        self.requests.append(f"POST {self.path}")
        if self.path == "/oauth/token" and form.get("password") == ["right"]:
            self._send(200, (RECORDED / "acled" / "token.json").read_bytes())
        else:
            self._send(400, b'{"error":"invalid_grant","error_description":"bad credentials"}')

    def do_GET(self) -> None:
        self.requests.append(f"GET {self.path}")
        path = urllib.parse.urlsplit(self.path).path
        if path in self.files:
            self._send(200, self.files[path])
        elif path == "/api/acled/read":
            if self.headers.get("Authorization") != "Bearer recorded-test-token":
                self._send(401, b'{"error":"unauthorised"}')
                return
            self._send(200, (RECORDED / "acled" / "read.json").read_bytes())
        elif path == "/v2/country/all/indicator/PV.EST":
            self._send(200, (RECORDED / "worldbank" / "PV.EST.json").read_bytes())
        elif path == "/api/gedevents/25.1":
            page = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("page", ["0"])
            self._send(200, (RECORDED / "ucdp" / f"page{page[0]}.json").read_bytes())
        elif path == "/api/content/foreign-travel-advice/peru":
            self._send(200, (RECORDED / "uk" / "peru.json").read_bytes())
        elif path == "/api/TravelAdvisories":
            self._send(200, (RECORDED / "us" / "TravelAdvisories.json").read_bytes())
        elif path == "/api/RS_198":
            self._send(200, (RECORDED / "who" / "RS_198.json").read_bytes())
        else:
            self._send(404, b"{}")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    for source in (
        "ACLED",
        "WORLDBANK",
        "WHO_ROAD",
        "UCDP_GED",
        "ADVISORIES_US",
        "GDELT",
        "ADVISORIES",
    ):
        monkeypatch.setenv(f"RISKATLAS_{source}_URL", url)
    monkeypatch.delenv("ACLED_ACCESS_TOKEN", raising=False)
    Recorded.requests = []
    Recorded.files = {}
    yield url
    httpd.shutdown()
    httpd.server_close()


def test_acled_api_with_oauth_login(server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ACLED_USERNAME", "analyst@example.org")
    monkeypatch.setenv("ACLED_PASSWORD", "right")
    path = fetch_source("acled", tmp_path / "acled", country="Peru", since="2024-03-01")
    assert Recorded.requests[0] == "POST /oauth/token"
    assert (
        "country=Peru" in Recorded.requests[1]
        and "event_date_where=BETWEEN" in Recorded.requests[1]
    )
    con = connect(tmp_path / "events.duckdb")
    result = import_file(con, "acled", path)
    assert result.rows_added == 2
    assert con.execute("SELECT area_code FROM events ORDER BY event_key").fetchall() == [
        ("PE-PUN",),
        ("PE-CUS",),
    ]


def test_acled_refused_login_is_a_clear_error(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("ACLED_USERNAME", "analyst@example.org")
    monkeypatch.setenv("ACLED_PASSWORD", "wrong")
    with pytest.raises(FetchError, match="oauth/token: HTTP 400"):
        fetch_source("acled", tmp_path / "acled")


def test_world_bank_and_who_feeds(server: str, tmp_path: Path):
    con = connect(tmp_path / "events.duckdb")
    wb = fetch_source("worldbank", tmp_path / "wb", indicator="PV.EST")
    assert import_file(con, "worldbank", wb).rows_added == 2
    who = fetch_source("who-road", tmp_path / "who")
    assert import_file(con, "who-road", who).rows_added == 1


def test_unreachable_feed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("RISKATLAS_WHO_ROAD_URL", "http://127.0.0.1:9")
    with pytest.raises(FetchError, match=r"127\.0\.0\.1:9"):
        fetch_source("who-road", tmp_path / "who")


def test_ucdp_api_follows_pages(server: str, tmp_path: Path):
    path = fetch_source("ucdp-ged", tmp_path / "ucdp", since="1989")
    assert [r for r in Recorded.requests if "gedevents" in r][1].endswith("page=1")
    con = connect(tmp_path / "events.duckdb")
    result = import_file(con, "ucdp-ged", path)
    assert result.rows_added == 2
    assert con.execute("SELECT min(event_date)::VARCHAR FROM events").fetchone() == ("1989-04-08",)


def test_us_advisories_feed(server: str, tmp_path: Path):
    path = fetch_source("advisories-us", tmp_path / "us")
    con = connect(tmp_path / "events.duckdb")
    result = import_file(con, "advisories-us", path)
    assert result.rows_added == 2  # the worldwide caution has no country level
    levels = con.execute(
        "SELECT country_iso3, level, updated FROM advisories ORDER BY 1"
    ).fetchall()
    assert levels == [("HTI", 4, "2025-03-01"), ("PER", 2, "2025-05-16")]


def test_gdelt_latest_export(server: str, tmp_path: Path):
    import io
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(RECORDED.parent / "gdelt.export.CSV", "20220628151500.export.CSV")
    Recorded.files = {
        "/gdeltv2/lastupdate.txt": (
            b"81432 2bd9a8c6 http://data.example/gdeltv2/20220628151500.export.CSV.zip\n"
            b"96123 4c2e0d1a http://data.example/gdeltv2/20220628151500.mentions.CSV.zip\n"
        ),
        "/gdeltv2/20220628151500.export.CSV.zip": archive.getvalue(),
    }
    path = fetch_source("gdelt", tmp_path / "gdelt")
    assert path.name == "20220628151500.export.CSV.zip"
    result = import_file(connect(tmp_path / "events.duckdb"), "gdelt", path)
    assert (result.rows_added, result.rows_skipped) == (2, 1)


def test_uk_advice_from_the_content_api(server: str, tmp_path: Path):
    from riskatlas.evidence.advice import official_advice

    folder = fetch_source("advisories", tmp_path / "advice", country="PE")
    page = folder / "unitedkingdom" / "Peru" / "Warnings and insurance.md"
    assert "### Valley of the Apurímac, Ene, and Mantaro Rivers (VRAEM)" in page.read_text()
    con = connect(tmp_path / "events.duckdb")
    assert import_file(con, "advisories", folder).rows_added == 1
    con.close()
    [uk] = official_advice(tmp_path / "events.duckdb", "PER")
    assert uk["government"] == "unitedkingdom" and uk["level"] is None
    # The FCDO's own sentences name the places (smaller than a region: no ISO code).
    assert [(a["area"], a["level"], a["place"]) for a in uk["areas"]] == [
        ("areas within 20km south of the Putumayo River (Loreto region)", 3, True),
        ("the VRAEM region", 3, True),
    ]


def test_fetch_from_the_command_line(server: str, tmp_path: Path):
    import json

    from click.testing import CliRunner

    from riskatlas.cli import main

    db = tmp_path / "events.duckdb"
    args = ["data", "import", "worldbank", "--fetch", "--indicator", "PV.EST", "--db", str(db)]
    result = CliRunner().invoke(main, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows_added"] == 2
    assert (tmp_path / "downloads" / "worldbank.json").exists()
    refused = CliRunner().invoke(main, ["data", "import", "gtd", "--fetch", "--db", str(db)])
    assert refused.exit_code == 1 and "gtd: no live feed" in refused.output
    # Events fetched whole from a live feed are recorded as a full extract.
    events = ["data", "import", "ucdp-ged", "--fetch", "--since", "1989", "--db", str(db)]
    assert CliRunner().invoke(main, events).exit_code == 0
    status = CliRunner().invoke(main, ["data", "status", "--db", str(db), "--format", "json"])
    ucdp = next(s for s in json.loads(status.output)["sources"] if s["source"] == "ucdp-ged")
    [fetched] = ucdp["coverage"]
    assert (fetched["scope"], fetched["basis"]) == (
        "full", "fetched whole from the source's live feed with --fetch"
    )  # fmt: skip
