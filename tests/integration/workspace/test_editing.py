"""Editing a version in the browser: forms, live risk levels, measures, refusals."""

from __future__ import annotations

from typing import Any

import pytest

from riskatlas.apps.assessments import workflow, writer
from riskatlas.apps.assessments.forms import PART_KINDS
from riskatlas.apps.assessments.models import Mitigation, Recommendation, Risk
from riskatlas.apps.intelligence.models import Source
from tests.integration.conftest import client_for
from tests.integration.workspace.conftest import Workspace

pytestmark = pytest.mark.django_db


def risk_data(risk: Risk, **changes: Any) -> dict[str, Any]:
    data = {
        "title": risk.title,
        "category": risk.category,
        "area": risk.area_id,
        "exposed": risk.exposed,
        "circumstance": risk.circumstance,
        "inherent_likelihood": risk.inherent_likelihood,
        "inherent_impact": risk.inherent_impact,
        "current_likelihood": risk.current_likelihood or "",
        "current_impact": risk.current_impact or "",
        "residual_likelihood": risk.residual_likelihood,
        "residual_impact": risk.residual_impact,
        "trend": risk.trend,
        "confidence": risk.confidence,
        "rationale": risk.rationale,
        "owner": risk.owner,
    }
    data.update(changes)
    return data


def crime(ws: Workspace) -> Risk:
    return Risk.objects.get(version=ws.version, key="crime-lima")


def test_analyst_edits_a_risk_and_sees_the_new_level(workspace: Workspace):
    risk = crime(workspace)
    url = f"{workspace.base()}edit/risks/{risk.pk}/"
    client = client_for("analyst")
    page = client.get(url).content.decode()
    # The matrix is drawn from the version's own matrix, with the current levels.
    assert page.count('<td data-colour="#') == 25
    assert "htmx/htmx.min.js" in page
    assert ">medium<" in page  # residual 3 × 3 on the default matrix
    response = client.post(
        url,
        risk_data(
            risk,
            inherent_likelihood=5,
            inherent_impact=5,
            residual_likelihood=4,
            residual_impact=4,
            current_likelihood="",
            current_impact="",
        ),
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.inherent_likelihood, risk.residual_impact, risk.current_likelihood) == (5, 4, None)
    page = client.get(response["Location"]).content.decode()
    assert "Saved risk" in page
    assert ">very high<" in page and ">high<" in page
    assert ">medium<" not in page


def test_the_level_panel_follows_likelihood_and_impact(workspace: Workspace):
    client = client_for("analyst")
    url = f"{workspace.base()}edit/risks/levels/"
    part = client.get(
        url,
        {
            "inherent_likelihood": 2,
            "inherent_impact": 2,
            "residual_likelihood": 1,
            "residual_impact": 1,
        },
    ).content.decode()
    assert ">low<" in part and ">very low<" in part and "⚠" not in part
    assert "<html" not in part  # a fragment for HTMX to swap in
    worse = client.get(
        url,
        {
            "inherent_likelihood": 1,
            "inherent_impact": 1,
            "residual_likelihood": 5,
            "residual_impact": 5,
        },
    ).content.decode()
    assert "above the inherent level" in worse


def test_saving_a_residual_above_the_inherent_level_warns(workspace: Workspace):
    risk = crime(workspace)
    url = f"{workspace.base()}edit/risks/{risk.pk}/"
    response = client_for("analyst").post(
        url,
        risk_data(
            risk, inherent_likelihood=1, inherent_impact=1, residual_likelihood=5, residual_impact=5
        ),
        follow=True,
    )
    assert "above the inherent level" in response.content.decode()
    risk.refresh_from_db()
    assert risk.residual_likelihood == 5  # a warning, not a refusal


