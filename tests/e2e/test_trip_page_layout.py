"""The trip page as an approver reads it in a real browser, on a phone and on a desktop: each
measure's name reads as one line of words with its reasons under it (not squeezed into
columns beside them), and the decision form's fields are as wide as the form."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import SHOTS
from tests.integration.care.peru_trip import PASSWORD, set_up_team

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _trip_page(browser: Any, live_server: Any, viewport: dict[str, int]) -> Iterator[Any]:
    team = set_up_team()
    from riskatlas.apps.travel import workflow

    workflow.request(team["trip"], team["ana"])
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        page.set_default_timeout(30000)
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "marta")  # holds every approver role: the decision form
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        page.goto(f"{live_server.url}/trips/{team['trip'].pk}/")
        yield page
    finally:
        context.close()


AT_BOTH_WIDTHS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])


@AT_BOTH_WIDTHS
def test_each_measure_reads_as_its_name_then_its_reasons(
    browser: Any, live_server: Any, viewport: dict[str, int]
) -> None:
    for page in _trip_page(browser, live_server, viewport):
        measures = page.locator("#measures li[data-measure]")
        assert measures.count() >= 8
        for i in range(measures.count()):
            measure = measures.nth(i)
            box = measure.bounding_box()
            name = measure.locator("strong").first.bounding_box()
            reasons = measure.locator(".muted").bounding_box()
            assert box is not None and name is not None and reasons is not None
            # The reasons start under the name, at its left edge, not in a column beside it.
            assert reasons["y"] >= name["y"] + name["height"] - 1, measure.inner_text()
            assert abs(reasons["x"] - name["x"]) <= 1, measure.inner_text()
        broken = page.locator("#measures li[data-measure=no-road-travel-after-dark]")
        # "No road travel after dark — broken by segment 2" on one line of words.
        line = broken.locator(":scope > div").first
        assert " ".join(line.inner_text().split()) == (
            "No road travel after dark — broken by segment 2"
        )
        if viewport is PHONE:
            page.locator("#measures").screenshot(path=str(SHOTS / "phone-trip-measures.png"))


@AT_BOTH_WIDTHS
def test_the_decision_form_has_fields_to_write_in(
    browser: Any, live_server: Any, viewport: dict[str, int]
) -> None:
    for page in _trip_page(browser, live_server, viewport):
        form = page.locator("#decide-form")
        form.scroll_into_view_if_needed()
        width = form.bounding_box()["width"]
        for field in ("#id_decision", "#id_reason", "#id_conditions"):
            box = page.locator(field).bounding_box()
            size = page.locator(field).evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
            # As wide as the form (up to a comfortable line), in the page's own type size:
            # not the browser's default 20-column box in 13 px type.
            assert box["width"] >= min(0.9 * width, 600), (field, box["width"], width)
            assert size >= 15, (field, size)
        if viewport is PHONE:
            form.screenshot(path=str(SHOTS / "phone-trip-decision-form.png"))
