"""The review workflow through the API: the same steps, roles and refusals as the pages."""

from __future__ import annotations

import pytest

from riskatlas.apps.assessments.models import AssessmentVersion, ReviewComment, Risk
from riskatlas.apps.audit.models import AuditEntry
from tests.integration.api.conftest import A_SLUG, World

pytestmark = pytest.mark.django_db

V2 = f"/api/v1/assessments/{A_SLUG}/versions/2"


def test_draft_to_published_and_a_new_version(world: World):
    analyst, reviewer = world.client("a-analyst"), world.client("a-reviewer")
    risk = Risk.objects.get(version__assessment__slug=A_SLUG, version__number=2, key="road")

    response = analyst.post(f"{V2}/submit", {"comment": "Ready."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_review"
    assert analyst.post(f"{V2}/submit", {}, format="json").status_code == 409

    response = analyst.post(f"{V2}/approve", {}, format="json")
    assert response.status_code == 403
    assert "reviewer role" in response.json()["detail"]

    response = reviewer.post(f"{V2}/return", {}, format="json")
    assert response.status_code == 409
    assert "say what should change" in response.json()["detail"]
    response = reviewer.post(f"{V2}/return", {"comment": "Add a source."}, format="json")
    assert response.json()["status"] == "draft"
    analyst.post(f"{V2}/submit", {}, format="json")

    response = reviewer.post(f"{V2}/approve", {"comment": "Good."}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "approved" and response.json()["frozen_at"]
    refused = analyst.patch(f"/api/v1/risks/{risk.pk}/", {"title": "Late"}, format="json")
    assert refused.status_code == 409

    # Readers see version 2 only once it is published.
    assert world.client("a-reader").get(f"{V2}/").status_code == 404
    assert reviewer.post(f"{V2}/publish", {}, format="json").json()["status"] == "published"
    assert world.client("a-reader").get(f"{V2}/").status_code == 200
    current = world.client("a-reader").get("/api/v1/assessments/").json()["results"][0]
    assert current["current_version"]["number"] == 2

    response = analyst.post(f"/api/v1/assessments/{A_SLUG}/versions/", format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["number"], response.json()["status"]) == (3, "draft")
    again = analyst.post(f"/api/v1/assessments/{A_SLUG}/versions/", format="json")
    assert again.status_code == 409 and "version 3 is still draft" in again.json()["detail"]

    steps = list(
        ReviewComment.objects.filter(version__number=2).values_list("step", "author_name", "text")
    )
    assert steps == [
        ("submitted", "a-analyst", "Ready."),
        ("returned", "a-reviewer", "Add a source."),
        ("submitted", "a-analyst", ""),
        ("approved", "a-reviewer", "Good."),
        ("published", "a-reviewer", ""),
    ]
    entry = AuditEntry.objects.filter(object_type="assessment version", version_number=2).first()
    assert entry is not None and (entry.username, entry.via) == ("a-reviewer", "api")


def test_readers_and_other_teams_cannot_take_steps(world: World):
    assert world.client("a-reader").post(f"{V2}/submit", {}, format="json").status_code == 403
    assert world.client("b-reader").post(f"{V2}/submit", {}, format="json").status_code == 404
    url = f"/api/v1/assessments/{A_SLUG}/versions/"
    assert world.client("b-reader").post(url, format="json").status_code == 404
    assert world.client(None).post(url, format="json").status_code == 401
    version = AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=2)
    assert version.status == "draft"


def test_a_version_in_review_is_locked_until_withdrawn(world: World):
    from tests.integration.api.test_risk_changes import new_risk

    analyst = world.client("a-analyst")
    risk = Risk.objects.get(version__assessment__slug=A_SLUG, version__number=2, key="road")
    analyst.post(f"{V2}/submit", {}, format="json")

    locked = (
        "zz-test version 2 is in review; an analyst can withdraw it, or a reviewer return it "
        "to draft, before it changes"
    )
    for who in ("a-analyst", "a-reviewer"):
        response = world.client(who).patch(
            f"/api/v1/risks/{risk.pk}/", {"title": "Late"}, format="json"
        )
        assert response.status_code == 409
        assert response.json()["detail"] == locked
    response = analyst.post("/api/v1/risks/", new_risk(), format="json")
    assert response.status_code == 409 and response.json()["detail"] == locked
    assert Risk.objects.get(pk=risk.pk).title == "Road accident"
    assert not Risk.objects.filter(key="kidnap-lima").exists()

    # Withdrawing: analysts of the team only, and only from review.
    assert world.client("a-reader").post(f"{V2}/withdraw", {}, format="json").status_code == 403
    assert world.client("b-reader").post(f"{V2}/withdraw", {}, format="json").status_code == 404
    response = analyst.post(f"{V2}/withdraw", {"comment": "Road data is out."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "draft"
    again = analyst.post(f"{V2}/withdraw", {}, format="json")
    assert again.status_code == 409
    assert again.json()["detail"] == (
        "version 2 is draft; it must be in review to be withdrawn from review"
    )
    last = ReviewComment.objects.filter(version__number=2).last()
    assert last is not None
    assert (last.step, last.author_name, last.text) == (
        "withdrawn",
        "a-analyst",
        "Road data is out.",
    )
    entry = AuditEntry.objects.filter(
        object_type="assessment version", version_number=2, after__status="draft"
    ).first()
    assert entry is not None and (entry.username, entry.via) == ("a-analyst", "api")

    response = analyst.patch(f"/api/v1/risks/{risk.pk}/", {"title": "Road crash"}, format="json")
    assert response.status_code == 200, response.content
    assert Risk.objects.get(pk=risk.pk).title == "Road crash"
