"""Where an assessment is read or used, one past its review-by date says it is out of date:
its page, the list of assessments and the API (``stale``). The bundled Peru example (review by
31 May 2010, published) still imports from the command line as published, with the warning."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.assessments.writer import import_document
from riskatlas.document import load_document
from tests.integration.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db
WARNING = "Out of date: the review-by date 2010-05-31 has passed."


@pytest.fixture
def peru(peru_yaml: Path, settings) -> AssessmentVersion:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    version = import_document(load_document(peru_yaml), team=ensure_team("Field team")).version
    add_user("reader", "Field team", "reader", PASSWORD)
    return version


def _page(url: str) -> str:
    response = client_for("reader").get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _api(url: str) -> dict:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=get_user_model().objects.get(username="reader"))
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(url)
    assert response.status_code == 200
    return response.json()


def test_the_page_and_the_list_warn(peru: AssessmentVersion):
    assert peru.status == "published"  # the command line keeps the file's status
    page = _page("/assessments/pe-2009/v1/")
    head, menu = page.split('<nav class="subnav"', 1)
    assert menu  # the section menu is there: the warning comes before it
    assert WARNING in head and 'class="stale-warning"' in head
    assert WARNING in _page("/")


def test_the_api_says_stale(peru: AssessmentVersion):
    version = _api("/api/v1/assessments/pe-2009/versions/1/")
    assert version["stale"] is True
    listed = _api("/api/v1/assessments/")["results"][0]
    assert listed["current_version"]["stale"] is True
    versions = _api("/api/v1/assessments/pe-2009/versions/")["results"]
    assert [v["stale"] for v in versions] == [True]


def test_no_warning_before_the_review_by_date(peru: AssessmentVersion):
    ahead = dt.date.today() + dt.timedelta(days=1)
    AssessmentVersion.objects.filter(pk=peru.pk).update(review_by=ahead)
    assert "Out of date" not in _page("/assessments/pe-2009/v1/")
    assert "Out of date" not in _page("/")
    assert _api("/api/v1/assessments/pe-2009/versions/1/")["stale"] is False


NEW_VERSION = 'action="/assessments/pe-2009/new-version/"'


def test_an_analyst_may_start_a_new_version_where_the_warning_is(peru: AssessmentVersion):
    add_user("analyst", "Field team", "analyst", PASSWORD)
    analyst = client_for("analyst")
    head = _page_as(analyst, "/assessments/pe-2009/v1/").split('<nav class="subnav"', 1)[0]
    assert WARNING in head and NEW_VERSION in head and ">New version</button>" in head
    assert NEW_VERSION not in _page("/assessments/pe-2009/v1/")  # a reader may not

    response = analyst.post("/assessments/pe-2009/new-version/")  # the button's own POST
    assert response.status_code == 302 and response["Location"] == "/assessments/pe-2009/v2/edit/"
    head = _page_as(analyst, "/assessments/pe-2009/v1/").split('<nav class="subnav"', 1)[0]
    assert NEW_VERSION not in head  # one draft at a time: the page points at it instead
    assert 'Version 2 (draft) is under way: <a href="/assessments/pe-2009/v2/">' in head


def test_no_new_version_offered_before_the_review_by_date(peru: AssessmentVersion):
    add_user("analyst", "Field team", "analyst", PASSWORD)
    ahead = dt.date.today() + dt.timedelta(days=1)
    AssessmentVersion.objects.filter(pk=peru.pk).update(review_by=ahead)
    assert NEW_VERSION not in _page_as(client_for("analyst"), "/assessments/pe-2009/v1/")


def _page_as(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())
