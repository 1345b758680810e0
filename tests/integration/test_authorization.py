"""Walks every page route of the web app as each role of the owning team, as a reader of
another team and anonymously, and fails on any leak. A new route whose parameters this walk
cannot fill fails the test, so nothing is left unchecked. (API routes: tests/integration/api.)"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.assessments.models import Assessment
from tests.integration.conftest import PASSWORD, import_published_and_draft

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("admin/", "api/", "static/", "accounts/login/", "accounts/logout/")
SECRET_MARKERS = (
    "Testland security risk assessment",
    "zz-test",
    "Street crime in Lima",
    "Testland field trip",
)
# A traveller's contact details: only the traveller, the team's approvers and admins see them.
PERSONAL_MARKER = "zz-traveller@example.org"


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or ""


@pytest.fixture
def world(everything_yaml: Path) -> dict[str, Any]:
    team = import_published_and_draft(everything_yaml, "Street crime in Lima, revised")
    for name, team_name, role in (
        ("a-reader", "Field team", "reader"),
        ("a-analyst", "Field team", "analyst"),
        ("a-reviewer", "Field team", "reviewer"),
        ("a-admin", "Field team", "admin"),
        ("b-reader", "Other team", "reader"),
        ("b-admin", "Other team", "admin"),
    ):
        add_user(name, team_name, role, PASSWORD)
    version2 = Assessment.objects.get(slug="zz-test").versions.get(number=2)
    from riskatlas.apps.drafts.services import read_into

    read_into(version2, "Street crime in Lima: field notes", "Armed robbery in Lima rose in 2008.")
    return {"version": version2, **_travel(team)}


def _travel(team: Any) -> dict[str, Any]:
    """Team A's trip, its traveller (with contact details) and an approver role."""
    from riskatlas.apps.travel.interchange import save_trip
    from riskatlas.apps.travel.models import ApproverRole

    trip = save_trip(
        team,
        {
            "riskatlas_trip": 1,
            "trip": {"id": "testland-trip", "title": "Testland field trip"},
            "travellers": [
                {
                    "id": "zz-traveller",
                    "name": "Zara Traveller",
                    "staff": "national",
                    "email": PERSONAL_MARKER,
                    "emergency_contact": {"name": "Zed Contact", "phone": "+1 555 0100"},
                }
            ],
            "segments": [
                {"place": "PE-LMA", "start": "2027-03-15", "end": "2027-03-16"},
                {"place": "PE-CUS", "start": "2027-03-17", "end": "2027-03-18", "transport": "air"},
            ],
        },
    )
    role = ApproverRole.objects.create(
        team=team, user=get_user_model().objects.get(username="a-reviewer"), role="line-manager"
    )
    return {"trip": trip, "approver_role": role}


def _values(world: dict[str, Any]) -> dict[str, list[str]]:
    """Concrete values for every URL parameter the app uses, all pointing at team A's data."""
    from riskatlas.apps.assessments.report_files import REPORT_TYPES

    values: dict[str, list[str]] = {
        "slug": ["zz-test"],
        "number": ["2", "1"],
        "fmt": list(REPORT_TYPES),
        "old": ["1"],
        "new": ["2"],
        "key": ["crime-lima"],
        # Travel (riskatlas/apps/travel): team A's trip, traveller, team and approver role.
        # (a world without them, as another walk's, gets ids that name nothing: 404s.)
        "trip": [str(world["trip"].pk) if "trip" in world else "0"],
        "traveller": [str(world["trip"].travellers.get().pk) if "trip" in world else "0"],
        "team": ["field-team"],
        "role": [str(world["approver_role"].pk) if "approver_role" in world else "0"],
        # Duty of care (riskatlas/apps/care): a check-in link's token (a forged one here) and a
        # check-in id.
        "token": ["not-a-signed-token"],
        "check_in": ["1"],
    }
    try:
        from riskatlas.apps.assessments.views.editing import PART_KINDS
        from riskatlas.apps.assessments.views.workflow import STEPS
    except ImportError:  # pragma: no cover - editing not installed
        return values
    version = world["version"]
    values["kind"] = list(PART_KINDS)
    values["action"] = [*STEPS, "comment"]
    values["pk"] = []
    for kind in PART_KINDS.values():
        first = kind.model.objects.filter(version=version).first()
        if first is not None:
            values["pk"].append(str(first.pk))
    from riskatlas.apps.drafts.models import DraftItem

    item = DraftItem.objects.filter(document__version=version).first()
    values["document"] = [str(item.document_id)] if item else []
    values["item"] = [str(item.pk)] if item else []
    return values


