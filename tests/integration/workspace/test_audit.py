"""The audit log: every change, who made it, and the values before and after."""

from __future__ import annotations

import copy

import pytest
from django.contrib.auth import get_user_model

from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments import workflow
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import Risk
from riskatlas.apps.audit.context import acting_as
from riskatlas.apps.audit.models import AuditEntry
from tests.integration.conftest import client_for
from tests.integration.workspace.conftest import OTHER_TEAM, Workspace
from tests.integration.workspace.test_editing import risk_data

pytestmark = pytest.mark.django_db


def test_a_risk_edit_records_who_before_and_after(workspace: Workspace):
    risk = Risk.objects.get(version=workspace.version, key="crime-lima")
    client_for("analyst").post(
        f"{workspace.base()}edit/risks/{risk.pk}/",
        risk_data(risk, residual_likelihood=2, title="Street robbery in Lima"),
    )
    entry = AuditEntry.objects.get(object_type="risk", action="changed", object_id=risk.pk)
    assert entry.username == "analyst" and entry.user is not None and entry.via == "web"
    assert (entry.assessment, entry.version_number) == ("zz-test", 1)
    assert entry.team is not None and entry.team.name == "Field team"
    assert entry.before["residual_likelihood"] == 3 and entry.after["residual_likelihood"] == 2
    assert {f: (a, b) for f, a, b in entry.changes()} == {
        "title": ("Street crime in Lima", "Street robbery in Lima"),
        "residual_likelihood": (3, 2),
    }


def test_imports_record_the_command_line(workspace: Workspace):
    created = AuditEntry.objects.filter(object_type="risk", action="created")
    assert {e.object_key for e in created} == {"crime-lima", "road"}
    assert all(e.user is None and e.via == "command line" for e in created)
    doc = copy.deepcopy(workspace.doc)
    doc["risks"][1]["residual"] = {"likelihood": 2, "impact": 4}
    entries = AuditEntry.objects.count()
    import_document(doc, team=ensure_team("Field team"))  # updates the draft's content
    # Only what differs is written: the one risk, changed in place (it keeps its id).
    assert AuditEntry.objects.count() == entries + 1
    changed = AuditEntry.objects.get(object_type="risk", action="changed", object_key="road")
    assert changed.before["residual_likelihood"] == 3
    assert changed.after["residual_likelihood"] == 2
    assert changed.object_id == Risk.objects.get(key="road").pk
    assert changed.username == "" and changed.who == "command line"
    # A risk the document no longer has is deleted, one the document adds is created.
    doc["risks"][1]["id"] = "road-travel"
    import_document(doc, team=ensure_team("Field team"))
    assert AuditEntry.objects.filter(object_type="risk", action="deleted", object_key="road")
    assert AuditEntry.objects.filter(object_type="risk", action="created", object_key="road-travel")


def test_a_failed_import_leaves_no_entries(workspace: Workspace):
    before = AuditEntry.objects.count()
    doc = copy.deepcopy(workspace.doc)
    doc["risks"][1]["area"] = "no-such-area"  # fails half-way through, all or nothing
    with pytest.raises(KeyError):
        import_document(doc, team=ensure_team("Field team"))
    assert AuditEntry.objects.count() == before


def test_workflow_steps_are_recorded(workspace: Workspace):
    user = get_user_model().objects.get(username="reviewer")
    workflow.submit_for_review(workspace.version, get_user_model().objects.get(username="analyst"))
    with acting_as(user):
        workflow.approve(workspace.version, user)
    entry = AuditEntry.objects.filter(object_type="assessment version").first()
    assert entry is not None and entry.username == "reviewer"
    assert entry.before["status"] == "in_review" and entry.after["status"] == "approved"
    assert entry.after["frozen_at"] is not None


def test_admins_see_their_teams_log_only(workspace: Workspace):
    other = ensure_team(OTHER_TEAM)
    other_doc = copy.deepcopy(workspace.doc)
    other_doc["assessment"]["slug"] = "zz-other"
    other_doc["risks"][0]["title"] = "Secret risk of the other team"
    import_document(other_doc, team=other)
    risk = Risk.objects.get(version=workspace.version, key="crime-lima")
    client_for("analyst").post(
        f"{workspace.base()}edit/risks/{risk.pk}/", risk_data(risk, owner="Head of security")
    )

    page = client_for("admin").get("/audit/").content.decode()
    assert "Head of security" in page and "analyst" in page
    assert "zz-other" not in page and "Secret risk" not in page
    assert "zz-other" in client_for("other-admin").get("/audit/").content.decode()
    assert "zz-test" not in client_for("other-admin").get("/audit/").content.decode()
    filtered = client_for("admin").get("/audit/", {"type": "risk", "who": "analyst"})
    assert "Head of security" in filtered.content.decode()
    for name in ("reader", "analyst", "reviewer", "outsider"):
        assert client_for(name).get("/audit/").status_code == 403
    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "x-long-pass-1")
    client = client_for(boss.username)
    page = client.get("/audit/", {"assessment": "zz-other"}).content.decode()
    assert "zz-other" in page and "crime-lima" in page
