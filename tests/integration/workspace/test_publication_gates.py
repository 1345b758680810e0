"""Publication gates and four eyes in the browser: approving and publishing refuse a version
that lacks an executive summary, a review-by date ahead, a level (or a reason) for every area
or a rationale on a risk — every reason at once — and a reviewer approving their own
submission; a team can switch single gates and four eyes off."""

from __future__ import annotations

import copy
import datetime as dt
import html
import re

import pytest

from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments import workflow
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import AssessmentVersion, ContextSection, Risk, Status
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.method.gates import TO_WRITE
from tests.integration.browser_form import form_as_sent
from tests.integration.conftest import client_for
from tests.integration.workspace.conftest import TEAM, Workspace

pytestmark = pytest.mark.django_db


def _user(name: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def step(base: str, who: str, action: str) -> str:
    page = client_for(who).post(f"{base}review/{action}/", {"text": ""}, follow=True)
    return html.unescape(page.content.decode())


@pytest.fixture
def incomplete(workspace: Workspace) -> AssessmentVersion:
    """A draft of Colombia-like shape: no summary, review-by date past, areas without a level
    or a reason, a risk without a rationale."""
    doc = copy.deepcopy(workspace.doc)
    doc["assessment"]["slug"] = "zz-gates"
    del doc["assessment"]["summary"]
    doc["assessment"]["review_by"] = "2010-06-30"
    doc["areas"].append({"code": "PE-LOR"})
    for risk in doc["risks"]:
        if risk["area"] == "PE":
            risk["area"] = "PE-LMA"  # no country-wide risk left
        if risk["id"] == "crime-lima":
            risk["rationale"] = " "  # the format asks for text; a space is no rationale
    return import_document(doc, team=ensure_team(TEAM)).version


def test_approving_refuses_with_every_reason(incomplete: AssessmentVersion):
    base = f"/assessments/zz-gates/v{incomplete.number}/"
    step(base, "analyst", "submit")
    page = step(base, "reviewer", "approve")
    assert "version 1 cannot be approved:" in page
    for reason in (
        "no executive summary",
        "review-by date 2010-06-30 is past",
        "area Peru (PE): not assessed without a reason",
        "area Ayacucho (PE-AYA): not assessed without a reason",
        "area Loreto (PE-LOR): not assessed without a reason",
        "risk R2 “Street crime in Lima” has no rationale",
    ):
        assert reason in page
    incomplete.refresh_from_db()
    assert incomplete.status == Status.IN_REVIEW and not incomplete.is_frozen


def test_the_review_page_says_what_is_missing_before_anyone_clicks(
    workspace: Workspace, incomplete: AssessmentVersion
):
    section = ContextSection.objects.filter(version=incomplete).order_by("position").first()
    assert section is not None
    section.text = TO_WRITE.format(title="Peru 2009", country="Peru")
    section.save()
    page = client_for("analyst").get("/assessments/zz-gates/v1/review/").content.decode()
    page = html.unescape(page)
    assert "Before it can be approved:" in page
    # Each reason leads to where the draft is put right, and saving there comes back here.
    edit = "/assessments/zz-gates/v1/edit/"
    back = "?next=%2Fassessments%2Fzz-gates%2Fv1%2Freview%2F%23gate-reasons"
    loreto = AssessmentArea.objects.get(version=incomplete, code="PE-LOR")
    crime = Risk.objects.get(version=incomplete, key="crime-lima")
    for url, reason in (
        (f"metadata/{back}#id_summary", "no executive summary"),
        (f"metadata/{back}#id_review_by", "review-by date 2010-06-30 is past"),
        (f"areas/{loreto.pk}/{back}", "area Loreto (PE-LOR): not assessed without a reason"),
        (f"risks/{crime.pk}/{back}", "risk R2 “Street crime in Lima” has no rationale"),
        (f"context/{section.pk}/{back}", "context section 1 “Government”: its text is still"),
    ):
        assert f'<li><a href="{edit}{url}">{reason}' in page
    assert "Loreto" in client_for("analyst").get(f"{edit}areas/{loreto.pk}/").content.decode()
    # A complete version has nothing to put right; once in review, four eyes shows.
    assert (
        "Before it can be"
        not in client_for("analyst").get(f"{workspace.base()}review/").content.decode()
    )
    step(workspace.base(), "reviewer", "submit")
    page = html.unescape(client_for("reviewer").get(f"{workspace.base()}review/").content.decode())
    assert "<li>you submitted this version: another reviewer must approve it</li>" in page
    # Locked in review: the reasons are said, not linked to an editor that would refuse.
    step(f"/assessments/zz-gates/v{incomplete.number}/", "analyst", "submit")
    page = client_for("reviewer").get("/assessments/zz-gates/v1/review/").content.decode()
    assert "<li>no executive summary</li>" in page and "/edit/metadata/#" not in page


def _reason_links(page: str) -> dict[str, str]:
    """The review page's reasons that are links: the reason's words -> where it leads."""
    return {
        text: html.unescape(url) for url, text in re.findall(r'<li><a href="([^"]+)">([^<]+)', page)
    }


def test_saving_where_a_reason_led_comes_back_to_the_review_page(
    incomplete: AssessmentVersion,
):
    """A reason on the review page leads to where it is put right (the details, the context
    section, the risk); saving the form there, as the browser sends it, comes back to the
    review page's reasons, where the reason put right is gone."""
    section = ContextSection.objects.filter(version=incomplete).order_by("position").first()
    assert section is not None
    section.text = TO_WRITE.format(title="Peru 2009", country="Peru")
    section.save()
    review = "/assessments/zz-gates/v1/review/"
    client = client_for("analyst")
    for starts, change in (
        # (the fixture's review-by date, before its as-of date, is put right with it)
        ("no executive summary", {"summary": "Crime in Lima.", "review_by": "2099-06-30"}),
        ("context section 1 “Government”", {"text": "A coalition government since 2022."}),
        ("risk R2 “Street crime in Lima”", {"rationale": "Robberies of foreigners rise."}),
    ):
        page = html.unescape(client.get(review).content.decode())
        links = _reason_links(page)
        [(reason, link)] = [(r, url) for r, url in links.items() if r.startswith(starts)]
        form_page = client.get(link)
        assert form_page.status_code == 200
        sent = {**form_as_sent(form_page.content.decode()), **change}
        assert sent["next"] == [f"{review}#gate-reasons"]  # carried by the form
        saved = client.post(link.split("#")[0], sent)
        assert saved.status_code == 302, (saved.context["form"].errors, sent)
        assert saved["Location"] == f"{review}#gate-reasons"
        after = html.unescape(client.get(saved["Location"]).content.decode())
        assert reason not in after and "Before it can be approved:" in after
    # Without a reason to come back to, saving goes where it always went.
    form = form_as_sent(client.get(link.split("?")[0]).content.decode())
    assert "next" not in form
    crime = Risk.objects.get(version=incomplete, key="crime-lima")
    assert client.post(link.split("?")[0], form)["Location"] == (
        f"/assessments/zz-gates/v1/edit/risks/{crime.pk}/"
    )


@pytest.mark.parametrize(
    "elsewhere",
    [
        "https://elsewhere.example/",
        "//elsewhere.example/",
        "/\\elsewhere.example/",
        "/\t/elsewhere.example/",
        "javascript:alert(1)",
        "elsewhere.example",
    ],
)
def test_a_next_off_the_site_is_not_followed(incomplete: AssessmentVersion, elsewhere: str):
    """Only a path of this site is gone back to: the details saved from a link that says to
    go elsewhere land on the editor's overview, and the form does not carry it."""
    url = "/assessments/zz-gates/v1/edit/metadata/"
    client = client_for("analyst")
    page = client.get(url, {"next": elsewhere}).content.decode()
    assert "elsewhere" not in page
    sent = {**form_as_sent(page), "review_by": "2099-06-30", "next": elsewhere}
    saved = client.post(url, sent)
    assert saved.status_code == 302 and saved["Location"] == "/assessments/zz-gates/v1/edit/"


def test_an_analyst_who_submitted_is_not_told_another_reviewer_must_approve(
    workspace: Workspace,
):
    """Four eyes is the reviewer's rule: the analyst who submitted a complete version approves
    nothing, so their review page has nothing to put right; the reviewer has the buttons."""
    step(workspace.base(), "analyst", "submit")
    page = html.unescape(client_for("analyst").get(f"{workspace.base()}review/").content.decode())
    assert 'Status: <span class="status status-in_review">In review</span>' in page
    assert "another reviewer must approve it" not in page and "Before it can be" not in page
    review = client_for("reviewer").get(f"{workspace.base()}review/").content.decode()
    assert _step_buttons(review)["Approve (freezes it)"] is True


def _step_buttons(page: str) -> dict[str, bool]:
    """Each workflow button on a review page: its label -> whether it can be pressed."""
    found = re.findall(
        r"<button type=\"submit\" class=\"button[^\"]*\"([^>]*)>([^<]+)</button>", page
    )
    return {label: "disabled" not in attrs for attrs, label in found}


def test_a_step_the_gates_refuse_is_not_offered_as_a_button_to_press(
    workspace: Workspace, incomplete: AssessmentVersion
):
    step("/assessments/zz-gates/v1/", "analyst", "submit")
    page = html.unescape(
        client_for("reviewer").get("/assessments/zz-gates/v1/review/").content.decode()
    )
    assert "Before it can be approved:" in page
    # Approving would be refused: both approving buttons are off and point at the reasons;
    # returning the version to draft, the way forward, stays on.
    assert _step_buttons(page) == {
        "Approve (freezes it)": False,
        "Approve and publish": False,
        "Return to draft": True,
        "Add comment only": True,
    }
    assert page.count('aria-describedby="gate-reasons"') == 2
    assert 'id="gate-reasons"' in page
    # A version with nothing to put right offers them.
    step(workspace.base(), "analyst", "submit")
    page = client_for("reviewer").get(f"{workspace.base()}review/").content.decode()
    assert _step_buttons(html.unescape(page)) == {
        "Approve (freezes it)": True,
        "Approve and publish": True,
        "Return to draft": True,
        "Add comment only": True,
    }


def test_a_reason_makes_an_area_pass(incomplete: AssessmentVersion):
    base = f"/assessments/zz-gates/v{incomplete.number}/"
    area = AssessmentArea.objects.get(version=incomplete, code="PE-LOR")
    form = {"code": "PE-LOR", "name": "Loreto", "parts": "", "description": ""}
    form["not_assessed_reason"] = "No project activity; not visited."
    response = client_for("analyst").post(f"{base}edit/areas/{area.pk}/", form)
    assert response.status_code == 302, response.content.decode()[-2000:]
    area.refresh_from_db()
    assert area.not_assessed_reason == "No project activity; not visited."
    step(base, "analyst", "submit")
    page = step(base, "reviewer", "approve")
    assert "(PE-LOR)" not in page
    assert "area Ayacucho (PE-AYA): not assessed without a reason" in page


def test_publishing_checks_again(workspace: Workspace):
    ws = workspace
    step(ws.base(), "analyst", "submit")
    assert "Version 1 is now approved." in step(ws.base(), "reviewer", "approve")
    # Time passes between approval and publication: the review-by date goes by.
    AssessmentVersion.objects.filter(pk=ws.version.pk).update(review_by=dt.date(2010, 6, 30))
    page = step(ws.base(), "reviewer", "publish")
    assert "version 1 cannot be published: review-by date 2010-06-30 is past" in page
    assert ws.refresh().status == Status.APPROVED


def test_a_reviewer_cannot_approve_their_own_submission(workspace: Workspace):
    ws = workspace
    step(ws.base(), "reviewer", "submit")
    page = step(ws.base(), "reviewer", "approve")
    assert "you submitted this version: another reviewer must approve it" in page
    assert ws.refresh().status == Status.IN_REVIEW
    assert "Version 1 is now approved." in step(ws.base(), "admin", "approve")


def test_a_team_switches_four_eyes_and_single_gates_off(workspace: Workspace):
    ws = workspace
    team = ws.version.assessment.team
    team.four_eyes = False
    team.gates_off = ["summary"]
    team.save()
    AssessmentVersion.objects.filter(pk=ws.version.pk).update(summary="")
    step(ws.base(), "reviewer", "submit")
    assert "Version 1 is now approved." in step(ws.base(), "reviewer", "approve")
    assert "Version 1 is now published." in step(ws.base(), "reviewer", "publish")


def test_the_admin_shows_the_gates_by_name(workspace: Workspace):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("boss", password="x")
    team = workspace.version.assessment.team
    client = client_for("boss")
    page = client.get(f"/admin/accounts/team/{team.pk}/change/").content.decode()
    assert "Executive summary (summary)" in page and "Four eyes" in page
    form = {"name": team.name, "slug": team.slug, "gates_off": ["review-by"]}
    form |= {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}
    response = client.post(f"/admin/accounts/team/{team.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    team.refresh_from_db()
    assert team.gates_off == ["review-by"] and team.four_eyes is False  # unticked


def test_the_service_refuses_too(workspace: Workspace):
    """Every path (pages, API, scripts) goes through workflow.approve."""
    workflow.submit_for_review(workspace.version, _user("reviewer"))
    with pytest.raises(workflow.GatesRefused) as refused:
        workflow.approve(workspace.version, _user("reviewer"))
    assert refused.value.reasons == ["you submitted this version: another reviewer must approve it"]
