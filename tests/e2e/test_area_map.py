"""The Peru map in a real browser: coloured by the areas' specific level first, with a switch
to the security level; the legend and the tooltips follow the switch (issue 10, item 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.config import node_modules_dir
from riskatlas.document import load_document
from riskatlas.reports.area_map import country_shapes

pytestmark = pytest.mark.django_db(transaction=True)


def _tooltip_over(page, name: str) -> str:
    """Hover the centre of each area outline until the tooltip names ``name``."""
    shapes = page.locator(".leaflet-overlay-pane path.leaflet-interactive")
    for i in range(shapes.count()):
        box = shapes.nth(i).bounding_box()
        if not box or box["width"] < 2:
            continue
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(100)
        # One read of the open tooltips: a locator wait races with the tooltip closing.
        tips = page.eval_on_selector_all(".leaflet-tooltip", "els => els.map(e => e.innerText)")
        if tips and tips[0].startswith(name):
            return str(tips[0])
    return ""


def _peru_for_a_reader(peru_yaml: Path, new_page):
    """The Peru assessment imported and a reader's browser page; skipped without the map's
    library or boundaries."""
    if not (node_modules_dir() / "leaflet" / "dist" / "leaflet.js").is_file():
        pytest.skip("the map library is not installed (npm at set-up)")
    if not country_shapes("PE"):
        pytest.skip("admin-1 boundaries are not built (riskatlas maps build)")
    import_document(load_document(peru_yaml), team=ensure_team("Demo NGO security unit"))
    add_user("reader", "Demo NGO security unit", "reader", "a-long-test-password-1")
    return new_page("reader")


def test_map_switches_between_specific_and_security_level(peru_yaml: Path, new_page, screenshot):
    page = _peru_for_a_reader(peru_yaml, new_page)
    page.click("text=Peru: general security situation")
    page.wait_for_selector("#map[data-ready]")
    page.locator("#map").scroll_into_view_if_needed()
    assert page.get_attribute("#map", "data-colour") == "specific"
    legend = page.inner_text(".map-legend")
    assert legend.startswith("Specific level")
    for line in ("4 · high", "3 · moderate", "2 · low", "only country-wide risks"):
        assert line in legend
    assert "no-go outline, 5 · extreme" in legend
    assert _tooltip_over(page, "Ayacucho") == "Ayacucho · 3 · moderate"
    screenshot(page, "peru-map-specific-level")

    page.click("[data-map-colour=level]")
    assert page.get_attribute("#map", "data-colour") == "level"
    legend = page.inner_text(".map-legend")
    assert legend.startswith("Security level") and "4 · high" in legend
    assert "3 · moderate" not in legend and "only country-wide risks" not in legend
    assert _tooltip_over(page, "Ayacucho") == "Ayacucho · 4 · high"
    screenshot(page, "peru-map-security-level")


def test_the_legend_folds_on_a_phone(peru_yaml: Path, new_page, screenshot):
    # At 390 px the open legend covered a third of the map (the south-east of Nigeria, its
    # assessed areas with it): on a phone it is folded to its title, opened by a tap.
    page = _peru_for_a_reader(peru_yaml, new_page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.click("text=Peru: general security situation")
    page.wait_for_selector("#map[data-ready]")
    page.locator("#map").scroll_into_view_if_needed()
    title = page.locator(".map-legend summary")
    assert title.inner_text() == "Specific level"
    assert not page.locator(".map-legend").get_by_text("only country-wide risks").is_visible()
    title.click()
    assert page.locator(".map-legend").get_by_text("only country-wide risks").is_visible()
    screenshot(page, "phone-map-legend-open")
    # Switching the colouring keeps it as the reader left it.
    page.click("[data-map-colour=level]")
    assert page.locator(".map-legend summary").inner_text() == "Security level"
    assert page.locator(".map-legend").get_attribute("open") is not None
