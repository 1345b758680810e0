"""Two people edit one part: the second save, made from what they read before the first,
is refused (409) with both values shown, and nothing is overwritten — on the page and on the
API (ETag / If-Match)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from tests.integration.conftest import client_for
from tests.integration.workspace.conftest import Workspace
from tests.integration.workspace.test_editing import risk_data

pytestmark = pytest.mark.django_db


def _revision(page: str) -> str:
    found = re.search(r'name="revision" value="([0-9a-f]+)"', page)
    assert found, "the form carries no revision"
    return found.group(1)


def _api(username: str) -> APIClient:
    user = get_user_model().objects.get(username=username)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_a_stale_page_form_is_refused_and_both_values_are_shown(workspace: Workspace):
    risk = Risk.objects.get(version=workspace.version, key="crime-lima")
    url = f"{workspace.base()}edit/risks/{risk.pk}/"
    a, b = client_for("analyst"), client_for("admin")
    seen_by_a = _revision(a.get(url).content.decode())
    seen_by_b = _revision(b.get(url).content.decode())
    assert seen_by_a == seen_by_b

    saved = a.post(url, {**risk_data(risk, title="Armed robbery in Lima"), "revision": seen_by_a})
    assert saved.status_code == 302
    # B saves the form as they opened it, with only a new rationale.
    stale = risk_data(risk, rationale="New rationale from B.")
    response = b.post(url, {**stale, "revision": seen_by_b})
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this after you opened it" in page
    assert "Armed robbery in Lima" in page and "Street crime in Lima" in page  # both titles
    stored = Risk.objects.get(pk=risk.pk)
    assert stored.title == "Armed robbery in Lima"  # A's title is not gone
    assert stored.rationale == risk.rationale  # and B's change was not half-saved

    # The form now carries what was saved: saving again is a knowing overwrite.
    again = b.post(url, {**stale, "revision": _revision(page)})
    assert again.status_code == 302
    assert Risk.objects.get(pk=risk.pk).rationale == "New rationale from B."


def test_a_stale_details_form_is_refused(workspace: Workspace):
    url = f"{workspace.base()}edit/metadata/"
    a, b = client_for("analyst"), client_for("admin")
    page_b = b.get(url)
    form = page_b.context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    a_data = {**data, "title": "Peru, revised", "revision": _revision(a.get(url).content.decode())}
    assert a.post(url, a_data).status_code == 302
    seen_by_b = _revision(page_b.content.decode())
    response = b.post(url, {**data, "summary": "B's summary", "revision": seen_by_b})
    assert response.status_code == 409
    version = AssessmentVersion.objects.get(pk=workspace.version.pk)
    assert version.title == "Peru, revised" and version.summary != "B's summary"


def test_a_stale_api_update_is_refused_with_both_values(workspace: Workspace):
    risk = Risk.objects.get(version=workspace.version, key="crime-lima")
    url = f"/api/v1/risks/{risk.pk}/"
    a, b = _api("analyst"), _api("admin")
    etag = a.get(url)["ETag"]
    assert etag == b.get(url)["ETag"]

    first = a.patch(url, {"title": "Armed robbery in Lima"}, format="json", HTTP_IF_MATCH=etag)
    assert first.status_code == 200 and first["ETag"] != etag
    second = b.patch(url, {"rationale": "From B."}, format="json", HTTP_IF_MATCH=etag)
    assert second.status_code == 409
    body = second.json()
    assert body["stored"]["title"] == "Armed robbery in Lima"
    assert body["yours"] == {"rationale": "From B."}
    assert second["ETag"] == first["ETag"]
    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.title, stored.rationale) == ("Armed robbery in Lima", risk.rationale)

    # With the current ETag the change goes through; without If-Match the API keeps its old
    # last-write-wins behaviour for clients that do not send one.
    third = b.patch(url, {"rationale": "From B."}, format="json", HTTP_IF_MATCH=second["ETag"])
    assert third.status_code == 200
    assert b.patch(url, {"owner": "Security focal point"}, format="json").status_code == 200


def _sent(form) -> dict[str, list[str]]:
    """What a browser sends for a bound form: every field, hidden ones included."""
    return {key: form.data.getlist(key) for key in form.data if key != "csrfmiddlewaretoken"}


def test_a_field_only_someone_else_changed_keeps_their_value_when_saved_again(
    workspace: Workspace,
):
    """Two tabs: A retitles the risk; B, from the form as it was, writes a new rationale. B's
    save is refused, and the form B gets back holds A's title (B had not changed it) with B's
    rationale, so saving it again loses neither (it put B's stale title back before)."""
    risk = Risk.objects.get(version=workspace.version, key="crime-lima")
    url = f"{workspace.base()}edit/risks/{risk.pk}/"
    a, b = client_for("analyst"), client_for("admin")
    opened_by_b = b.get(url).context["form"]
    seen = {"revision": opened_by_b["revision"].value(), "opened": opened_by_b["opened"].value()}
    retitled = {**risk_data(risk, title="Armed robbery in Lima"), **seen}
    assert a.post(url, retitled).status_code == 302

    response = b.post(url, {**risk_data(risk, rationale="New rationale from B."), **seen})
    assert response.status_code == 409
    page = response.content.decode()
    assert "theirs (you had not changed it)" in page
    # Nothing to correct: the empty citation below the risk is not called wrong.
    assert "Please correct the marked fields" not in page
    assert "Rationale" not in page.split("clash-table")[1].split("</table>")[0]  # B's alone
    form = response.context["form"]
    assert form["title"].value() == "Armed robbery in Lima"
    assert form["rationale"].value() == "New rationale from B."

    again = b.post(url, _sent(form))
    assert again.status_code == 302
    stored = Risk.objects.get(pk=risk.pk)
    assert (stored.title, stored.rationale) == ("Armed robbery in Lima", "New rationale from B.")


def test_a_field_both_changed_keeps_the_editors_value_and_says_so(workspace: Workspace):
    risk = Risk.objects.get(version=workspace.version, key="crime-lima")
    url = f"{workspace.base()}edit/risks/{risk.pk}/"
    a, b = client_for("analyst"), client_for("admin")
    opened_by_b = b.get(url).context["form"]
    seen = {"revision": opened_by_b["revision"].value(), "opened": opened_by_b["opened"].value()}
    assert a.post(url, {**risk_data(risk, title="From A"), **seen}).status_code == 302
    response = b.post(url, {**risk_data(risk, title="From B"), **seen})
    assert response.status_code == 409
    table = response.content.decode().split("clash-table")[1].split("</table>")[0]
    assert "From A" in table and "From B" in table and "<td>yours</td>" in table
    form = response.context["form"]
    assert form["title"].value() == "From B"
    assert b.post(url, _sent(form)).status_code == 302  # a knowing overwrite
    assert Risk.objects.get(pk=risk.pk).title == "From B"
