"""The publication gates and four eyes through the API: approve and publish answer 409 with
every reason in ``detail``, as the pages do."""

from __future__ import annotations

import datetime as dt

import pytest

from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.geography.models import AssessmentArea
from tests.integration.api.conftest import A_SLUG, World

pytestmark = pytest.mark.django_db

V2 = f"/api/v1/assessments/{A_SLUG}/versions/2"


def _v2() -> AssessmentVersion:
    return AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=2)


def test_each_gate_refuses_with_its_reason(world: World):
    analyst, reviewer = world.client("a-analyst"), world.client("a-reviewer")
    v2 = _v2()
    # The draft loses what the gates ask for: summary, review-by date, a level for PE-AYA
    # (no country-wide risk), a rationale.
    AssessmentVersion.objects.filter(pk=v2.pk).update(summary="", review_by=dt.date(2010, 6, 30))
    Risk.objects.filter(version=v2, area__code="PE").update(
        area=AssessmentArea.objects.get(version=v2, code="PE-LMA")
    )
    Risk.objects.filter(version=v2, key="crime-lima").update(rationale=" ")
    assert analyst.post(f"{V2}/submit", {}, format="json").status_code == 200

    response = reviewer.post(f"{V2}/approve", {}, format="json")
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert detail.startswith("version 2 cannot be approved: ")
    for reason in (
        "no executive summary",
        "review-by date 2010-06-30 is past",
        "area Peru (PE): not assessed without a reason",
        "area Ayacucho (PE-AYA): not assessed without a reason",
        "risk R2 “Street crime in Lima DRAFTMARK” has no rationale",
    ):
        assert reason in detail
    assert _v2().status == "in_review"


def test_a_reason_for_an_area_through_the_api_meets_the_gate(world: World):
    analyst, reviewer = world.client("a-analyst"), world.client("a-reviewer")
    v2 = _v2()
    Risk.objects.filter(version=v2, area__code="PE").update(
        area=AssessmentArea.objects.get(version=v2, code="PE-LMA")
    )
    for code in ("PE", "PE-AYA"):
        area = AssessmentArea.objects.get(version=v2, code=code)
        reason = {"not_assessed_reason": "Not visited; no staff there."}
        response = analyst.patch(f"/api/v1/areas/{area.pk}/", reason, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["not_assessed_reason"] == "Not visited; no staff there."
    analyst.post(f"{V2}/submit", {}, format="json")
    response = reviewer.post(f"{V2}/approve", {}, format="json")
    assert response.status_code == 200, response.content
    assert reviewer.post(f"{V2}/publish", {}, format="json").json()["status"] == "published"


def test_publishing_checks_the_gates_again(world: World):
    analyst, reviewer = world.client("a-analyst"), world.client("a-reviewer")
    analyst.post(f"{V2}/submit", {}, format="json")
    assert reviewer.post(f"{V2}/approve", {}, format="json").status_code == 200
    AssessmentVersion.objects.filter(pk=_v2().pk).update(review_by=dt.date.today())
    response = reviewer.post(f"{V2}/publish", {}, format="json")
    assert response.status_code == 409
    today = dt.date.today().isoformat()
    assert response.json()["detail"] == (
        f"version 2 cannot be published: review-by date {today} is today; it must be in the future"
    )


def test_a_reviewer_cannot_approve_what_they_submitted(world: World):
    reviewer = world.client("a-reviewer")
    assert reviewer.post(f"{V2}/submit", {}, format="json").status_code == 200
    response = reviewer.post(f"{V2}/approve", {}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "version 2 cannot be approved: you submitted this version: another reviewer must approve it"
    )
    response = world.client("a-admin").post(f"{V2}/approve", {}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"


def test_the_team_templates_guidance_is_never_published(world: World):
    """A context section still holding the text the team's template gave it ("To cover: …")
    stops approval, naming the section; once written, the version is approved."""
    from riskatlas.apps.accounts.models import Team
    from riskatlas.apps.assessments.models import ContextSection
    from riskatlas.apps.assessments.models.templates import TeamTemplate

    guidance = "To cover: who governs, the coming elections, protests."
    TeamTemplate.objects.create(
        team=Team.objects.get(name="Field team"),
        context=[{"topic": "political", "title": "Politics", "text": guidance}],
        matrix={},
    )
    analyst, reviewer = world.client("a-analyst"), world.client("a-reviewer")
    section = ContextSection.objects.filter(version=_v2()).order_by("position").first()
    assert section is not None
    ContextSection.objects.filter(pk=section.pk).update(text=guidance)
    assert analyst.post(f"{V2}/submit", {}, format="json").status_code == 200

    response = reviewer.post(f"{V2}/approve", {}, format="json")
    assert response.status_code == 409
    assert (
        f"context section 1 “{section.title}”: its text is still the template's guidance "
        f"(“{guidance}”); write it or delete the section"
    ) in response.json()["detail"]
    assert _v2().status == "in_review"

    assert reviewer.post(f"{V2}/return", {"comment": "Write it"}, format="json").status_code == 200
    ContextSection.objects.filter(pk=section.pk).update(text="A stable coalition since 2022.")
    assert analyst.post(f"{V2}/submit", {}, format="json").status_code == 200
    assert reviewer.post(f"{V2}/approve", {}, format="json").status_code == 200
