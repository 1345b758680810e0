"""What the integration tests share: their people's password, a browser signed in, a home
with no evidence store, a draft imported and changed, a published version with a draft after
it, and the command run as a user runs it.

The folder runs twice in CI: on SQLite, then on PostgreSQL (scripts/test.sh). A test whose
work never reaches the test database (`riskatlas` processes on SQLite files of its own, an
output rendered from the document alone) is marked ``sqlite_only(reason=...)`` and skipped on
PostgreSQL with its reason, where it would do again what it did on SQLite; docs/testing.md
lists them."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.accounts.models import Team
from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.document import load_document

PASSWORD = "a-long-test-password-1"


def on_postgresql() -> bool:
    """Whether this run's database is PostgreSQL (DATABASE_URL, as the settings read it)."""
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """On PostgreSQL, tests marked ``sqlite_only`` are skipped with their marker's reason."""
    if not on_postgresql():
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            if "reason" not in marker.kwargs:
                raise pytest.UsageError(f"{item.nodeid}: sqlite_only needs reason=...")
            reason = marker.kwargs["reason"]
            item.add_marker(pytest.mark.skip(reason=f"run on the SQLite stage only: {reason}"))


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Users' passwords hashed with MD5 in these tests: Argon2 is deliberately slow (about
    0.2 s of CPU a password; the trip fixtures make up to nine users a test). The settings'
    Argon2 is used by the processes these tests start and by the browser tests (tests/e2e)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def client_for(username: str) -> Client:
    """A test browser signed in as the user ``username``."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=str(username)))
    return client


@pytest.fixture
def home_without_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test's own RISKATLAS_HOME (prepared files go there) and no evidence store."""
    monkeypatch.setenv("RISKATLAS_HOME", str(tmp_path))
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "no-store.duckdb"))
    return tmp_path


def import_draft(path: Path) -> AssessmentVersion:
    """The document at ``path`` imported as a draft for the team "Field team", read back."""
    doc = load_document(path)
    doc["assessment"]["status"] = "draft"
    version = import_document(doc, team=ensure_team("Field team")).version
    return AssessmentVersion.objects.get(pk=version.pk)


def import_published_and_draft(path: Path, draft_title: str) -> Team:
    """The document at ``path`` for the team "Field team": published as version 1, then again
    as a draft (version 2) whose first risk is titled ``draft_title``. The team."""
    team = ensure_team("Field team")
    doc = load_document(path)
    published = copy.deepcopy(doc)
    published["assessment"]["status"] = "published"
    import_document(published, team=team)
    doc["risks"][0]["title"] = draft_title
    import_document(doc, team=team)  # version 2, a draft
    return team


@pytest.fixture
def analyst_on_draft(peru_yaml: Path) -> Client:
    """An analyst of "Field team" signed in; the Peru example its draft (so it may change)."""
    from riskatlas.apps.accounts.users import add_user

    import_draft(peru_yaml)
    add_user("analyst", "Field team", "analyst", PASSWORD)
    return client_for("analyst")


def retitle_first_risk(version: AssessmentVersion, title: str) -> Risk:
    """The version's first risk given ``title`` through the single writer."""
    risk = Risk.objects.filter(version=version).order_by("position").first()
    assert risk is not None

    def retitle() -> Risk:
        risk.title = title
        risk.save()
        return risk

    writer.save_part(version, retitle)
    return risk


# `riskatlas` processes on SQLite files of the test's own (run_riskatlas): alike on both stages.
own_sqlite_files = pytest.mark.sqlite_only(
    reason="riskatlas processes on SQLite files of the test's own (run_riskatlas)"
)


def run_riskatlas(
    args: list[str], db: Path, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """A real `riskatlas` process with ``args`` on the SQLite file ``db`` (DATABASE_URL), its
    RISKATLAS_HOME the file's folder."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "RISKATLAS_HOME": str(db.parent)}
    return subprocess.run(
        [sys.executable, "-m", "riskatlas", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def us_advice_in_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures: Path) -> Path:
    """An evidence store of the test's own holding the US summary's advice (Peru level 2),
    used by the pages (RISKATLAS_EVENTS_DB)."""
    from riskatlas.evidence.catalogue import import_file
    from riskatlas.evidence.store import connect

    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    con = connect(db)
    try:
        import_file(con, "advisories-us", fixtures / "evidence" / "us_summary.csv")
    finally:
        con.close()
    return db
