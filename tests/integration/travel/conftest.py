"""A team ("Field team") holding the published Peru assessment, the Peru trip imported from
examples/trips/peru-andahuaylas.yaml, and its people: the requesting analyst, the traveller
(linked to Rosa Quispe's profile), the approvers, a reader, an admin and another team's admin."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.travel.interchange import import_trip_file
from riskatlas.apps.travel.models import ApproverRole, Traveller, Trip
from riskatlas.document import load_document

PASSWORD = "a-long-test-password-1"
TRIP_FILE = Path(__file__).resolve().parents[3] / "examples" / "trips" / "peru-andahuaylas.yaml"
TODAY = "2027-03-01"


@dataclass
class Peru:
    team: Any
    trip: Trip
    users: dict[str, Any]


@pytest.fixture
def peru(db: None, peru_yaml: Path) -> Peru:
    team = ensure_team("Field team")
    import_document(load_document(peru_yaml), team=team)
    users = {}
    for name, team_name, role in (
        ("analyst", "Field team", "analyst"),
        ("rosa", "Field team", "reader"),
        ("manager", "Field team", "reviewer"),
        ("regional", "Field team", "reviewer"),
        ("focal", "Field team", "reviewer"),
        ("head", "Field team", "reviewer"),
        ("reader", "Field team", "reader"),
        ("admin", "Field team", "admin"),
        ("b-admin", "Other team", "admin"),
    ):
        add_user(name, team_name, role, PASSWORD)
        users[name] = get_user_model().objects.get(username=name)
    for username, role in (
        ("manager", "line-manager"),
        ("regional", "regional-security-manager"),
        ("focal", "security-focal-point"),
        ("head", "head-of-security"),
    ):
        ApproverRole.objects.create(team=team, user=users[username], role=role)
    trip = import_trip_file(team, TRIP_FILE.read_bytes(), TRIP_FILE.name, users["analyst"])
    Traveller.objects.filter(team=team, key="rosa-quispe").update(user=users["rosa"])
    return Peru(team, trip, users)
