"""A team with one draft assessment and a person in every role, plus an outsider team."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from riskatlas.apps.accounts.models import Membership, Role
from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.document import load_document
from tests.integration.conftest import client_for

TEAM = "Field team"
OTHER_TEAM = "Other team"
# username -> (team, role)
PEOPLE = {
    "reader": (TEAM, Role.READER),
    "analyst": (TEAM, Role.ANALYST),
    "reviewer": (TEAM, Role.REVIEWER),
    "admin": (TEAM, Role.ADMIN),
    "outsider": (OTHER_TEAM, Role.READER),
    "other-admin": (OTHER_TEAM, Role.ADMIN),
}


@dataclass
class Workspace:
    version: AssessmentVersion
    doc: dict[str, Any]

    @property
    def slug(self) -> str:
        return self.version.assessment.slug

    def base(self, number: int | None = None) -> str:
        return f"/assessments/{self.slug}/v{number or self.version.number}/"

    def refresh(self) -> AssessmentVersion:
        self.version.refresh_from_db()
        return self.version


@pytest.fixture
def workspace(db: None, everything_yaml: Path) -> Workspace:
    doc = load_document(everything_yaml)
    # Ready to publish: the fixture's review-by date (2024) has passed, which the gates refuse.
    doc["assessment"]["review_by"] = (dt.date.today() + dt.timedelta(days=365)).isoformat()
    result = import_document(doc, team=ensure_team(TEAM))
    ensure_team(OTHER_TEAM)
    user_model = get_user_model()
    for username, (team, role) in PEOPLE.items():
        user = user_model.objects.create_user(username=username)
        Membership.objects.create(user=user, team=ensure_team(team), role=role)
    return Workspace(version=result.version, doc=doc)


@pytest.fixture
def as_user() -> Any:
    return client_for