def test_validation_messages_are_shown_next_to_the_fields(workspace: Workspace):
    risk = crime(workspace)
    url = f"{workspace.base()}edit/risks/{risk.pk}/"
    response = client_for("analyst").post(
        url, risk_data(risk, title="", current_likelihood=4, current_impact="")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Please correct the marked fields" in page
    assert "This field is required." in page
    assert "Give both the current likelihood and impact, or neither." in page
    risk.refresh_from_db()
    assert risk.title == "Street crime in Lima"


def test_a_new_risk_needs_an_unused_id(workspace: Workspace):
    risk = crime(workspace)
    url = f"{workspace.base()}edit/risks/new/"
    client = client_for("analyst")
    page = client.post(url, {**risk_data(risk), "key": "crime-lima"}).content.decode()
    assert "already has one with the id “crime-lima”" in page
    page = client.post(url, {**risk_data(risk), "key": "Bad Id"}).content.decode()
    assert "lower-case letters, digits and hyphens" in page
    response = client.post(url, {**risk_data(risk, title="Theft"), "key": "theft"})
    assert response.status_code == 302
    assert Risk.objects.get(version=workspace.version, key="theft").position == 2


@pytest.mark.parametrize("kind", list(PART_KINDS))
def test_every_part_has_a_list_and_a_form(workspace: Workspace, kind: str):
    client = client_for("analyst")
    listing = client.get(f"{workspace.base()}edit/{kind}/")
    assert listing.status_code == 200
    assert PART_KINDS[kind].label in listing.content.decode()
    assert client.get(f"{workspace.base()}edit/{kind}/new/").status_code == 200
    part = PART_KINDS[kind].model.objects.filter(version=workspace.version).first()
    assert part is not None
    assert client.get(f"{workspace.base()}edit/{kind}/{part.pk}/").status_code == 200


def test_adding_a_source_checks_the_admiralty_grade(workspace: Workspace):
    url = f"{workspace.base()}edit/sources/new/"
    client = client_for("analyst")
    data = {
        "key": "un",
        "title": "UN report",
        "kind": "official",
        "reliability": "G",
        "credibility": "9",
    }
    page = client.post(url, data).content.decode()
    assert "Select a valid choice. G is not one of the available choices." in page
    assert client.post(url, {**data, "reliability": "B", "credibility": "2"}).status_code == 302
    assert str(Source.objects.get(version=workspace.version, key="un")) == "UN report (B2)"
    field = Source.objects.get(version=workspace.version, key="field")
    page = client.get(f"{workspace.base()}edit/sources/{field.pk}/").content.decode()
    assert 'value="2024-01-20"' in page  # ISO, as a date picker needs, whatever the locale


def _details(workspace: Workspace, summary: str, **more: str) -> dict[str, str]:
    """The details form as posted: the version's own, a new summary and a review-by date
    before the as-of date (refused)."""
    v = workspace.version
    return {
        "title": v.title,
        "scope": v.scope,
        "summary": summary,
        "as_of": "2024-02-01",
        "review_by": "2024-01-01",
        "author_name": v.author_name,
        **more,
    }


def test_metadata_dates_are_checked(workspace: Workspace):
    client = client_for("analyst")
    url = f"{workspace.base()}edit/metadata/"
    data = _details(workspace, "New summary.")
    page = client.post(url, data).content.decode()
    assert "The review date cannot be before the as-of date." in page
    assert client.post(url, {**data, "review_by": "2025-02-01"}).status_code == 302
    v = workspace.refresh()
    assert v.summary == "New summary." and str(v.review_by) == "2025-02-01"


def test_the_details_saved_and_the_draft_submitted_in_one_click(workspace: Workspace):
    """**Save and submit for review** saves the summary and submits the draft, then shows the
    review page saying so; a refused save submits nothing."""
    client = client_for("analyst")
    url = f"{workspace.base()}edit/metadata/"
    data = _details(workspace, "Road accidents are the greatest threat.", then="submit")
    assert "Save and submit for review" in client.get(url).content.decode()
    refused = client.post(url, data)
    assert refused.status_code == 200 and workspace.refresh().status == "draft"
    response = client.post(url, {**data, "review_by": "2025-02-01"}, follow=True)
    assert response.redirect_chain[-1][0] == f"{workspace.base()}review/"
    assert "Version 1 is now in review." in response.content.decode()
    v = workspace.refresh()
    assert v.status == "in_review" and v.summary == "Road accidents are the greatest threat."


def test_measures_from_the_library_are_copied_into_the_version(workspace: Workspace):
    road = Risk.objects.get(version=workspace.version, key="road")
    url = f"{workspace.base()}edit/risks/{road.pk}/measures/"
    client = client_for("analyst")
    page = client.get(url, {"q": "drivers"}).content.decode()
    assert "MOV-VETTED-DRIVERS" in page
    assert "LOCAL-GUARD" not in page  # the version's guard does not match "drivers"
    assert "MOV-AVOID-PROTESTS" not in page
    assert "MOV-AVOID-PROTESTS" in client.get(url, {"q": "", "all": "1"}).content.decode()
    assert not Mitigation.objects.filter(
        version=workspace.version, code="MOV-VETTED-DRIVERS"
    ).exists()
    client.post(url, {"action": "apply", "code": "MOV-VETTED-DRIVERS"})
    road.refresh_from_db()
    assert road.measures == ["MOV-VETTED-DRIVERS"]
    copied = Mitigation.objects.get(version=workspace.version, code="MOV-VETTED-DRIVERS")
    assert copied.name == "Vetted professional drivers and roadworthy vehicles"
    client.post(url, {"action": "apply", "code": "LOCAL-GUARD"})
    client.post(url, {"action": "remove", "code": "MOV-VETTED-DRIVERS"})
    road.refresh_from_db()
    assert road.measures == ["LOCAL-GUARD"]
    page = client.post(url, {"action": "apply", "code": "NO-SUCH"}, follow=True).content.decode()
    assert "There is no measure “NO-SUCH”" in page


def test_a_risk_named_elsewhere_cannot_be_deleted(workspace: Workspace):
    client = client_for("analyst")
    risk = crime(workspace)
    response = client.post(f"{workspace.base()}edit/risks/{risk.pk}/delete/")
    assert response.status_code == 409
    assert "recommendation “Book a secure taxi.”" in response.content.decode()
    Recommendation.objects.filter(version=workspace.version).delete()
    assert client.post(f"{workspace.base()}edit/risks/{risk.pk}/delete/").status_code == 302
    assert not Risk.objects.filter(pk=risk.pk).exists()


@pytest.mark.parametrize(
    "path",
    [
        "edit/",
        "edit/metadata/",
        "edit/risks/",
        "edit/risks/new/",
        "edit/risks/levels/",
        "edit/sources/",
    ],
)
def test_readers_get_403_and_other_teams_404(workspace: Workspace, path: str):
    url = workspace.base() + path
    assert client_for("reader").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("other-admin").get(url).status_code == 404
    assert client_for("analyst").get(url).status_code == 200


def test_a_reader_cannot_save_a_risk(workspace: Workspace):
    risk = crime(workspace)
    url = f"{workspace.base()}edit/risks/{risk.pk}/"
    assert client_for("reader").post(url, risk_data(risk, title="Hacked")).status_code == 403
    assert client_for("outsider").post(url, risk_data(risk, title="Hacked")).status_code == 404
    risk.refresh_from_db()
    assert risk.title == "Street crime in Lima"


def test_a_frozen_version_refuses_edits(workspace: Workspace):
    workflow.submit_for_review(workspace.version, _user("analyst"))
    workflow.approve(workspace.version, _user("reviewer"))
    risk = crime(workspace)
    client = client_for("analyst")
    page = client.get(f"{workspace.base()}edit/risks/{risk.pk}/")
    assert page.status_code == 409
    assert "is approved and cannot be changed" in page.content.decode()
    response = client.post(f"{workspace.base()}edit/risks/{risk.pk}/", risk_data(risk, title="X"))
    assert response.status_code == 409
    risk.refresh_from_db()
    assert risk.title == "Street crime in Lima"


def test_an_unknown_part_is_404(workspace: Workspace):
    assert client_for("analyst").get(f"{workspace.base()}edit/spells/").status_code == 404


def _user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def test_risks_list_shows_levels_highest_residual_first(workspace: Workspace):
    risks = list(Risk.objects.filter(version=workspace.version))
    assert len(risks) >= 2
    first, last = risks[0], risks[-1]  # stored order
    # Make the last stored risk the worst one: it must now head the list.
    last.residual_likelihood, last.residual_impact = 5, 5
    last.inherent_likelihood, last.inherent_impact = 5, 5
    first.residual_likelihood, first.residual_impact = 1, 1

    def save() -> list[Risk]:  # through the one door, which keeps the register's numbers
        last.save()
        first.save()
        return [last, first]

    writer.change(workspace.version, save, parts=lambda saved: saved)
    page = client_for("analyst").get(f"{workspace.base()}edit/risks/").content.decode()
    assert "<th>Inherent</th><th>Residual</th>" in page
    assert page.index(last.title) < page.index(first.title)
    row = page[page.index(last.title) :]
    row = row[: row.index("</tr>")]
    assert row.count(">very high</span>") == 2  # inherent and residual badges
    tail = page[page.index(first.title) :]
    assert ">very low</span>" in tail[: tail.index("</tr>")]
