"""Accepting or rejecting every item the review page shows in one go: only the shown items
still to decide, each recorded as a single decision would be, all or nothing, with a message
that says what was done and what was left and why."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.audit.models import AuditEntry
from riskatlas.apps.drafts.models import DraftItem, SourceDocument
from riskatlas.apps.drafts.services import read_into
from riskatlas.apps.intelligence.models import Evidence, Incident, Source
from tests.integration import test_authorization as walk
from tests.integration.conftest import client_for
from tests.integration.drafts.conftest import FIELD_NOTES

pytestmark = pytest.mark.django_db
BASE = "/assessments/zz-test/v1/drafts/"
TITLE = "Field notes, March 2008"


@pytest.fixture
def document(version: AssessmentVersion) -> SourceDocument:
    return read_into(version, TITLE, FIELD_NOTES)


def _bulk_form(client: Client, document: SourceDocument, query: str = "") -> dict[str, Any]:
    """What the review page's bulk form would post: its hidden fields, and its buttons."""
    page = client.get(f"{BASE}{document.pk}/" + (f"?{query}" if query else "")).content.decode()
    start = page.index('class="draft-bulk"')
    form = page[start : page.index("</form>", start)]
    (kept,) = re.findall(r'name="query" value="([^"]*)"', form)
    return {
        "query": kept.replace("&amp;", "&"),
        "item": re.findall(r'name="item" value="(\d+)"', form),
        "buttons": re.findall(r"(?:Accept|Reject) all shown \(\d+\)", form),
        "html": form,
    }


def _post(client: Client, document: SourceDocument, form: dict[str, Any], **extra: str) -> Any:
    data = {"query": form["query"], "item": form["item"], **extra}
    return client.post(f"{BASE}{document.pk}/items/", data, follow=True)


