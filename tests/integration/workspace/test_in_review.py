"""A version in review is locked: the pages, the register and YAML imports and the models
refuse changes, with what to do; an analyst withdraws it (or a reviewer returns it) to change
it again; approving still freezes it."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from riskatlas.apps.accounts.models import Team
from riskatlas.apps.assessments import workflow
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import (
    AssessmentVersion,
    FrozenVersionError,
    ReviewComment,
    Risk,
    Status,
    VersionLockedError,
)
from riskatlas.apps.audit.models import AuditEntry
from riskatlas.document import dump
from riskatlas.document.register import register_csv
from tests.integration.conftest import client_for
from tests.integration.workspace.conftest import Workspace
from tests.integration.workspace.test_editing import crime, risk_data

pytestmark = pytest.mark.django_db

LOCKED = "version 1 is in review; an analyst can withdraw it, or a reviewer return it to draft"


def _user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


@pytest.fixture
def in_review(workspace: Workspace) -> Workspace:
    workflow.submit_for_review(workspace.version, _user("analyst"), "Ready.")
    return workspace


def test_the_edit_pages_refuse_with_the_way_back_to_draft(in_review: Workspace):
    ws = in_review
    risk = crime(ws)
    url = f"{ws.base()}edit/risks/{risk.pk}/"
    analyst = client_for("analyst")
    page = analyst.get(url)
    assert page.status_code == 409
    text = page.content.decode()
    assert "Version 1 is in review and cannot be changed" in text
    assert "so that the reviewers approve exactly what they read" in text
    assert f'action="{ws.base()}review/withdraw/"' in text  # analysts: withdraw here
    assert "make a new version" not in text.lower()

    reviewer_page = client_for("reviewer").get(url).content.decode()
    assert f'action="{ws.base()}review/withdraw/"' not in reviewer_page
    assert f'href="{ws.base()}review/">Return to draft</a>' in reviewer_page

    response = analyst.post(url, risk_data(risk, title="Changed after submitting"))
    assert response.status_code == 409
    response = analyst.post(f"{ws.base()}edit/risks/{risk.pk}/delete/")
    assert response.status_code == 409
    risk.refresh_from_db()
    assert risk.title == "Street crime in Lima"
    # Nothing offers editing meanwhile.
    for path in ("", "review/"):
        assert f"{ws.base()}edit/" not in analyst.get(ws.base() + path).content.decode()


def test_the_review_page_offers_withdraw_to_analysts_and_return_to_reviewers(
    in_review: Workspace,
):
    ws = in_review
    analyst = client_for("analyst").get(f"{ws.base()}review/").content.decode()
    assert "Locked while in review" in analyst
    assert "Withdraw from review" in analyst and "Return to draft</button>" not in analyst
    reviewer = client_for("reviewer").get(f"{ws.base()}review/").content.decode()
    assert "Return to draft</button>" in reviewer and "Approve (freezes it)" in reviewer
    assert "Withdraw from review</button>" not in reviewer


def test_analyst_withdraws_and_edits_again(in_review: Workspace):
    ws = in_review
    page = client_for("analyst").post(
        f"{ws.base()}review/withdraw/", {"text": "Adding the March incidents."}, follow=True
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Version 1 is now draft." in text
    assert "Withdrawn from review" in text and "Adding the March incidents." in text
    assert ws.refresh().status == Status.DRAFT
    last = ReviewComment.objects.filter(version=ws.version).last()
    assert last is not None
    assert (last.step, last.author_name, last.text) == (
        "withdrawn",
        "analyst",
        "Adding the March incidents.",
    )
    entry = AuditEntry.objects.filter(
        object_type="assessment version", after__status="draft", before__status="in_review"
    ).first()
    assert entry is not None and entry.username == "analyst"

    risk = crime(ws)
    url = f"{ws.base()}edit/risks/{risk.pk}/"
    response = client_for("analyst").post(url, risk_data(risk, title="Street crime, March"))
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.title == "Street crime, March"


def test_withdraw_needs_an_analyst_of_the_team_and_a_version_in_review(in_review: Workspace):
    ws = in_review
    url = f"{ws.base()}review/withdraw/"
    assert client_for("reader").post(url).status_code == 403
    assert client_for("outsider").post(url).status_code == 404
    assert client_for("other-admin").post(url).status_code == 404
    assert ws.refresh().status == Status.IN_REVIEW
    client_for("analyst").post(url)
    assert ws.refresh().status == Status.DRAFT
    page = client_for("analyst").post(url, follow=True).content.decode()
    assert "version 1 is draft; it must be in review to be withdrawn from review" in page
    assert ws.refresh().status == Status.DRAFT
    assert ReviewComment.objects.filter(version=ws.version, step="withdrawn").count() == 1


def test_a_register_upload_is_refused(in_review: Workspace):
    ws = in_review
    doc = copy.deepcopy(ws.doc)
    doc["risks"][1]["residual"]["likelihood"] = 2
    upload = SimpleUploadedFile("register.csv", register_csv(doc).encode())
    response = client_for("analyst").post(f"{ws.base()}register/import/", {"file": upload})
    assert response.status_code == 409
    page = response.content.decode()
    assert LOCKED in page
    assert "Import register</button>" not in page
    assert Risk.objects.get(version=ws.version, key="road").residual_likelihood != 2


def test_a_yaml_upload_is_refused_naming_the_version(in_review: Workspace):
    ws = in_review
    before = export_version(ws.refresh())
    doc = copy.deepcopy(ws.doc)
    doc["risks"][0]["title"] = "Changed by an upload"
    team = Team.objects.get(slug="field-team")
    upload = SimpleUploadedFile("zz.yaml", dump(doc).encode())
    response = client_for("analyst").post("/import/", {"file": upload, "team": team.pk})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "zz-test version 1 is in review; an analyst can withdraw it" in page
    assert AssessmentVersion.objects.filter(assessment=ws.version.assessment).count() == 1
    assert export_version(ws.refresh()) == before
    # The same content again is simply "unchanged".
    same = SimpleUploadedFile("zz.yaml", dump(before).encode())
    response = client_for("analyst").post("/import/", {"file": same, "team": team.pk})
    assert response.status_code == 302


def test_the_models_refuse_changes_in_review(in_review: Workspace):
    ws = in_review
    risk = crime(ws)
    risk.title = "Saved from a script"
    with pytest.raises(VersionLockedError, match=LOCKED):
        risk.save()
    with pytest.raises(FrozenVersionError):  # what existing handlers catch
        risk.delete()
    version = AssessmentVersion.objects.get(pk=ws.version.pk)
    assert version.is_locked and not version.is_frozen
    assert version.locked_message.startswith(LOCKED)
    version.title = "Retitled from a script"
    with pytest.raises(VersionLockedError):
        version.save()
    with pytest.raises(VersionLockedError):
        version.delete()
    assert AssessmentVersion.objects.get(pk=ws.version.pk).title != "Retitled from a script"


def test_approving_still_freezes(in_review: Workspace):
    ws = in_review
    workflow.withdraw(ws.version, _user("analyst"))
    workflow.submit_for_review(ws.version, _user("analyst"))
    workflow.approve(ws.version, _user("reviewer"))
    version = ws.refresh()
    assert version.status == Status.APPROVED and version.is_frozen and version.is_locked
    assert version.locked_message == (
        "version 1 is approved and frozen; make a new version to change it"
    )
    page = client_for("analyst").get(f"{ws.base()}edit/")
    assert page.status_code == 409
    text = page.content.decode()
    assert "An approved or published version is frozen" in text
    assert "review/withdraw/" not in text
    # Withdrawing an approved version is refused.
    refused = client_for("analyst").post(f"{ws.base()}review/withdraw/", follow=True)
    assert "version 1 is approved; it must be in review" in refused.content.decode()
