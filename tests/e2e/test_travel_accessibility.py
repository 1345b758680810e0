"""The travel pages pass axe-core (no serious or critical violation) at desktop and phone
widths, as the tour's pages do (tests/e2e/test_accessibility.py: axe injected in a context
that bypasses the CSP, for the check only): the trips list, a requested trip's page with its
decision form, the trip form, the import page, the travellers and the travel policy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_accessibility import AXE, DESKTOP, PHONE, RUN_AXE
from tests.integration.care.peru_trip import PASSWORD, set_up_team

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_or_critical_axe_violation_on_the_travel_pages(
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
    browser: Any,
    live_server: Any,
    viewport: dict[str, int],
) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed at {AXE} (scripts/setup.sh runs npm ci)")
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "no-store.duckdb"))
    team = set_up_team()
    from riskatlas.apps.travel import workflow

    workflow.request(team["trip"], team["ana"])
    trip = team["trip"].pk
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    found: dict[str, list[str]] = {}
    try:
        page = context.new_page()
        page.set_default_timeout(30000)
        page.goto(live_server.url + "/accounts/login/")
        page.fill("#id_username", "marta")  # an approver: the decision form, contact details
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(live_server.url + "/")
        for name, path in [
            ("trips", "/trips/"),
            ("trip", f"/trips/{trip}/"),
            ("trip form", f"/trips/{trip}/edit/"),
            ("import", "/trips/import/"),
            ("travellers", "/travellers/"),
            ("policy", "/teams/field-team/travel-policy/"),
        ]:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            page.add_script_tag(path=str(AXE))
            problems = list(page.evaluate(RUN_AXE))
            if problems:
                found[name] = problems
    finally:
        context.close()
    assert found == {}, "\n".join(f"{name}: {p}" for name, ps in found.items() for p in ps)
