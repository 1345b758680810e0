"""The Peru trip of examples/trips as a team stores it: the Peru assessment published, the
traveller (Rosa, with an account), an analyst who requests trips and an approver who holds
every approver role; and the task queue, run here as a worker runs it."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import export_version, import_document
from riskatlas.apps.travel import workflow
from riskatlas.apps.travel.interchange import import_trip_file
from riskatlas.apps.travel.models import ApproverRole, Trip
from riskatlas.document import load_document

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "a-long-test-password-1"
TODAY = dt.date(2027, 3, 1)
ROLES = ("line-manager", "security-focal-point", "regional-security-manager", "head-of-security")
LIMA = ZoneInfo("America/Lima")
#: A check-in's link in an email, as the site writes it for the tests' host.
LINK = re.compile(r"http://localhost:8000(/check-in/[^/\s]+/)")


def set_up_team() -> dict[str, Any]:
    doc = load_document(ROOT / "examples" / "peru-2009.yaml")
    doc["assessment"]["status"] = "published"
    team = ensure_team("Field team")
    version = import_document(copy.deepcopy(doc), team=team).version
    add_user("ana", "Field team", "analyst", PASSWORD)
    add_user("marta", "Field team", "reviewer", PASSWORD)
    add_user("rosa", "Field team", "reader", PASSWORD)
    add_user("outsider", "Other team", "admin", PASSWORD)
    users = get_user_model().objects
    users.filter(username="marta").update(email="marta@example.org")
    users.filter(username="rosa").update(email="rosa.quispe@example.org")
    people = {name: users.get(username=name) for name in ("ana", "marta", "rosa", "outsider")}
    for role in ROLES:
        ApproverRole.objects.create(team=team, user=people["marta"], role=role)
    content = (ROOT / "examples" / "trips" / "peru-andahuaylas.yaml").read_bytes()
    trip = import_trip_file(team, content, "peru-andahuaylas.yaml", people["ana"])
    traveller = trip.travellers.get()
    traveller.user = people["rosa"]
    traveller.save()
    return {"team": team, "version": version, "trip": trip, **people}


def approve(
    trip: Trip, requester: Any, approver: Any, conditions: str = "", today: Any = None
) -> Trip:
    today = today or TODAY
    workflow.request(trip, requester, today)
    while workflow.next_step(trip) is not None:
        decision = "approve-with-conditions" if conditions else "approve"
        workflow.decide(trip, approver, decision, "Needed for the project.", conditions, today)
    trip.refresh_from_db()
    return trip


def approved_trip(conditions: str = "") -> dict[str, Any]:
    """``set_up_team``'s team with its trip approved by Marta (with ``conditions``, if any) and
    the queue run: the check-ins planned and their links emailed."""
    team = set_up_team()
    team["trip"] = approve(team["trip"], team["ana"], team["marta"], conditions)
    run_queue()
    return team


def browser(user: Any = None) -> Client:
    """A browser (Django's test client) signed in as ``user``, or anonymous without one."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def raised_huancavelica(version: Any) -> dict[str, Any]:
    """Version 2 of the Peru assessment: Huancavelica set to level 5, reviewed by 2027."""
    doc = export_version(version)
    doc["assessment"]["version"] = version.number + 1
    doc["assessment"]["status"] = "draft"
    doc["assessment"]["review_by"] = "2027-12-31"
    for area in doc["areas"]:
        if area["code"] == "PE-HUV":
            area["level"] = 5
            area["level_reason"] = "Shining Path ambushes on the Mantaro side in February."
    return doc


def run_queue() -> list[str]:
    """Take every task off the queue and run it, as a worker does (tasks queued by a task
    included). Returns the tasks' names in the order run."""
    from huey.contrib.djhuey import HUEY

    ran = []
    while True:
        task = HUEY.dequeue()
        if task is None:
            return ran
        ran.append(task.name)
        HUEY.execute(task)
