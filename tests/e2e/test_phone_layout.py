"""Phones and tablets in a real browser: every page of the tour at 360 and 390 px wide (and a
768 px tablet) fits the screen — nothing scrolls sideways; a wide table scrolls inside its own
box at most — the register shows each risk as a card whose levels come first, and the
assessment page's section menu folds away instead of covering the screen. Screenshots at
390 px go to artifacts/screenshots/phone-*.png (a few at 768 px to tablet-*.png) for people
to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import SHOTS
from tests.e2e.tour import build_site, visit

pytestmark = pytest.mark.django_db(transaction=True)
WIDER_THAN_SCREEN = """() => Array.from(document.querySelectorAll("body *"))
  .filter(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= window.innerWidth + 1) return false;
    for (let p = e.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") return false;
    }
    return true;
  })
  .slice(0, 5)
  .map(e => `${e.tagName.toLowerCase()}.${e.className} ` +
    `${Math.round(e.getBoundingClientRect().right)}px`)"""


@pytest.mark.parametrize("width", [360, 390, 768])
def test_no_page_scrolls_sideways(peru_yaml: Path, browser: Any, live_server: Any, width: int):
    stops = build_site(peru_yaml)
    SHOTS.mkdir(parents=True, exist_ok=True)
    wide = {}
    for stop, page in visit(browser, live_server.url, stops, {"width": width, "height": 844}):
        scroll, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > screen:
            wide[stop.name] = (scroll, page.evaluate(WIDER_THAN_SCREEN))
        if width == 390:
            # Whole pages, but for the long assessment page (its register has its own shot).
            whole = stop.name != "assessment"
            page.screenshot(path=str(SHOTS / f"phone-{stop.name}.png"), full_page=whole)
        elif width == 768 and stop.name in ("assessment", "risk-form", "edit-risks", "audit"):
            page.screenshot(path=str(SHOTS / f"tablet-{stop.name}.png"))
    assert wide == {}, f"pages wider than {width} px: {wide}"


def test_register_cards_put_the_levels_first(peru_yaml: Path, browser: Any, live_server: Any):
    stops = [s for s in build_site(peru_yaml) if s.name == "assessment"]
    for _, page in visit(browser, live_server.url, stops, {"width": 390, "height": 844}):
        row = page.locator("#register-table tbody tr").first
        row.scroll_into_view_if_needed()
        box = row.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        residual = row.locator("td.residual")
        level = residual.locator(".level").bounding_box()
        title = row.locator("td.risk > strong").bounding_box()
        assert level is not None and title is not None
        # The residual level is on screen and above the risk's title in the card.
        assert level["x"] >= 0 and level["x"] + level["width"] <= 390
        assert level["y"] < title["y"]
        # Each value in the card says its column's name.
        said = residual.evaluate("e => getComputedStyle(e, '::before').content")
        assert said == '"Residual: "', said
        page.screenshot(path=str(SHOTS / "phone-register-cards.png"))


def test_section_menu_folds_on_a_phone_and_stays_open_on_a_desktop(
    peru_yaml: Path, browser: Any, live_server: Any
):
    stops = [s for s in build_site(peru_yaml) if s.name == "assessment"]
    for _, page in visit(browser, live_server.url, stops, {"width": 390, "height": 844}):
        menu = page.locator("nav.subnav")
        link = menu.get_by_role("link", name="Register")
        assert not link.is_visible()
        # Folded, it takes one line of the screen, not a quarter of it.
        box = menu.bounding_box()
        assert box is not None and box["height"] < 60
        menu.locator("summary").click()
        assert link.is_visible()
        link.click()
        page.wait_for_function("location.hash === '#register'")
        assert not link.is_visible()  # folded again after choosing a section
        heading = page.locator("#register h2").bounding_box()
        assert heading is not None and heading["y"] >= box["height"]
    for _, page in visit(browser, live_server.url, stops, {"width": 1366, "height": 900}):
        assert page.locator("nav.subnav").get_by_role("link", name="Register").is_visible()
        assert not page.locator("nav.subnav summary").is_visible()


@pytest.mark.parametrize("width", [390, 1366])
def test_the_download_buttons_line_up(peru_yaml: Path, browser: Any, live_server: Any, width: int):
    stops = [s for s in build_site(peru_yaml) if s.name == "assessment"]
    for _, page in visit(browser, live_server.url, stops, {"width": width, "height": 900}):
        left = page.locator(".downloads").bounding_box()["x"]
        boxes = page.locator(".downloads > a, .downloads > form > button").evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect();"
            " return [e.textContent.trim(), r.x, r.y, r.height]; })"
        )
        assert [b[0] for b in boxes][:3] == ["PDF", "HTML", "MD"]
        # The PDF (a form's button) is as tall as the links and on their line...
        assert {round(b[3]) for b in boxes} == {round(boxes[1][3])}, boxes
        assert abs(boxes[0][2] - boxes[1][2]) <= 1, boxes
        # ...and every row starts at the same left edge (no indent on a wrapped row).
        rows: dict[int, float] = {}
        for _, x, y, _ in boxes:
            rows[round(y)] = min(rows.get(round(y), x), x)
        indented = {y: x for y, x in rows.items() if abs(x - left) > 1}
        assert rows and indented == {}, (left, rows)


@pytest.mark.parametrize("width", [360, 390])
def test_the_html_report_fits_a_phone(peru_yaml: Path, browser: Any, width: int):
    # The report downloaded as HTML: its register, areas, incidents and sources tables were
    # wider than a phone and the whole page scrolled sideways.
    from riskatlas.document import load_document
    from riskatlas.reports import render_html

    page = browser.new_page(viewport={"width": width, "height": 844})
    try:
        page.set_content(render_html(load_document(peru_yaml)))
        scroll, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll <= screen, page.evaluate(WIDER_THAN_SCREEN)
        if width == 390:
            page.screenshot(path=str(SHOTS / "phone-report-html.png"))
    finally:
        page.close()


def test_the_matrix_names_its_likelihoods_in_whole_words(
    peru_yaml: Path, browser: Any, live_server: Any
):
    # At 360 px "very unlikely" read "very unlikel / y": each word now stays whole.
    stops = [s for s in build_site(peru_yaml) if s.name == "assessment"]
    for _, page in visit(browser, live_server.url, stops, {"width": 360, "height": 844}):
        lines = page.eval_on_selector_all(
            ".matrix th.likelihood .muted",
            """els => els.map(e => {
                const range = document.createRange();
                range.selectNodeContents(e);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                return [e.textContent.trim(), tops.size];
            })""",
        )
        assert lines, "no likelihood names under the matrix"
        broken = [(name, n) for name, n in lines if n > len(name.split())]
        assert broken == [], broken
