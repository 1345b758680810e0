"""Getting and using a token, signing in through the browser session, and throttling."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from tests.integration.api.conftest import A_SLUG, PASSWORD, World

pytestmark = pytest.mark.django_db


def test_a_token_from_username_and_password_opens_the_api(world: World):
    client = APIClient()
    response = client.post(
        "/api/v1/token/", {"username": "a-reader", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == world.tokens["a-reader"]  # the user's one token, not a new one each time
    assert client.get("/api/v1/assessments/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    slugs = [a["slug"] for a in client.get("/api/v1/assessments/").json()["results"]]
    assert slugs == [A_SLUG]


def test_a_form_post_works_too(world: World):
    response = Client().post("/api/v1/token/", {"username": "b-reader", "password": PASSWORD})
    assert response.json() == {"token": world.tokens["b-reader"]}


def test_wrong_password_or_token_is_refused(world: World):
    response = APIClient().post(
        "/api/v1/token/", {"username": "a-reader", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "Unable to log in" in response.json()["non_field_errors"][0]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/v1/risks/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."
    assert response["WWW-Authenticate"] == "Token"


def test_token_requests_are_throttled(world: World):
    client = APIClient()
    statuses = [
        client.post(
            "/api/v1/token/", {"username": f"nobody-{i}", "password": "x"}, format="json"
        ).status_code
        for i in range(11)
    ]
    assert statuses == [400] * 10 + [429]
    response = client.post(
        "/api/v1/token/", {"username": "a-reader", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 429  # even with the right password, until the wait is over
    assert "Retry-After" in response


def test_repeated_failures_lock_the_account_out_of_the_token_route_too(world: World):
    client = APIClient()
    for _ in range(5):
        client.post("/api/v1/token/", {"username": "a-analyst", "password": "no"}, format="json")
    response = client.post(
        "/api/v1/token/", {"username": "a-analyst", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json()


def test_the_browser_session_works_and_changes_need_the_csrf_token(world: World):
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="a-analyst"))
    response = client.get("/api/v1/risks/?assessment=zz-test&version=2")
    assert response.status_code == 200 and response.json()["count"] == 2
    risk = response.json()["results"][0]["id"]
    response = client.patch(
        f"/api/v1/risks/{risk}/", {"title": "Via the browser"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


@pytest.mark.parametrize("username", ["a-reader", "a-analyst"])
def test_the_browsable_api_renders_for_a_signed_in_user(world: World, username: str):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get("/api/v1/risks/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "Street crime in Lima" in response.content.decode()
    risk = client.get("/api/v1/risks/?version=1").json()["results"][0]["id"]
    page = client.get(f"/api/v1/risks/{risk}/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and "Street crime in Lima" in page.content.decode()
    page = client.get(f"/api/v1/assessments/{A_SLUG}/versions/1/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
