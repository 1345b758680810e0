"""A refresh with a newer recorded response records the level change for Peru, and the
"What changed" page and the API show it: to the team assessing Peru by default, to a team
without assessments only when it asks for every country."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.feeds.refreshing import refresh_feeds
from riskatlas.document import load_document
from riskatlas.evidence.fetch import FEED_PATHS

pytestmark = pytest.mark.django_db
FEEDS = Path(__file__).resolve().parents[2] / "fixtures" / "evidence" / "recorded" / "feeds"
PASSWORD = "a-long-test-password-1"


class Publisher(BaseHTTPRequestHandler):
    """Global Affairs Canada's index as recorded: the older one, then the newer one."""

    body = b""
    requests: list[str] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.requests.append(self.path)
        found = self.path == FEED_PATHS["canada-advice"][0]
        body = self.body if found else b"{}"
        self.send_response(200 if found else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def canada(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[type[Publisher]]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Publisher)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    for source in FEED_PATHS:  # every feed on this machine: the tests never reach the internet
        variable = "RISKATLAS_" + source.upper().replace("-", "_") + "_URL"
        monkeypatch.setenv(variable, f"http://127.0.0.1:{httpd.server_address[1]}")
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "events.duckdb"))
    Publisher.requests = []
    yield Publisher
    httpd.shutdown()
    httpd.server_close()


def _client(username: str, team: str) -> Client:
    add_user(username, team, "reader", PASSWORD)
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def refreshed(canada: type[Publisher], peru_yaml: Path) -> dict[str, str]:
    import_document(load_document(peru_yaml), team=ensure_team("Field team"))
    ensure_team("Other team")
    canada.body = (FEEDS / "canada-index.json").read_bytes()
    first = refresh_feeds(["canada-advice"])
    canada.body = (FEEDS / "canada-index-newer.json").read_bytes()
    second = refresh_feeds(["canada-advice"])
    return {"first": first["canada-advice"], "second": second["canada-advice"]}


def test_the_scheduled_refresh_records_the_change(refreshed: dict[str, str]):
    assert refreshed == {
        "first": "3 read, 3 new, 0 changes",
        "second": "3 read, 0 new, 1 changes",
    }


def test_what_changed_page_shows_perus_level_raised(refreshed: dict[str, str]):
    page = _client("reader", "Field team").get("/changes/").content.decode()
    assert "1 change about the countries of your teams' assessments (Peru)" in page
    # The government and the source by their names, not the store's ids.
    assert "Canada (Global Affairs): Peru level 2 (increased caution) → level 3" in page
    assert '<td data-label="Source">Global Affairs Canada</td>' in page
    assert "canada:" not in page and "canada-advice" not in page
    assert '<td data-label="Where">Peru <span class="muted">(PE)</span></td>' in page
    assert '<td data-label="Before">level 2 (increased caution)</td>' in page
    assert "<strong>level 3 (reconsider travel / avoid non-essential travel)</strong>" in page
    assert '<span class="badge">raised</span>' in page
    assert "published 2026-11-26" in page
    assert 'href="https://travel.gc.ca/destinations/peru"' in page


def test_a_team_without_assessments_sees_it_only_among_every_country(refreshed: dict[str, str]):
    other = _client("other", "Other team")
    ours = other.get("/changes/").content.decode()
    assert "your teams' assessments: your teams have none yet" in ours
    assert "Peru level 2" not in ours
    every = other.get("/changes/?scope=all").content.decode()
    assert (
        "1 change." in every
        and "Canada (Global Affairs): Peru level 2 (increased caution)" in every
    )


