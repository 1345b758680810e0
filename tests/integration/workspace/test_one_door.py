"""One door: every way of changing a version goes through the single writer.

The same invalid change is driven through each path — the page form, the API, draft
acceptance, a register upload and a YAML upload — and each refuses it with the same message
(the interchange format's own), leaving the exported version as it was. An accepted change on
each path changes the stored content hash and writes one audit entry.
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.audit.models import AuditEntry
from riskatlas.apps.drafts.models import DraftItem, SourceDocument
from riskatlas.apps.intelligence.models import Incident, Source
from riskatlas.document.register import register_csv
from tests.integration.conftest import client_for
from tests.integration.workspace.conftest import TEAM, Workspace
from tests.integration.workspace.test_editing import risk_data

pytestmark = pytest.mark.django_db

IMPACT_9 = "9 is above the maximum of 5"
BAD_DATE = "'2023-02-30' is not a real date"


def api_client(username: str) -> APIClient:
    user = get_user_model().objects.get(username=username)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _risk(ws: Workspace) -> Risk:
    return Risk.objects.get(version=ws.version, key="crime-lima")


def _incident(ws: Workspace) -> Incident:
    return Incident.objects.get(version=ws.version, key="attack-2023")


def _incident_form(incident: Incident, **changes: Any) -> dict[str, Any]:
    data = {
        "title": incident.title,
        "date": incident.date,
        "place": incident.place_id or "",
        "area": incident.area_id or "",
        "categories": incident.categories,
        "actors": incident.actors,
        "killed": incident.killed or "",
        "injured": incident.injured or "",
        "abducted": incident.abducted or "",
        "description": incident.description,
    }
    data.update(changes)
    return data


def _incident_payload(date: str) -> dict[str, Any]:
    return {
        "when": {"date": date, "text": date},
        "where": [{"iso_3166": "PE-LMA"}],
        "what": ["attack"],
        "categories": ["TER"],
    }


def _upload_yaml(ws: Workspace, doc: dict[str, Any]) -> str:
    upload = SimpleUploadedFile("changed.yaml", yaml.safe_dump(doc, sort_keys=False).encode())
    team = ensure_team(TEAM)
    response = client_for("analyst").post("/import/", {"file": upload, "team": team.pk})
    return response.content.decode() if response.status_code != 302 else ""


def _upload_register(ws: Workspace, doc: dict[str, Any], **cells: str) -> str:
    """Upload the register of ``doc`` with ``cells`` of the first risk's row changed."""
    rows = list(csv.reader(io.StringIO(register_csv(doc))))
    for heading, value in cells.items():
        rows[1][rows[0].index(heading.replace("_", " "))] = value
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    upload = SimpleUploadedFile("register.csv", out.getvalue().encode())
    response = client_for("analyst").post(f"{ws.base()}register/import/", {"file": upload})
    return response.content.decode() if response.status_code != 302 else ""


def _with_risk_impact(ws: Workspace, impact: int) -> dict[str, Any]:
    doc = copy.deepcopy(export_version(ws.version))
    doc["risks"][0]["inherent"]["impact"] = impact
    assert doc["risks"][0]["id"] == "crime-lima"
    return doc


def _with_incident_date(ws: Workspace, date: str) -> dict[str, Any]:
    doc = copy.deepcopy(export_version(ws.version))
    item = next(i for i in doc["incidents"] if i["id"] == "attack-2023")
    item["date"] = date
    return doc


# --- the same invalid change, refused alike on every path ----------------------------------


def _risk_impact_9_by_form(ws: Workspace) -> str:
    risk = _risk(ws)
    response = client_for("analyst").post(
        f"{ws.base()}edit/risks/{risk.pk}/", risk_data(risk, inherent_impact=9)
    )
    assert response.status_code == 200
    return response.content.decode()


def _risk_impact_9_by_api(ws: Workspace) -> str:
    risk = _risk(ws)
    response = api_client("analyst").patch(
        f"/api/v1/risks/{risk.pk}/",
        {"inherent": {"likelihood": risk.inherent_likelihood, "impact": 9}},
        format="json",
    )
    assert response.status_code == 400, response.content
    return str(response.json())


def _risk_impact_9_by_register(ws: Workspace) -> str:
    return _upload_register(ws, export_version(ws.version), inherent_impact="9")


def _risk_impact_9_by_yaml(ws: Workspace) -> str:
    return _upload_yaml(ws, _with_risk_impact(ws, 9))


def _bad_date_by_form(ws: Workspace) -> str:
    incident = _incident(ws)
    response = client_for("analyst").post(
        f"{ws.base()}edit/incidents/{incident.pk}/", _incident_form(incident, date="2023-02-30")
    )
    assert response.status_code == 200
    return response.content.decode()


def _bad_date_by_api(ws: Workspace) -> str:
    response = api_client("analyst").patch(
        f"/api/v1/incidents/{_incident(ws).pk}/", {"date": "2023-02-30"}, format="json"
    )
    assert response.status_code == 400, response.content
    return str(response.json())