def _said(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _status(document: SourceDocument) -> dict[int, str]:
    return dict(document.items.values_list("pk", "status"))


def test_accept_all_shown_files_each_under_its_first_risk_and_says_what_is_left(
    document: SourceDocument, analyst: Any
):
    client = client_for("analyst")
    form = _bulk_form(client, document, "kind=category&status=proposed")
    # "It is recommended to use a secure taxi…" is a recommendation, not a threat sentence.
    assert form["buttons"] == ["Accept all shown (4)", "Reject all shown (4)"]
    assert "each one's first risk of its categories" in form["html"]
    before = _status(document)

    response = _post(client, document, form, action="accept")
    assert response.redirect_chain[-1][0] == f"{BASE}{document.pk}/?kind=category&status=proposed"
    assert _said(response) == (
        "Accepted 2 items: 2 threat sentences; 2 left: no risk of their categories. "
        "As evidence under “Street crime in Lima” × 2."
    )
    crime = Risk.objects.get(version=document.version, key="crime-lima")
    filed = {
        i.quote.split(",")[0][:30]: i.target_id
        for i in document.items.filter(kind="category", status="accepted")
    }
    assert filed == {
        "According to official data": crime.pk,
        "Street crime in Huancayo will ": crime.pk,
    }
    for item in document.items.filter(kind="category", status="accepted"):
        assert item.decided_by == analyst and item.decided_at is not None
        assert item.target_kind == "risk"
    ours = Evidence.objects.filter(source__title=TITLE)
    assert sorted(ours.values_list("subject_id", flat=True)) == [crime.pk] * 2
    # The two with no risk of their categories (ACI, KID) are still to decide and still shown.
    left = document.items.filter(kind="category", status="proposed")
    assert sorted(c["code"] for i in left for c in i.payload["categories"]) == ["ACI", "KID"]
    page = response.content.decode()
    assert page.count('class="draft-item ') == 2 and "Accept all shown (2)" in page
    # Nothing outside the filter was touched.
    after = _status(document)
    others = [pk for pk, kind in document.items.values_list("pk", "kind") if kind != "category"]
    # 3 places, an actor, an incident, a trend, a likelihood, a recommendation, a credibility cue
    assert len(others) == 9
    assert {after[pk] for pk in others} == {before[pk] for pk in others} == {"proposed"}


def test_one_picked_risk_for_every_item_filed_under_a_risk(document: SourceDocument):
    client = client_for("analyst")
    road = Risk.objects.get(version=document.version, key="road")
    form = _bulk_form(client, document, "kind=category")
    response = _post(client, document, form, action="accept", risk=str(road.pk))
    assert _said(response) == (
        "Accepted 4 items: 4 threat sentences. As evidence under “Road accident” × 4."
    )
    assert set(document.items.filter(kind="category").values_list("target_id", flat=True)) == {
        road.pk
    }
    assert Evidence.objects.filter(source__title=TITLE, subject_id=road.pk).count() == 4


def test_a_risk_of_another_version_decides_nothing(document: SourceDocument):
    client = client_for("analyst")
    form = _bulk_form(client, document, "kind=category")
    response = _post(client, document, form, action="accept", risk="999999")
    assert _said(response) == "That risk is not in this version: nothing was decided."
    assert set(_status(document).values()) == {"proposed"}


def test_no_risks_no_iso_code_are_left_with_the_reason(document: SourceDocument):
    client = client_for("analyst")
    Risk.objects.filter(version=document.version).delete()
    form = _bulk_form(client, document, "kind=trend")
    assert "No risks yet" in form["html"]
    response = _post(client, document, form, action="accept")
    assert _said(response) == "Accepted 0 items; 1 left: no risk of their categories."
    assert document.items.get(kind="trend").status == "proposed"

    # A place the engine found without an ISO code cannot be accepted in bulk either.
    huancayo = next(i for i in document.items.filter(kind="place") if "Huancayo" in i.quote)
    huancayo.payload = {**huancayo.payload, "iso_3166": None}
    huancayo.save()
    form = _bulk_form(client, document, "kind=place&status=proposed")
    response = _post(client, document, form, action="accept")
    assert _said(response) == (
        "Accepted 2 items: 2 places; 1 left: no ISO 3166 code (add their areas by hand)."
    )
    huancayo.refresh_from_db()
    assert huancayo.status == "proposed"


def test_reject_all_shown_leaves_decided_items_as_they_were(document: SourceDocument):
    client = client_for("analyst")
    incident = document.items.get(kind="incident")
    client.post(f"{BASE}{document.pk}/items/{incident.pk}/", {"action": "accept"})
    incident.refresh_from_db()
    assert incident.status == "accepted"

    form = _bulk_form(client, document)  # all kinds, decided ones shown too
    assert form["buttons"] == ["Accept all shown (12)", "Reject all shown (12)"]
    assert str(incident.pk) not in form["item"]
    response = _post(client, document, form, action="reject")
    assert _said(response) == (
        "Rejected 12 items: 4 threat sentences, 3 places, 1 actor, 1 trend, 1 likelihood, "
        "1 recommendation, 1 credibility cue."
    )
    assert "all shown (" not in response.content.decode()  # nothing left to decide
    again = DraftItem.objects.get(pk=incident.pk)
    assert (again.status, again.decided_at, again.target_id) == (
        "accepted",
        incident.decided_at,
        incident.target_id,
    )
    assert set(_status(document).values()) == {"accepted", "rejected"}
    assert Evidence.objects.filter(source__title=TITLE).count() == 1  # the incident's only


def test_a_stale_page_never_decides_twice(document: SourceDocument):
    client = client_for("analyst")
    form = _bulk_form(client, document, "kind=incident")
    first = _post(client, document, form, action="accept")
    assert _said(first) == "Accepted 1 item: 1 incident."
    decided = DraftItem.objects.get(kind="incident")
    audit = AuditEntry.objects.count()

    second = _post(client, document, form, action="reject")  # the same page, posted again
    assert _said(second) == "Rejected 0 items; 1 left: already decided."
    third = _post(client, document, form, action="accept")
    assert _said(third) == "Accepted 0 items; 1 left: already decided."
    again = DraftItem.objects.get(pk=decided.pk)
    assert (again.status, again.decided_at) == ("accepted", decided.decided_at)
    assert Incident.objects.filter(version=document.version, date="2008-03-12").count() == 1
    assert AuditEntry.objects.count() == audit


def test_items_outside_the_filter_are_never_decided(document: SourceDocument):
    client = client_for("analyst")
    everything = _bulk_form(client, document)
    # A form posted with the place filter but every id (a tampered or confused request).
    forged = {**everything, "query": "kind=place&status=proposed"}
    response = _post(client, document, forged, action="reject")
    assert _said(response) == "Rejected 3 items: 3 places."
    assert response.redirect_chain[-1][0].endswith("?kind=place&status=proposed")
    decided = document.items.exclude(status="proposed")
    assert set(decided.values_list("kind", flat=True)) == {"place"}
    # And only the ids the page listed: none posted, none decided.
    response = _post(client, document, {**everything, "item": []}, action="reject")
    assert _said(response) == "Rejected 0 items."
    assert document.items.filter(status="proposed").count() == 10


def test_each_decision_is_recorded_as_a_single_one_is(document: SourceDocument, analyst: Any):
    client = client_for("analyst")
    form = _bulk_form(client, document, "status=proposed")
    response = _post(client, document, form, action="accept")
    said = _said(response)
    assert said.startswith(
        "Accepted 11 items: 2 threat sentences, 3 places, 1 actor, 1 incident, 1 trend, "
        "1 likelihood, 1 recommendation, 1 credibility cue; 2 left: no risk of their categories."
    ), said
    source = Source.objects.get(version=document.version, title=TITLE)  # one, not one per item
    accepted = document.items.filter(status="accepted")
    assert accepted.count() == 11
    for item in accepted:
        assert item.decided_by == analyst and item.decided_at is not None, item
        assert bool(item.target_id) == (item.kind != "credibility"), item
        if item.kind not in ("place", "credibility"):
            assert Evidence.objects.filter(
                source=source, subject_kind=item.target_kind, subject_id=item.target_id
            ).exists(), item
    # One evidence row per accepted item but places and cues, each in the audit log as the
    # analyst's, made on the web.
    evidence = Evidence.objects.filter(source=source)
    assert evidence.count() == accepted.exclude(kind__in=["place", "credibility"]).count() == 7
    entries = AuditEntry.objects.filter(object_type="evidence", object_id__in=evidence.values("pk"))
    assert (
        sorted(entries.values_list("action", "username", "via"))
        == [("created", "analyst", "web")] * 7
    )
    # Places and the actor exist before the incident that refers to them.
    incident = Incident.objects.get(version=document.version, date="2008-03-12")
    assert incident.area is not None and incident.area.code == "PE-LMA"


def test_an_error_undoes_every_decision_of_the_batch(document: SourceDocument):
    client = client_for("analyst")
    form = _bulk_form(client, document, "status=proposed")
    # A stored item the engine could not have produced: the incident without its date.
    broken = document.items.get(kind="incident")
    broken.payload = {k: v for k, v in broken.payload.items() if k != "when"}
    broken.save()
    audit, evidence = AuditEntry.objects.count(), Evidence.objects.count()
    with pytest.raises(KeyError):
        _post(client, document, form, action="accept")
    assert set(_status(document).values()) == {"proposed"}
    assert (AuditEntry.objects.count(), Evidence.objects.count()) == (audit, evidence)
    assert not Source.objects.filter(title=TITLE).exists()


def test_same_permissions_as_a_single_decision(document: SourceDocument):
    url = f"{BASE}{document.pk}/items/"
    ids = [str(pk) for pk in document.items.values_list("pk", flat=True)]
    data = {"action": "reject", "item": ids}
    assert client_for("reader").post(url, data).status_code == 403
    assert client_for("outsider").post(url, data).status_code == 404
    anonymous = Client().post(url, data)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    analyst = client_for("analyst")
    assert analyst.get(url).status_code == 405
    assert set(_status(document).values()) == {"proposed"}

    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(get_user_model().objects.get(username="analyst"))
    assert csrf.post(url, data).status_code == 403
    assert set(_status(document).values()) == {"proposed"}

    version = document.version
    version.status = "approved"
    version.save()
    assert analyst.post(url, data).status_code == 409
    assert set(_status(document).values()) == {"proposed"}


def test_the_authorization_walk_covers_the_bulk_url(document: SourceDocument):
    urls = walk._urls({"version": document.version})
    assert (f"/assessments/zz-test/v2/drafts/{document.pk}/items/", "decide_all") in urls
