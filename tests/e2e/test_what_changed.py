"""In a browser: after a feed refresh raised Canada's level for Peru, the traveller follows
"What changed" from the menu, sees the change, filters to outbreaks (the list swapped in
place by HTMX, the address following) and back; axe-core finds no serious or critical
violation on the page. The screenshot is kept for a person to look at."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from riskatlas.evidence.changes import import_feed
from riskatlas.evidence.store import connect
from tests.e2e.test_accessibility import AXE, RUN_AXE
from tests.integration.care.peru_trip import PASSWORD, set_up_team

pytestmark = pytest.mark.django_db(transaction=True)
FEEDS = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "recorded" / "feeds"


@pytest.fixture
def refreshed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    con = connect(db)
    try:
        import_feed(con, "canada-advice", FEEDS / "canada-index.json")
        import_feed(con, "canada-advice", FEEDS / "canada-index-newer.json")
    finally:
        con.close()
    return set_up_team()


def test_the_traveller_sees_perus_raised_level(
    refreshed: dict[str, Any], new_page: Any, live_server: Any, screenshot: Any
) -> None:
    page = new_page("rosa")
    page.get_by_role("link", name="What changed").click()
    page.wait_for_url(live_server.url + "/changes/")
    row = page.locator("#changes tbody tr").first
    expect(row).to_contain_text(
        "Canada (Global Affairs): Peru level 2 (increased caution) → level 3"
    )
    expect(row.locator("td[data-label=After]")).to_contain_text("raised")
    expect(page.locator("#changes")).to_contain_text("1 change about the countries")
    screenshot(page, "what-changed", full_page=True)

    page.select_option("#change-kind", "outbreak")
    expect(page.locator("#changes")).to_contain_text("0 changes about")
    expect(page).to_have_url(re.compile(r"/changes/\?scope=ours&kind=outbreak$"))
    page.select_option("#change-kind", "")
    expect(page.locator("#changes tbody tr").first).to_contain_text("Canada (Global Affairs): Peru")


def test_no_serious_or_critical_axe_violation(
    refreshed: dict[str, Any], browser: Any, live_server: Any
) -> None:
    """On What changed, and on the trip's page with the changes about its countries."""
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed at {AXE} (scripts/setup.sh runs npm ci)")
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        page.set_default_timeout(30000)
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "rosa")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        problems = []
        for path in ("/changes/", f"/trips/{refreshed['trip'].pk}/"):
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200
            page.add_script_tag(path=str(AXE))
            problems += [(path, problem) for problem in page.evaluate(RUN_AXE)]
        expect(page.locator("#feed-changes")).to_contain_text("the whole of Peru")
    finally:
        context.close()
    assert problems == []