def _decide(ws: Workspace, kind: str, **choices: Any) -> Any:
    item = DraftItem.objects.get(document__title="Field notes", kind=kind)
    return client_for("analyst").post(
        f"{ws.base()}drafts/{item.document_id}/items/{item.pk}/",
        {"action": "accept", **choices},
        follow=True,
    )


def _bad_date_by_draft(ws: Workspace) -> str:
    response = _decide(ws, "incident")
    assert DraftItem.objects.get(kind="incident").status == "proposed"
    return response.content.decode()


def _bad_date_by_yaml(ws: Workspace) -> str:
    return _upload_yaml(ws, _with_incident_date(ws, "2023-02-30"))


INVALID: list[tuple[str, Callable[[Workspace], str], str]] = [
    ("page form", _risk_impact_9_by_form, IMPACT_9),
    ("API", _risk_impact_9_by_api, IMPACT_9),
    ("register import", _risk_impact_9_by_register, IMPACT_9),
    ("YAML import", _risk_impact_9_by_yaml, IMPACT_9),
    ("page form", _bad_date_by_form, BAD_DATE),
    ("API", _bad_date_by_api, BAD_DATE),
    ("draft acceptance", _bad_date_by_draft, BAD_DATE),
    ("YAML import", _bad_date_by_yaml, BAD_DATE),
]


@pytest.fixture
def drafted(workspace: Workspace) -> Workspace:
    """The workspace with a report read into it (as stored items, one of them an incident
    dated on a day that does not exist)."""
    document = SourceDocument.objects.create(
        version=workspace.version,
        title="Field notes",
        text="An attack. " * 4,
        engine="test",
        source=Source.objects.get(version=workspace.version, key="field"),
    )
    for kind, payload in (
        ("incident", _incident_payload("2023-02-30")),
        ("category", {"categories": [{"code": "CRM", "score": 1.0}]}),
    ):
        DraftItem.objects.create(
            document=document, kind=kind, start=0, end=10, quote="An attack.", payload=payload
        )
    return workspace


@pytest.mark.parametrize(
    ("path", "attempt", "message"),
    INVALID,
    ids=[f"{path}: {message}" for path, _, message in INVALID],
)
def test_the_same_invalid_change_is_refused_alike_on_every_path(
    drafted: Workspace, path: str, attempt: Callable[[Workspace], str], message: str
):
    workspace = drafted
    before = export_version(workspace.version)
    stored_hash = workspace.refresh().content_hash
    audit = AuditEntry.objects.count()
    said = attempt(workspace)
    assert message.replace("'", "&#x27;") in said or message in said, (path, said[:3000])
    assert export_version(workspace.refresh()) == before, path
    assert workspace.version.content_hash == stored_hash, path
    assert AuditEntry.objects.count() == audit, path


# --- an accepted change: content hash changed, one audit entry ------------------------------


def _residual_2_by_form(ws: Workspace) -> None:
    risk = _risk(ws)
    response = client_for("analyst").post(
        f"{ws.base()}edit/risks/{risk.pk}/", risk_data(risk, residual_likelihood=2)
    )
    assert response.status_code == 302


def _residual_2_by_api(ws: Workspace) -> None:
    risk = _risk(ws)
    response = api_client("analyst").patch(
        f"/api/v1/risks/{risk.pk}/",
        {"residual": {"likelihood": 2, "impact": risk.residual_impact}},
        format="json",
    )
    assert response.status_code == 200, response.content


def _evidence_by_draft(ws: Workspace) -> None:
    # The report's source is graded already, so accepting a threat sentence under a risk makes
    # exactly one row: its evidence.
    _decide(ws, "category", risk=_risk(ws).pk)
    assert DraftItem.objects.get(kind="category").status == "accepted"


def _residual_2_by_register(ws: Workspace) -> None:
    assert _upload_register(ws, export_version(ws.version), residual_likelihood="2") == ""


def _residual_2_by_yaml(ws: Workspace) -> None:
    doc = copy.deepcopy(export_version(ws.version))
    doc["risks"][0]["residual"]["likelihood"] = 2
    assert _upload_yaml(ws, doc) == ""


ACCEPTED: list[tuple[str, Callable[[Workspace], None], str]] = [
    ("page form", _residual_2_by_form, "risk"),
    ("API", _residual_2_by_api, "risk"),
    ("draft acceptance", _evidence_by_draft, "evidence"),
    ("register import", _residual_2_by_register, "risk"),
    ("YAML import", _residual_2_by_yaml, "risk"),
]


@pytest.mark.parametrize(("path", "make", "kind"), ACCEPTED, ids=[p for p, _, _ in ACCEPTED])
def test_an_accepted_change_updates_the_hash_and_writes_one_audit_entry(
    drafted: Workspace, path: str, make: Callable[[Workspace], None], kind: str
):
    workspace = drafted
    before = workspace.refresh().content_hash
    audit = set(AuditEntry.objects.values_list("pk", flat=True))
    make(workspace)
    version = AssessmentVersion.objects.get(pk=workspace.version.pk)
    assert version.content_hash and version.content_hash != before, path
    entries = AuditEntry.objects.exclude(pk__in=audit)
    assert [(e.object_type, e.username) for e in entries] == [(kind, "analyst")], path
    # The stored summary follows the content.
    assert version.summary_of == version.content_hash, path
