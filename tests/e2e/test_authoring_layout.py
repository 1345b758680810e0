"""How the authoring pages line up in a real browser at 1280 px: the new-assessment page's
region checkboxes stand in even columns (a long name such as "Distrito Capital de Bogotá"
wraps in its own column instead of pushing the rest of its row aside), each box beside the
first line of its name; the help text beside "New version" on the review page's side panel is
the same grey, small text as the help around it. Screenshots go to
artifacts/screenshots/authoring-layout-*.png for people to look at."""

from __future__ import annotations

import copy
import itertools
from pathlib import Path
from typing import Any

import pytest

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.document import load_document
from tests.e2e.conftest import PASSWORD, SHOTS

pytestmark = pytest.mark.django_db(transaction=True)
VIEWPORT = {"width": 1280, "height": 900}

# Each region's box: its left edge and top, and the middle of its checkbox and of the first
# line of its name.
REGIONS = """els => els.map(e => {
  const box = e.getBoundingClientRect(), input = e.querySelector("input");
  const range = document.createRange(); range.selectNodeContents(e.querySelector("label"));
  const line = [...range.getClientRects()].filter(r => r.width > 20)[0];
  const tick = input.getBoundingClientRect();
  return [e.textContent.trim(), box.left, box.top, (tick.top + tick.bottom) / 2,
          (line.top + line.bottom) / 2];
})"""


@pytest.fixture
def analyst() -> None:
    add_user("analyst", "Field team", "analyst", PASSWORD)


def _shot(element: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    element.screenshot(path=str(SHOTS / f"authoring-layout-{name}.png"))


def _signed_in(browser: Any, live_server: Any) -> Any:
    page = browser.new_context(viewport=VIEWPORT).new_page()
    page.set_default_timeout(30000)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "analyst")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    return page


def test_the_regions_stand_in_even_columns(analyst: None, browser: Any, live_server: Any):
    page = _signed_in(browser, live_server)
    page.goto(live_server.url + "/new/?country=CO")
    regions = page.locator("#id_areas > div").evaluate_all(REGIONS)
    _shot(page.locator("fieldset:has(#id_areas)"), "regions-1280")
    assert len(regions) == 33 and any("Bogotá" in r[0] for r in regions)
    first_row = [r for r in regions if abs(r[2] - regions[0][2]) < 1]
    columns = sorted(round(r[1]) for r in first_row)
    assert 3 <= len(columns) <= 5, columns
    # Every region starts at one of the first row's column edges, and the columns are even.
    off_column = [(r[0], round(r[1])) for r in regions if round(r[1]) not in columns]
    assert off_column == [], (columns, off_column)
    widths = {b - a for a, b in itertools.pairwise(columns)}
    assert max(widths) - min(widths) <= 1, columns
    # Each checkbox sits beside the first line of its name, long names included.
    askew = [(r[0], round(r[3] - r[4], 1)) for r in regions if abs(r[3] - r[4]) > 2]
    assert askew == [], askew
    page.context.close()


def test_the_new_version_help_is_grey_like_the_help_around_it(
    analyst: None, everything_yaml: Path, browser: Any, live_server: Any
):
    doc = copy.deepcopy(load_document(everything_yaml))
    doc["assessment"]["status"] = "published"
    import_document(doc, team=ensure_team("Field team"))
    page = _signed_in(browser, live_server)
    page.goto(live_server.url + "/assessments/zz-test/v1/review/")
    side = page.locator(".review-actions")
    _shot(side, "review-side-1280")
    style = "e => { const s = getComputedStyle(e); return [s.color, s.fontSize]; }"
    help_text = side.locator(".new-version-form .help")
    assert help_text.inner_text() == "Starts a draft copy of this frozen version."
    frozen_note = side.locator("p.muted", has_text="Frozen since")
    assert help_text.evaluate(style) == frozen_note.evaluate(style)
    page.context.close()
