"""The approver's side of the Peru trip in a real browser: the analyst requests it from the
trip's page, the approver sees why each approval is needed (level 4, new to the region, the
overdue assessment) and the measure the itinerary breaks, signs every step, the last with
conditions; the traveller opens her brief, with the conditions and her emergency contact."""

from __future__ import annotations

import re
from typing import Any

import pytest

from riskatlas.apps.travel.models import Trip
from tests.integration.care.peru_trip import set_up_team

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def peru(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setenv("RISKATLAS_HOME", str(tmp_path))
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "no-store.duckdb"))
    return set_up_team()


def test_request_approve_with_conditions_and_read_the_brief(
    peru: dict[str, Any], live_server: Any, new_page: Any, screenshot: Any
) -> None:
    trip = peru["trip"]
    ana = new_page("ana")
    ana.click("nav >> text=Trips")
    ana.click(f"text={trip.title}")
    ana.click("button:has-text('Request approval')")
    assert "Requested" in ana.locator("#trip-status").inner_text()

    marta = new_page("marta")
    marta.goto(f"{live_server.url}/trips/{trip.pk}/")
    approvals = marta.locator("#approvals").inner_text()
    assert "Line manager" in approvals and "Regional security manager" in approvals
    assert re.search(r"Why: level 4", approvals)
    assert "new-to-region" in approvals  # the focal point, for staff new to the region
    assert "review-by" in approvals  # the regional manager confirms the overdue assessment
    broken = marta.locator("[data-measure=no-road-travel-after-dark]").inner_text()
    assert "broken by segment 2" in broken
    assert "2010-05-31" in marta.locator("#warnings").inner_text()
    screenshot(marta, "trip-approval", full_page=True)
    steps = Trip.objects.get(pk=trip.pk).approvals.filter(superseded=False).count()
    for step in range(steps):
        last = step == steps - 1
        marta.select_option("#id_decision", "approve-with-conditions" if last else "approve")
        marta.fill("#id_reason", "Needed for the project.")
        if last:
            marta.fill("#id_conditions", "Take the day bus from Lima: no road travel after dark.")
        marta.click("button:has-text('Record the decision')")
        marta.wait_for_load_state()
    decision = marta.locator("#decision").inner_text()
    assert "approved with conditions" in decision
    assert "no road travel after dark" in decision

    rosa = new_page("rosa")
    rosa.goto(f"{live_server.url}/trips/{trip.pk}/")
    with rosa.expect_navigation():
        rosa.click("text=Brief (HTML)")
    brief = rosa.locator("body").inner_text()
    assert "Huancavelica" in brief
    assert "Take the day bus from Lima" in brief
    assert "Julio Quispe" in brief  # her emergency contact
