"""The review workflow in a real browser: an analyst edits a risk (the level updates as the
ratings change) and submits the version for review; a reviewer approves it, which freezes it;
a reader of another team gets a 404."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.document import load_document

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "a-long-test-password-1"


@pytest.fixture
def draft(everything_yaml: Path) -> Risk:
    doc = load_document(everything_yaml)
    # Ready to publish: the fixture's review-by date (2024) has passed, which the gates refuse.
    doc["assessment"]["review_by"] = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    import_document(doc, team=ensure_team("Field team"))
    for name, team, role in (
        ("analyst", "Field team", "analyst"),
        ("reviewer", "Field team", "reviewer"),
        ("outsider", "Other team", "reader"),
    ):
        add_user(name, team, role, PASSWORD)
    return Risk.objects.get(key="crime-lima")


def test_edit_submit_approve(draft: Risk, new_page, live_server, screenshot):
    url = live_server.url
    page = new_page("analyst")

    # Edit a risk: the residual level follows the ratings before saving.
    page.goto(f"{url}/assessments/zz-test/v1/edit/risks/{draft.pk}/")
    levels = page.locator("#risk-levels")
    assert "medium" in levels.inner_text()  # residual 3 × 3
    page.select_option("select[name=residual_likelihood]", "5")
    page.wait_for_function(
        "document.querySelector('#risk-levels').innerText.includes('very high')"
        " || document.querySelector('#risk-levels').innerText.includes('high')"
    )
    assert "high" in levels.inner_text()
    screenshot(page, "workflow-1-edit-risk")
    page.fill("textarea[name=rationale]", "Frequent muggings; armed robbery is rising.")
    page.click("button:has-text('Save risk')")
    page.wait_for_load_state("load")
    draft.refresh_from_db()
    assert draft.residual_likelihood == 5
    assert draft.rationale == "Frequent muggings; armed robbery is rising."

    # Submit for review with a comment.
    page.goto(f"{url}/assessments/zz-test/v1/review/")
    page.fill("textarea[name=text]", "Crime re-rated after the January visit.")
    page.click("button:has-text('Submit for review')")
    page.wait_for_load_state("load")
    assert AssessmentVersion.objects.get(number=1).status == "in_review"
    screenshot(page, "workflow-2-submitted")

    # The reviewer approves: the version is frozen.
    reviewer = new_page("reviewer")
    reviewer.goto(f"{url}/assessments/zz-test/v1/review/")
    assert "Crime re-rated after the January visit." in reviewer.inner_text("main")
    reviewer.click("button:has-text('Approve')")
    reviewer.wait_for_load_state("load")
    version = AssessmentVersion.objects.get(number=1)
    assert version.status == "approved" and version.is_frozen
    assert "Approved" in reviewer.inner_text("main")
    screenshot(reviewer, "workflow-3-approved")

    # Editing the approved version is refused, with the way out.
    response = page.goto(f"{url}/assessments/zz-test/v1/edit/risks/{draft.pk}/")
    assert response is not None and response.status == 409
    assert "new version" in page.inner_text("main").lower()

    # Another team's reader: 404 on every page of it.
    outsider = new_page("outsider")
    for path in (
        "/assessments/zz-test/",
        "/assessments/zz-test/v1/review/",
        f"/assessments/zz-test/v1/edit/risks/{draft.pk}/",
    ):
        response = outsider.goto(url + path)
        assert response is not None and response.status == 404, path
    screenshot(outsider, "workflow-4-outsider-404")
