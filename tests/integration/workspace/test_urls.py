"""Walk every editing, citing, workflow and audit URL as each role and as another team."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, get_resolver, reverse

from riskatlas.apps.assessments import workflow
from riskatlas.apps.assessments.views import citing, editing
from riskatlas.apps.assessments.views import workflow as workflow_views
from riskatlas.apps.audit import views as audit_views
from tests.integration.conftest import client_for
from tests.integration.workspace.conftest import Workspace
from tests.integration.workspace.urls_under_test import WORKSPACE_URLS

pytestmark = pytest.mark.django_db

RANK = {"reader": 1, "analyst": 2, "reviewer": 3, "admin": 4}


def test_every_route_of_these_views_is_listed():
    modules = {editing.__name__, citing.__name__, workflow_views.__name__, audit_views.__name__}
    routed = set()
    for pattern in get_resolver().url_patterns:
        for sub in getattr(pattern, "url_patterns", [pattern]):
            if isinstance(sub, URLPattern) and sub.callback.__module__ in modules:
                routed.add(f"assessments:{sub.name}")
    assert routed == {u.name for u in WORKSPACE_URLS}


def _call(client, method: str, url: str):
    return client.post(url) if method == "POST" else client.get(url)


@pytest.mark.parametrize("case", WORKSPACE_URLS, ids=lambda c: c.name)
def test_no_leak_to_another_team_or_a_weaker_role(workspace: Workspace, case):
    kwargs = case.kwargs(workspace.version)
    url = reverse(case.name, kwargs=kwargs)
    for who in ("outsider", "other-admin"):
        response = _call(client_for(who), case.method, url)
        if case.role is None:
            assert response.status_code == 200
            assert "zz-test" not in response.content.decode()
        elif case.name == "assessments:audit":
            expected = 200 if who == "other-admin" else 403
            assert response.status_code == expected
            assert "zz-test" not in response.content.decode()
        else:
            assert response.status_code == 404, (who, url)
            assert client_for(who).get(url).status_code == 404, (who, "GET", url)
    for who, rank in RANK.items():
        response = _call(client_for(who), case.method, url)
        if case.role is None or rank >= RANK[case.role]:
            # Readers see published versions only; this one is a draft.
            # Readers see published versions only, and this version is a draft.
            hidden = (
                who == "reader" and case.role == "reader" and bool({"number", "old"} & set(kwargs))
            )
            expected = {404} if hidden else {200, 302}
        else:
            expected = {403}
        assert response.status_code in expected, (who, case.method, url, response.status_code)


@pytest.mark.parametrize(
    "case",
    [c for c in WORKSPACE_URLS if c.name.startswith("assessments:edit") or "risk" in c.name],
    ids=lambda c: c.name,
)
def test_editing_urls_refuse_a_frozen_version(workspace: Workspace, case):
    analyst = client_for("analyst")
    workflow.submit_for_review(workspace.version, _user("analyst"))
    workflow.approve(workspace.version, _user("reviewer"))
    url = reverse(case.name, kwargs=case.kwargs(workspace.version))
    assert analyst.get(url).status_code == 409
    assert analyst.post(url).status_code == 409


@pytest.mark.parametrize(
    "case",
    [c for c in WORKSPACE_URLS if c.name.startswith("assessments:edit") or "risk" in c.name],
    ids=lambda c: c.name,
)
def test_editing_urls_refuse_a_version_in_review(workspace: Workspace, case):
    workflow.submit_for_review(workspace.version, _user("analyst"))
    url = reverse(case.name, kwargs=case.kwargs(workspace.version))
    for who in ("analyst", "reviewer"):
        assert client_for(who).get(url).status_code == 409, (who, url)
        response = client_for(who).post(url)
        assert response.status_code == 409, (who, url)
        assert "is in review and cannot be changed" in response.content.decode()


def _user(name: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)
