"""A reader opens the Peru assessment in a real browser: matrix, register and map work; a
reader of another team gets a 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.config import node_modules_dir
from riskatlas.document import load_document

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def peru(peru_yaml: Path) -> dict[str, Any]:
    doc = load_document(peru_yaml)
    import_document(doc, team=ensure_team("Demo NGO security unit"))
    add_user("reader", "Demo NGO security unit", "reader", PASSWORD)
    add_user("outsider", "Other organisation", "reader", PASSWORD)
    return doc


def test_reader_sees_matrix_register_and_map(peru: dict[str, Any], new_page, screenshot):
    page = new_page("reader")
    page.click("text=Peru: general security situation")
    page.wait_for_selector("#register-table")
    risks = len(peru["risks"])
    assert page.inner_text("[data-count]") == f"{risks} of {risks} risks"
    # The first register row is the top risk: road accidents.
    first = page.locator("#register-table tbody tr").first
    assert "road traffic accident" in first.inner_text().lower()

    # The map draws the areas (from the installed boundaries) and the places, offline.
    if (node_modules_dir() / "leaflet" / "dist" / "leaflet.js").is_file():
        page.wait_for_selector("#map[data-ready]")
        drawn = int(page.get_attribute("#map", "data-ready") or 0)
        assert drawn >= len(peru["places"]) + len(peru["areas"])
        legend = page.inner_text(".map-legend")
        assert "5 · extreme" in legend and "4 · high" in legend
    else:  # set up without npm: the page says so instead of failing silently
        assert "map library is not installed" in page.inner_text("#map")
    page.locator("#matrix").scroll_into_view_if_needed()
    screenshot(page, "peru-matrix-and-map")

    # Clicking a matrix cell shows only that cell's risks.
    cell = page.locator("table.matrix[data-kind=residual] td.cell.has-risks").first
    expected = int(cell.inner_text())
    cell.click()
    visible = page.locator("#register-table tbody tr:visible")
    assert visible.count() == expected
    key = f"{cell.get_attribute('data-likelihood')}-{cell.get_attribute('data-impact')}"
    for i in range(expected):
        assert visible.nth(i).get_attribute("data-residual") == key
    page.locator("#register").scroll_into_view_if_needed()
    screenshot(page, "peru-register-filtered")
    page.click("[data-clear]")
    assert page.locator("#register-table tbody tr:visible").count() == risks

    # Sorting by the residual column, ascending, puts the lowest level first.
    page.click("#register-table th:has-text('Residual')")
    page.click("#register-table th:has-text('Residual')")
    last = page.locator("#register-table tbody tr").last
    assert "road traffic accident" in last.inner_text().lower()


def test_another_teams_reader_gets_404(peru: dict[str, Any], new_page, live_server, screenshot):
    page = new_page("outsider")
    assert "Peru" not in page.inner_text("main")
    response = page.goto(live_server.url + "/assessments/pe-2009/")
    assert response is not None and response.status == 404
    response = page.goto(live_server.url + "/assessments/pe-2009/v1/report.pdf")
    assert response is not None and response.status == 404
    screenshot(page, "outsider-404")
