"""Two teams for the API tests. Team A ("Field team") owns zz-test: version 1 published and
version 2 a draft whose titles carry DRAFT_MARK; team B ("Other team") owns pe-2009."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.document import load_document

PASSWORD = "a-long-test-password-1"
DRAFT_MARK = "DRAFTMARK"
A_SLUG = "zz-test"
B_SLUG = "pe-2009"

# Username → (team, role). "b-reader" is the reader of the other team.
USERS = {
    "a-reader": ("Field team", "reader"),
    "a-analyst": ("Field team", "analyst"),
    "a-reviewer": ("Field team", "reviewer"),
    "a-admin": ("Field team", "admin"),
    "b-reader": ("Other team", "reader"),
}


@dataclass
class World:
    tokens: dict[str, str]
    clients: dict[str | None, APIClient] = field(default_factory=dict)

    def client(self, username: str | None) -> APIClient:
        """A client authenticated with the user's token (anonymous for None). One per user:
        a new client sets up the middleware again, which is slow (WhiteNoise scans files)."""
        if username not in self.clients:
            client = APIClient()
            if username is not None:
                client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[username]}")
            self.clients[username] = client
        return self.clients[username]


@pytest.fixture(autouse=True)
def fresh_throttles() -> Any:
    """Throttle counts live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def documents(everything_yaml: Path, peru_yaml: Path) -> dict[str, dict[str, Any]]:
    """The two documents, read and checked once (reading is the slow part)."""
    return {A_SLUG: load_document(everything_yaml), B_SLUG: load_document(peru_yaml)}


@pytest.fixture
def world(db: None, fast_passwords: None, documents: dict[str, dict[str, Any]]) -> World:
    """Team A's assessment and every user; team B has no assessment (see ``peru``)."""
    field_team = ensure_team("Field team")
    published = copy.deepcopy(documents[A_SLUG])
    published["assessment"]["status"] = "published"
    import_document(published, team=field_team)
    draft = copy.deepcopy(documents[A_SLUG])
    draft["risks"][0]["title"] += f" {DRAFT_MARK}"
    draft["incidents"][0]["title"] += f" {DRAFT_MARK}"
    draft["actors"][0]["name"] += f" {DRAFT_MARK}"
    draft["areas"][1]["name"] += f" {DRAFT_MARK}"
    # Ready to publish: the fixture's review-by date (2024) has passed, which the gates refuse.
    draft["assessment"]["review_by"] = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    import_document(draft, team=field_team)  # becomes draft version 2
    tokens = {}
    for username, (team, role) in USERS.items():
        add_user(username, team, role, PASSWORD)
        user = get_user_model().objects.get(username=username)
        tokens[username] = Token.objects.create(user=user).key
    return World(tokens)


@pytest.fixture
def peru_world(world: World, documents: dict[str, dict[str, Any]]) -> World:
    """The world, and team B owns the Peru 2009 example (published)."""
    import_document(copy.deepcopy(documents[B_SLUG]), team=ensure_team("Other team"))
    return world


@pytest.fixture
def peru_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An evidence store in which a feed refresh recorded a change for Peru (the country of
    both teams' assessments): Canada's level raised, from two recorded responses."""
    from riskatlas.evidence.changes import import_feed
    from riskatlas.evidence.store import connect

    feeds = Path(__file__).resolve().parents[2] / "fixtures" / "evidence" / "recorded" / "feeds"
    store = tmp_path / "events.duckdb"
    con = connect(store)
    try:
        import_feed(con, "canada-advice", feeds / "canada-index.json")
        import_feed(con, "canada-advice", feeds / "canada-index-newer.json")
    finally:
        con.close()
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(store))
    return store
