"""Review and approval in the browser: submit, return, approve, publish, new version, diff,
overdue reviews."""

from __future__ import annotations

import datetime as dt

import pytest

from riskatlas.apps.assessments import workflow
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import AssessmentVersion, Risk, Status
from tests.integration.conftest import client_for
from tests.integration.workspace.conftest import Workspace

pytestmark = pytest.mark.django_db


def step(ws: Workspace, who: str, action: str, text: str = "", number: int | None = None):
    return client_for(who).post(f"{ws.base(number)}review/{action}/", {"text": text}, follow=True)


def test_submit_approve_publish_and_new_version(workspace: Workspace):
    ws = workspace
    # A reader sees neither the draft nor its review page.
    assert client_for("reader").get(f"{ws.base()}review/").status_code == 404

    page = step(ws, "analyst", "submit", "Ready: crime section updated.").content.decode()
    assert "Version 1 is now in review." in page
    assert ws.refresh().status == Status.IN_REVIEW

    # Analysts cannot approve their own work; reviewers can.
    assert client_for("analyst").post(f"{ws.base()}review/approve/").status_code == 403
    page = step(ws, "reviewer", "approve", "Good work.").content.decode()
    assert "Version 1 is now approved." in page
    assert ws.refresh().is_frozen

    page = step(ws, "reviewer", "publish").content.decode()
    assert "Version 1 is now published." in page
    assert ws.refresh().status == Status.PUBLISHED

    review = client_for("reader").get(f"{ws.base()}review/").content.decode()
    for text in (
        "Ready: crime section updated.",
        "Good work.",
        "Submitted for review",
        "Approved",
        "Published",
    ):
        assert text in review
    assert "Submit for review" not in review  # readers have no buttons

    response = client_for("analyst").post(f"/assessments/{ws.slug}/new-version/")
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{ws.slug}/v2/edit/"
    v2 = AssessmentVersion.objects.get(assessment=ws.version.assessment, number=2)
    assert v2.status == Status.DRAFT and not v2.is_frozen
    old, new = export_version(ws.version), export_version(v2)
    for doc in (old, new):
        del doc["assessment"]["version"], doc["assessment"]["status"]
    assert old == new  # a faithful copy

    assert (
        "Copied from version 1."
        in client_for("analyst").get(f"{ws.base(2)}review/").content.decode()
    )

    # Only one open version at a time.
    page = client_for("analyst").post(f"/assessments/{ws.slug}/new-version/", follow=True)
    assert "version 2 is still draft" in page.content.decode()


NEW_VERSION_FORM = 'class="new-version-form"'


def test_the_review_page_offers_a_new_version_only_of_the_version_it_copies(
    workspace: Workspace,
):
    """The review page's "New version" is the form the assessment and history pages use, on
    the version it would copy (the latest frozen one), not on an older one."""
    ws = workspace
    step(ws, "analyst", "submit")
    step(ws, "reviewer", "approve-and-publish")
    analyst = client_for("analyst")
    v1_review = analyst.get(f"{ws.base(1)}review/").content.decode()
    assert (
        NEW_VERSION_FORM in v1_review and "Starts a draft copy of this frozen version." in v1_review
    )
    analyst.post(f"/assessments/{ws.slug}/new-version/")
    assert NEW_VERSION_FORM not in analyst.get(f"{ws.base(1)}review/").content.decode()
    step(ws, "analyst", "submit", number=2)
    step(ws, "reviewer", "approve-and-publish", number=2)
    # Version 2 is what a new version would copy now: offered there, no longer on version 1.
    assert NEW_VERSION_FORM in analyst.get(f"{ws.base(2)}review/").content.decode()
    assert NEW_VERSION_FORM not in analyst.get(f"{ws.base(1)}review/").content.decode()
    assert NEW_VERSION_FORM not in client_for("reader").get(f"{ws.base(2)}review/").content.decode()


def test_the_review_page_links_to_the_changes_since_the_version_before(workspace: Workspace):
    """A reviewer of version 2 reads what changed since version 1 in one click."""
    ws = workspace
    step(ws, "analyst", "submit")
    step(ws, "reviewer", "approve-and-publish")
    assert (
        "Changes since" not in client_for("reviewer").get(f"{ws.base(1)}review/").content.decode()
    )
    client_for("analyst").post(f"/assessments/{ws.slug}/new-version/")
    step(ws, "analyst", "submit", number=2)
    review = client_for("reviewer").get(f"{ws.base(2)}review/").content.decode()
    link = f'<a href="/assessments/{ws.slug}/diff/1/2/">Changes since v1</a>'
    assert link in review
    assert client_for("reviewer").get(f"/assessments/{ws.slug}/diff/1/2/").status_code == 200


def test_approve_and_publish_in_one_step_or_not_at_all(workspace: Workspace):
    """**Approve and publish**: both steps with their gates and four eyes, or neither — a
    version the gates refuse stays in review, not approved."""
    ws = workspace
    step(ws, "analyst", "submit")
    assert client_for("analyst").post(f"{ws.base()}review/approve-and-publish/").status_code == 403
    AssessmentVersion.objects.filter(pk=ws.version.pk).update(summary="")
    page = step(ws, "reviewer", "approve-and-publish").content.decode()
    assert "no executive summary" in page
    assert ws.refresh().status == Status.IN_REVIEW
    AssessmentVersion.objects.filter(pk=ws.version.pk).update(summary="Crime is the main risk.")
    review = client_for("reviewer").get(f"{ws.base()}review/").content.decode()
    assert "Approve and publish" in review
    page = step(ws, "reviewer", "approve-and-publish", "Good work.").content.decode()
    assert "Version 1 is now published." in page
    assert ws.refresh().status == Status.PUBLISHED
    assert "Good work." in client_for("reader").get(f"{ws.base()}review/").content.decode()


