"""An analyst reviews the seed field notes in a real browser and decides all the shown
threat sentences at once; the bulk buttons ask first, and cancelling decides nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.drafts.models import DraftItem, SourceDocument
from riskatlas.apps.drafts.services import read_into
from riskatlas.document import load_document

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-password-1"
NOTES = (
    "Street crime in Lima will probably rise. Armed robbery in Lima increased in 2008. "
    "Gunmen abducted two engineers in Lima on 12 March 2008. Shining Path attacked a patrol "
    "in Ayacucho."
)


@pytest.fixture
def document(peru_yaml: Path) -> SourceDocument:
    doc = load_document(peru_yaml)
    doc["assessment"]["status"] = "draft"
    version = import_document(doc, team=ensure_team("Demo NGO security unit")).version
    add_user("analyst", "Demo NGO security unit", "analyst", PASSWORD)
    return read_into(version, "Field notes", NOTES)


def test_accept_all_shown_asks_then_decides_the_shown_items(
    document: SourceDocument, new_page, live_server, screenshot
):
    page = new_page("analyst")
    version = document.version
    url = f"/assessments/{version.assessment.slug}/v{version.number}/drafts/{document.pk}/"
    page.goto(live_server.url + url + "?kind=category&status=proposed")
    shown = document.items.filter(kind="category").count()
    accept = page.get_by_role("button", name=f"Accept all shown ({shown})")
    screenshot(page, "drafts-bulk-review")

    asked: list[str] = []

    def cancel(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", cancel)
    accept.click()
    assert asked == [f"Accept all {shown} items shown that are still to decide?"]
    assert not document.items.exclude(status=DraftItem.Status.PROPOSED).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    accept.click()
    page.wait_for_selector(".messages")
    said = page.inner_text(".messages")
    assert said.startswith("Accepted "), said
    decided = document.items.exclude(status=DraftItem.Status.PROPOSED)
    assert decided.exists()
    assert set(decided.values_list("kind", flat=True)) == {"category"}
    assert page.url.endswith(url + "?kind=category&status=proposed")
    screenshot(page, "drafts-bulk-review-done")


def test_the_risk_menus_are_in_the_page_type(document: SourceDocument, new_page, live_server):
    page = new_page("analyst")
    version = document.version
    url = f"/assessments/{version.assessment.slug}/v{version.number}/drafts/{document.pk}/"
    page.goto(live_server.url + url)
    sizes = page.locator(".draft-bulk select, .draft-item select").evaluate_all(
        "els => els.map(e => [getComputedStyle(e).fontSize,"
        " getComputedStyle(e.parentElement).fontSize])"
    )
    assert len(sizes) >= 2
    # Each risk menu reads in the type of the words around it ("under risk", the bulk
    # buttons' line), not in the browser's default 13.3 px.
    assert [menu for menu, around in sizes if menu != around] == [], sizes