def _urls(world: dict[str, Any]) -> list[tuple[str, str]]:
    values = _values(world)
    out = []
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or route == "":
            continue
        params = re.findall(r"<(?:\w+:)?(\w+)>", route)
        missing = [p for p in params if p not in values or not values[p]]
        assert not missing, f"the authorization walk cannot fill {missing} in {route!r}: add them"
        url = "/" + route
        for param in params:
            url = re.sub(r"<(?:\w+:)?" + param + ">", values[param][0], url, count=1)
        out.append((url, name))
        # Parameterised routes: also every value of kind/fmt/action (first pk only).
        for param in ("kind", "fmt", "action"):
            if param in params:
                for value in values[param][1:]:
                    other = re.sub(values[param][0], value, url, count=1)
                    out.append((other, name))
    assert len(out) >= 8
    return out


def _team_a_object(url: str) -> bool:
    """A route naming one of team A's travel objects (trip, traveller, team)."""
    return "/field-team/" in url or re.match(r"^/(trips|travellers)/\d+/", url) is not None


def _client(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def test_another_teams_users_never_see_team_a(world: dict[str, Any]):
    leaks = []
    for username in ("b-reader", "b-admin"):
        client = _client(username)
        for url, name in _urls(world):
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                body = response.content.decode("utf-8", "replace")
                if "zz-test" in url or _team_a_object(url):
                    # 405 (wrong method) is answered before any lookup: it reveals nothing.
                    if response.status_code not in (404, 405):
                        leaks.append(
                            f"{username} {method.upper()} {url} ({name}) -> "
                            f"{response.status_code}, expected 404"
                        )
                elif any(marker in body for marker in SECRET_MARKERS):
                    leaks.append(f"{username} {method.upper()} {url} ({name}) shows team A data")
    assert leaks == []


# Routes that work without signing in: the emailed check-in link and its "I need help" (a
# signed, single-purpose, expiring token; a forged one is refused to everyone alike).
PUBLIC_ROUTES = {"check-in-link", "help-link"}
# Routes that change only the user's own settings, never the team's data: the notifications
# (marked read, email preferences).
OWN_ROUTES = {"read-all", "preferences"}


def test_anonymous_users_are_sent_to_the_login_page(world: dict[str, Any]):
    client = _client(None)
    for url, name in [("/", "list"), *_urls(world)]:
        if name in PUBLIC_ROUTES:
            assert client.post(url).status_code == 410, url
            assert client.get(url).status_code in (405, 410), url  # "I need help" is a POST
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, f"{method} {url}"
            assert response["Location"].startswith("/accounts/login/"), url


def test_team_a_reader_reads_but_changes_nothing(world: dict[str, Any]):
    client = _client("a-reader")
    from riskatlas.apps.audit.models import AuditEntry

    before = AuditEntry.objects.count()
    problems = []
    for url, name in _urls(world):
        if name in OWN_ROUTES:
            continue
        response = client.post(url, {"comment": "x", "title": "changed by a reader"})
        if name in PUBLIC_ROUTES and response.status_code == 410:
            continue
        if response.status_code not in (403, 404, 405):
            problems.append(f"POST {url} ({name}) -> {response.status_code}")
    assert problems == []
    assert AuditEntry.objects.count() == before
    # Reading the published version works; the draft is not for readers.
    assert client.get("/assessments/zz-test/v1/").status_code == 200
    assert client.get("/assessments/zz-test/v2/").status_code == 404


def test_travellers_contact_details_only_for_the_traveller_approvers_and_admins(
    world: dict[str, Any],
):
    """Every page, as each user: the traveller's email shows only to the team's admin and to
    the approver (a-reviewer holds an approver role), never to its reader or analyst, nor to
    another team."""
    urls = [(url, name) for url, name in _urls(world)]
    seen: dict[str, list[str]] = {}
    for username in ("a-reader", "a-analyst", "a-reviewer", "a-admin", "b-reader", "b-admin"):
        client = _client(username)
        for url, name in urls:
            body = client.get(url).content.decode("utf-8", "replace")
            if PERSONAL_MARKER in body:
                seen.setdefault(username, []).append(name)
    assert set(seen) == {"a-reviewer", "a-admin"}, seen
    assert "trip" in seen["a-admin"] and "travellers" in seen["a-reviewer"]