def test_reviewer_returns_a_version_with_comments(workspace: Workspace):
    ws = workspace
    step(ws, "analyst", "submit")
    page = step(ws, "reviewer", "return", "").content.decode()
    assert "say what should change" in page
    assert ws.refresh().status == Status.IN_REVIEW
    page = step(
        ws, "reviewer", "return", "Add the 2023 incidents to the crime risk."
    ).content.decode()
    assert "Version 1 is now draft." in page
    assert ws.refresh().status == Status.DRAFT
    review = client_for("analyst").get(f"{ws.base()}review/").content.decode()
    assert "Add the 2023 incidents to the crime risk." in review
    assert "Returned to draft" in review
    # A plain comment from an analyst.
    step(ws, "analyst", "comment", "Done, see the incident log.")
    assert (
        "Done, see the incident log."
        in client_for("reviewer").get(f"{ws.base()}review/").content.decode()
    )


def test_steps_out_of_order_are_refused(workspace: Workspace):
    ws = workspace
    page = step(ws, "reviewer", "publish").content.decode()
    assert "version 1 is draft; it must be approved to be published" in page
    assert ws.refresh().status == Status.DRAFT
    assert client_for("reviewer").get(f"{ws.base()}review/publish/").status_code == 405
    assert client_for("reviewer").post(f"{ws.base()}review/dance/").status_code == 404
    assert client_for("reader").post(f"{ws.base()}review/submit/").status_code == 403
    assert client_for("outsider").post(f"{ws.base()}review/submit/").status_code == 404
    assert ws.refresh().status == Status.DRAFT


def test_history_and_diff_show_what_changed(workspace: Workspace):
    ws = workspace
    analyst, reviewer = _user("analyst"), _user("reviewer")
    workflow.submit_for_review(ws.version, analyst)
    workflow.approve(ws.version, reviewer)
    v2 = workflow.new_version(ws.version.assessment, analyst)
    risk = Risk.objects.get(version=v2, key="crime-lima")
    risk.title = "Armed street crime in Lima"
    risk.residual_likelihood = 5
    risk.save()

    history = client_for("analyst").get(f"/assessments/{ws.slug}/history/")
    page = history.content.decode()
    assert "v1" in page and "v2" in page and "Changes since v1" in page
    redirect = client_for("analyst").get(f"/assessments/{ws.slug}/history/", {"old": 1, "new": 2})
    assert redirect["Location"] == f"/assessments/{ws.slug}/diff/1/2/"
    diff = client_for("analyst").get(redirect["Location"]).content.decode()
    assert "What changed from version 1 to version 2" in diff
    assert "Changed risk crime-lima (Armed street crime in Lima)" in diff
    assert "residual level medium → high" in diff
    same = client_for("analyst").get(f"/assessments/{ws.slug}/diff/1/1/").content.decode()
    assert "The two versions have the same content." in same
    # Readers may only compare published versions; other teams see nothing.
    assert client_for("reader").get(f"/assessments/{ws.slug}/diff/1/2/").status_code == 404
    assert client_for("outsider").get(f"/assessments/{ws.slug}/history/").status_code == 404


def test_overdue_list(workspace: Workspace):
    ws = workspace
    AssessmentVersion.objects.filter(pk=ws.version.pk).update(review_by=dt.date(2024, 8, 1))
    page = client_for("analyst").get("/workspace/overdue/").content.decode()
    assert "Testland security risk assessment" in page and "1 Aug 2024" in page
    # Readers hear only about published versions; other teams about nothing.
    assert "Nothing is overdue." in client_for("reader").get("/workspace/overdue/").content.decode()
    assert (
        "Nothing is overdue." in client_for("outsider").get("/workspace/overdue/").content.decode()
    )
    future = dt.date.today() + dt.timedelta(days=30)
    AssessmentVersion.objects.filter(pk=ws.version.pk).update(review_by=future)
    assert (
        "Nothing is overdue." in client_for("analyst").get("/workspace/overdue/").content.decode()
    )
    assert workflow.overdue_versions(_user("analyst"), today=future + dt.timedelta(days=1))


def test_workspace_lists_work_to_do(workspace: Workspace):
    ws = workspace
    workflow.submit_for_review(ws.version, _user("analyst"))
    page = client_for("reviewer").get("/workspace/").content.decode()
    assert "Waiting for your review" in page
    assert f"{ws.base()}review/" in page
    assert "Audit log" not in page
    assert "Audit log" in client_for("admin").get("/workspace/").content.decode()
    assert (
        "No assessments in your teams."
        in client_for("outsider").get("/workspace/").content.decode()
    )


def _user(name: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def test_the_version_panel_shows_the_latest_comment(workspace: Workspace):
    from django.template.loader import render_to_string

    workflow.submit_for_review(workspace.version, _user("analyst"), "Please check the taxis.")
    html = render_to_string(
        "assessments/workflow/_version_panel.html", {"version": workspace.refresh()}
    )
    assert "Review &amp; comments (1)" in html
    assert "analyst · submitted for review: “Please check the taxis.”" in html
    assert f"{workspace.base()}edit/" not in html  # locked while in review
    workflow.withdraw(workspace.version, _user("analyst"), "One more source.")
    html = render_to_string(
        "assessments/workflow/_version_panel.html", {"version": workspace.refresh()}
    )
    assert "analyst · withdrawn from review: “One more source.”" in html
    assert f"{workspace.base()}edit/" in html
