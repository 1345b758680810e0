"""The quicker authoring pages in a browser: a country's areas shown as it is chosen, on the
same page; the risk form's matrix by keyboard (a cell sets the inherent rating, the residual
follows it and the focus stays on the cell; the next sets the residual); axe on both as the
scripts leave them. Without scripts the labelled dropdowns do it all and the matrix is only a
picture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.document import load_document
from tests.e2e.conftest import PASSWORD
from tests.e2e.test_accessibility import AXE, _violations

pytestmark = pytest.mark.django_db(transaction=True)
NEW = "/assessments/zz-test/v1/edit/risks/new/"


@pytest.fixture
def draft(everything_yaml: Path) -> AssessmentVersion:
    add_user("analyst", "Field team", "analyst", PASSWORD)
    return import_document(load_document(everything_yaml), team=ensure_team("Field team")).version


def _cell(likelihood: int, impact: int) -> str:
    return f".cell-pick[data-likelihood='{likelihood}'][data-impact='{impact}']"


def test_the_matrix_by_keyboard(draft: AssessmentVersion, new_page: Any, live_server: Any):
    page = new_page("analyst")
    page.goto(live_server.url + NEW)
    page.locator(_cell(3, 4)).focus()
    page.keyboard.press("Enter")
    for name, value in (
        ("inherent_likelihood", "3"),
        ("inherent_impact", "4"),
        ("residual_likelihood", "3"),  # the residual follows until set
        ("residual_impact", "4"),
    ):
        expect(page.locator(f"select[name={name}]")).to_have_value(value)
    expect(page.locator(f"{_cell(3, 4)} .mark")).to_have_text("IR")
    expect(page.locator(_cell(3, 4))).to_be_focused()  # the redrawn cell keeps the focus
    # The next press sets the residual, and the cells say so to a screen reader.
    expect(
        page.get_by_role("button", name="Set the residual rating to likelihood 2")
    ).to_have_count(5)
    page.locator(_cell(2, 4)).focus()
    page.keyboard.press("Enter")
    expect(page.locator("select[name=residual_likelihood]")).to_have_value("2")
    expect(page.locator("select[name=inherent_likelihood]")).to_have_value("3")
    # Set once, the residual no longer follows the inherent rating.
    page.select_option("select[name=inherent_likelihood]", "5")
    expect(page.locator(f"{_cell(2, 4)} .mark")).to_have_text("R")
    expect(page.locator("select[name=residual_likelihood]")).to_have_value("2")


@pytest.fixture
def signed_in(new_page: Any) -> Any:
    """A page of the analyst's in a browser context made with ``options`` (scripts off, or
    the CSP bypassed for axe)."""
    return lambda **options: new_page("analyst", **options)


def test_a_countrys_areas_are_shown_as_it_is_chosen(
    draft: AssessmentVersion, signed_in: Any, live_server: Any
):
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed at {AXE} (scripts/setup.sh runs npm ci)")
    page = signed_in(bypass_csp=True)  # for axe only
    page.goto(live_server.url + "/new/")
    expect(page.locator("button:text-is('Show its areas')")).to_be_hidden()
    page.select_option("select[name=country]", "CO")
    expect(page.locator("input[name=areas][value=CO-ANT]")).to_be_visible()
    assert page.url == live_server.url + "/new/"  # the same page, the choice still focusable
    expect(page.locator("[data-areas-status]")).to_have_text("Colombia: its areas are shown below.")
    page.select_option("select[name=country]", "PE")
    expect(page.locator("input[name=areas][value=PE-LMA]")).to_be_visible()
    expect(page.locator("input[name=areas][value=CO-ANT]")).to_have_count(0)
    assert _violations(page, AXE) == []
    page.check("input[name=areas][value=PE-LMA]")
    page.fill("textarea[name=scope]", "Staff in Lima")
    page.click("button:text-is('Make the draft')")
    expect(page.locator("main")).to_contain_text("Made the draft “Peru security risk assessment”")
    # The risk form with its matrix of buttons, after a click: no serious violation either.
    page.goto(live_server.url + NEW)
    page.click(_cell(3, 4))
    expect(page.locator(f"{_cell(3, 4)} .mark")).to_have_text("IR")
    assert _violations(page, AXE) == []


def test_the_risk_form_without_scripts(draft: AssessmentVersion, signed_in: Any, live_server: Any):
    page = signed_in(java_script_enabled=False)
    page.goto(live_server.url + NEW)
    expect(page.locator("[data-matrix-picker]")).to_be_hidden()
    expect(page.locator(".cell-pick")).to_have_count(0)  # the cells are a picture only
    page.fill("input[name=title]", "Road accidents")
    page.select_option("select[name=category]", "TRN")
    page.check("input[name=exposed][value=national-staff]")
    page.get_by_label("Inherent likelihood").select_option("4")
    page.get_by_label("Inherent impact").select_option("4")
    page.get_by_label("Residual likelihood").select_option("3")
    page.get_by_label("Residual impact").select_option("3")
    page.fill("textarea[name=rationale]", "Mountain roads and night driving.")
    page.click("button:text-is('Save risk')")
    expect(page.locator("main")).to_contain_text("Saved risk “Road accidents”")
    risk = Risk.objects.get(version=draft, title="Road accidents")
    assert (risk.inherent_likelihood, risk.residual_likelihood, risk.category) == (4, 3, "TRN")
