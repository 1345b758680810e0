"""Who reads which versions through the API (``api.access.visible_versions``: the pages' rule,
every version of a team where one is an analyst or stronger, the published ones of the other
teams one is in), for a member of two teams with different roles, a reader, a user of no
team and a superuser; and what the API list costs in work (issue 13)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.reverse import reverse
from rest_framework.test import APIClient, APIRequestFactory

from riskatlas.apps.accounts.models import Membership, Role
from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from tests.integration.api.conftest import A_SLUG, B_SLUG, PASSWORD, World

pytestmark = pytest.mark.django_db
LIST = "/api/v1/assessments/"


@pytest.fixture
def both_drafted(peru_world: World, documents: dict[str, dict[str, Any]]) -> World:
    """Team B's Peru has a draft version 2 beside its published version 1 (as team A's)."""
    draft = copy.deepcopy(documents[B_SLUG])
    draft["assessment"]["status"] = "draft"
    import_document(draft, team=ensure_team("Other team"))
    return peru_world


def client_of(username: str, *, team: str | None, role: str = Role.READER) -> APIClient:
    """A token client for a new user: in ``team`` with ``role``, in none for None."""
    if team is None:
        user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    else:
        add_user(username, team, role, PASSWORD)
        user = get_user_model().objects.get(username=username)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def reads(client: APIClient) -> dict[str, list[tuple[int, str]]]:
    """Each listed assessment's readable versions, as (number, status), and its current one."""
    listed = client.get(LIST).json()["results"]
    seen = {}
    for item in listed:
        versions = client.get(f"{LIST}{item['slug']}/versions/").json()["results"]
        current = item["current_version"]
        seen[item["slug"]] = [(v["number"], v["status"]) for v in versions]
        seen[item["slug"]].append((current["number"], f"current {current['status']}"))
    return seen


def test_a_member_of_two_teams_reads_each_by_its_role_there(both_drafted: World):
    two = client_of("two-teams", team="Field team", role=Role.ANALYST)
    user = get_user_model().objects.get(username="two-teams")
    Membership.objects.create(user=user, team=ensure_team("Other team"), role=Role.READER)
    assert reads(two) == {
        A_SLUG: [(1, "published"), (2, "draft"), (1, "current published")],
        B_SLUG: [(1, "published"), (1, "current published")],  # a reader there: no draft
    }
    assert two.get(f"{LIST}{A_SLUG}/versions/2/").status_code == 200
    assert two.get(f"{LIST}{B_SLUG}/versions/2/").status_code == 404
    assert two.get(f"{LIST}{B_SLUG}/versions/2/document/").status_code == 404
    risks = two.get("/api/v1/risks/?page_size=500").json()["results"]
    assert {(r["assessment"], r["version"]) for r in risks} == {
        (A_SLUG, 1),
        (A_SLUG, 2),
        (B_SLUG, 1),
    }


def test_readers_others_and_superusers(both_drafted: World):
    assert reads(both_drafted.client("b-reader")) == {
        B_SLUG: [(1, "published"), (1, "current published")]
    }
    assert reads(both_drafted.client("a-analyst")) == {
        A_SLUG: [(1, "published"), (2, "draft"), (1, "current published")]
    }
    nobody = client_of("no-team", team=None)
    assert nobody.get(LIST).json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert nobody.get(f"{LIST}{A_SLUG}/versions/").status_code == 404
    assert nobody.get("/api/v1/risks/").json()["count"] == 0
    root = client_of("root", team=None)
    get_user_model().objects.filter(username="root").update(is_superuser=True)
    assert reads(root) == {
        A_SLUG: [(1, "published"), (2, "draft"), (1, "current published")],
        B_SLUG: [(1, "published"), (2, "draft"), (1, "current published")],
    }


def test_the_api_list_reads_the_memberships_once(both_drafted: World):
    analyst = both_drafted.client("a-analyst")
    assert analyst.get(LIST).status_code == 200  # once-per-process work first
    with CaptureQueriesContext(connection) as captured:
        assert analyst.get(LIST).json()["count"] == 1
    memberships = [q["sql"] for q in captured.captured_queries if "membership" in q["sql"]]
    # One read of the user's roles, not the memberships nested again in the count, the list
    # and its versions (each such query cost more to build than to run).
    assert len(memberships) == 1, memberships


def test_the_api_list_works_out_its_fields_once(
    both_drafted: World, monkeypatch: pytest.MonkeyPatch
):
    built: list[str] = []
    build_field = serializers.ModelSerializer.build_field

    def counted(self: Any, field_name: str, *args: Any) -> Any:
        built.append(field_name)
        return build_field(self, field_name, *args)

    monkeypatch.setattr(serializers.ModelSerializer, "build_field", counted)
    analyst = both_drafted.client("a-analyst")
    first = analyst.get(LIST).json()
    built.clear()
    assert analyst.get(LIST).json() == first
    assert built == []  # not again from the model for each request


def test_the_list_links_are_the_routes_own(
    both_drafted: World, documents: dict[str, dict[str, Any]]
):
    # Each route is reversed once for the list and the row's slug and number written in: the
    # links must be those reversed for each row, whatever its slug holds.
    odd = copy.deepcopy(documents[B_SLUG])
    odd["assessment"]["slug"] = "x-987654321-0slug0mark-987654321"
    import_document(odd, team=ensure_team("Other team"))
    listed = both_drafted.client("b-reader").get(LIST, {"format": "json"}).json()["results"]
    request = APIRequestFactory().get(LIST, {"format": "json"})
    assert [row["slug"] for row in listed] == [B_SLUG, odd["assessment"]["slug"]]
    for row in listed:
        slug, number = row["slug"], row["current_version"]["number"]
        assert row["url"] == reverse("api:assessment-detail", args=[slug], request=request)
        assert row["versions_url"] == reverse("api:version-list", args=[slug], request=request)
        version = reverse("api:version-detail", args=[slug, number], request=request)
        assert row["current_version"]["url"] == version
        assert version.endswith(f"/api/v1/assessments/{slug}/versions/{number}/?format=json")