def test_the_filter_answers_htmx_with_the_list_alone(refreshed: dict[str, str]):
    client = _client("reader", "Field team")
    partial = client.get("/changes/?kind=outbreak", headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert body.startswith('<section id="changes"') and "<html" not in body
    assert "0 changes about" in body and "No change recorded about your teams' countries" in body


def test_api_lists_the_change(refreshed: dict[str, str]):
    client = _client("reader", "Field team")
    answer = client.get("/api/v1/changes/").json()
    assert answer["count"] == 1
    (change,) = answer["results"]
    assert {k: change[k] for k in ("kind", "source", "country", "area_code", "before_level",
                                   "after_level", "direction", "observed")} == {
        "kind": "advice-level", "source": "canada-advice", "country": "PER", "area_code": "PE",
        "before_level": 2, "after_level": 3, "direction": "up", "observed": "2026-11-26",
    }  # fmt: skip
    assert client.get("/api/v1/changes/?kind=outbreak").json()["count"] == 0
    refused = client.get("/api/v1/changes/?scope=mine")
    assert refused.status_code == 400 and refused.json() == {"scope": ["ours or all, not 'mine'"]}
    assert _client("other", "Other team").get("/api/v1/changes/").json()["count"] == 0
    assert Client().get("/api/v1/changes/").status_code == 401


def test_api_gives_the_changes_since_a_time_and_about_one_country(refreshed: dict[str, str]):
    """What an integration polling for its trips' alerts asks: the changes recorded since it
    last looked, about one country (alpha-2 or alpha-3)."""
    from datetime import datetime, timedelta

    client = _client("reader", "Field team")
    recorded = client.get("/api/v1/changes/").json()["results"][0]["recorded"]
    assert client.get("/api/v1/changes/", {"since": recorded}).json()["count"] == 1
    later = (datetime.fromisoformat(recorded) + timedelta(seconds=1)).isoformat()
    assert client.get("/api/v1/changes/", {"since": later}).json()["count"] == 0
    assert client.get("/api/v1/changes/", {"since": "2026-11-01"}).json()["count"] == 1
    assert client.get("/api/v1/changes/?scope=all&country=PE").json()["count"] == 1
    assert client.get("/api/v1/changes/?scope=all&country=PER").json()["count"] == 1
    assert client.get("/api/v1/changes/?scope=all&country=CO").json()["count"] == 0
    # Among the countries of one's teams, another country's changes are none.
    other = _client("other", "Other team")
    assert other.get("/api/v1/changes/?country=PE").json()["count"] == 0
    assert client.get("/api/v1/changes/?scope=all&country=XQ").json()["count"] == 0
    refused = client.get("/api/v1/changes/?since=yesterday&country=Atlantis")
    assert refused.status_code == 400
    assert set(refused.json()) == {"since", "country"}


def test_page_before_any_feed_was_imported(canada: type[Publisher]):
    ensure_team("Field team")
    page = _client("reader", "Field team").get("/changes/?scope=all").content.decode()
    assert "0 changes." in page and "No change recorded yet." in page


def test_a_failed_refresh_says_why_and_the_others_still_run(canada: type[Publisher]):
    canada.body = (FEEDS / "canada-index-broken.json").read_bytes()
    done = refresh_feeds(["canada-advice", "who-don"])
    assert done["canada-advice"] == (
        "failed: canada-advice: data.CO.advisory-state: expected a number, got '1'"
    )
    assert done["who-don"].startswith("failed: http://127.0.0.1:")  # not served here: 404
    assert done["who-don"].endswith("HTTP 404 Not Found")


def test_the_hourly_task_refreshes_the_feeds_named_in_the_settings(
    canada: type[Publisher], settings: Any
):
    from riskatlas.apps.feeds.tasks import refresh_live_feeds
    from riskatlas.evidence.changes import list_changes

    settings.FEED_REFRESH = ["canada-advice"]
    canada.body = (FEEDS / "canada-index.json").read_bytes()
    refresh_live_feeds.call_local()
    canada.body = (FEEDS / "canada-index-newer.json").read_bytes()
    refresh_live_feeds.call_local()
    total, (change,) = list_changes(None, kinds=["advice-level"])
    assert (total, change["area_name"], change["direction"]) == (1, "Peru", "up")
    assert Publisher.requests == [FEED_PATHS["canada-advice"][0]] * 2


def test_an_unknown_feed_in_the_setting_stops_the_start():
    env = {**os.environ, "RISKATLAS_FEED_REFRESH": "canada-advice, reuters"}
    run = subprocess.run(
        [sys.executable, "-c", "import riskatlas.settings"], env=env, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 1
    assert (
        "RISKATLAS_FEED_REFRESH: reuters is not a feed; known: canada-advice, australia-advice,"
        in run.stderr
    )


def test_a_link_that_is_not_a_web_address_is_shown_as_text(refreshed: dict[str, str]):
    # A change held from before imports dropped such links (or written by another tool).
    from riskatlas.evidence.store import connect

    con = connect(os.environ["RISKATLAS_EVENTS_DB"])
    try:
        con.execute("UPDATE changes SET url = 'javascript:alert(1)'")
    finally:
        con.close()
    page = _client("reader", "Field team").get("/changes/").content.decode()
    assert "Canada (Global Affairs): Peru level 2 (increased caution) → level 3" in page
    assert "javascript:" not in page
