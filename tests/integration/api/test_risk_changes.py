"""Adding and changing risks through the API: analysts only, unfrozen versions only, and the
version stays a valid interchange document."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments.interchange import export_version, import_document
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.audit.models import AuditEntry
from riskatlas.document import load_document
from tests.integration.api.conftest import A_SLUG, World

pytestmark = pytest.mark.django_db


def new_risk(**changes: Any) -> dict[str, Any]:
    body = {
        "assessment": A_SLUG,
        "version": 2,
        "key": "kidnap-lima",
        "title": "Express kidnapping in Lima",
        "category": "KID",
        "area": "PE-LMA",
        "exposed": ["international-staff"],
        "inherent": {"likelihood": 3, "impact": 4},
        "current": None,
        "residual": {"likelihood": 2, "impact": 4},
        "rationale": "Taxi-related express kidnappings reported.",
        "measures": ["LOCAL-GUARD"],
    }
    body.update(changes)
    return body


def draft() -> AssessmentVersion:
    return AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=2)


def test_an_analyst_adds_a_risk_to_a_draft(world: World):
    response = world.client("a-analyst").post("/api/v1/risks/", new_risk(), format="json")
    assert response.status_code == 201, response.content
    risk = response.json()
    assert (risk["assessment"], risk["version"], risk["key"]) == (A_SLUG, 2, "kidnap-lima")
    assert risk["residual"]["level"]["name"] == "medium"
    assert risk["current"] is None and risk["area_name"].startswith("Lima")
    listed = world.client("a-analyst").get("/api/v1/risks/?version=2&category=KID").json()
    assert [r["id"] for r in listed["results"]] == [risk["id"]]
    doc = world.client("a-analyst").get(f"/api/v1/assessments/{A_SLUG}/versions/2/document")
    assert "kidnap-lima" in [r["id"] for r in doc.json()["risks"]]
    # The reader does not see the draft, so not the new risk either.
    assert world.client("a-reader").get(f"/api/v1/risks/{risk['id']}/").status_code == 404


def test_a_library_measure_is_copied_into_the_version_as_an_import_would(world: World):
    response = world.client("a-analyst").post(
        "/api/v1/risks/", new_risk(measures=["MOV-SECURE-TAXI", "LOCAL-GUARD"]), format="json"
    )
    assert response.status_code == 201, response.content
    doc = export_version(draft())
    assert {m["code"] for m in doc["mitigations"]} >= {"MOV-SECURE-TAXI", "LOCAL-GUARD"}
    assert import_document(doc).action == "unchanged"  # the stored version is normalised


def test_a_change_is_not_mistaken_for_the_old_document(world: World, everything_yaml: Path):
    original = copy.deepcopy(export_version(draft()))
    risk = Risk.objects.get(version=draft(), key="road")
    response = world.client("a-analyst").patch(
        f"/api/v1/risks/{risk.pk}/", {"title": "Road accidents on the coast"}, format="json"
    )
    assert response.status_code == 200, response.content
    # Importing the document as it was before the change puts the old title back.
    result = import_document(original, team=ensure_team("Field team"))
    assert result.action == "replaced"
    assert Risk.objects.get(version=draft(), key="road").title == "Road accident"
    assert load_document(everything_yaml)  # the fixture itself is untouched


def test_partial_and_full_updates(world: World):
    risk = Risk.objects.get(version=draft(), key="crime-lima")
    client = world.client("a-reviewer")
    response = client.patch(
        f"/api/v1/risks/{risk.pk}/",
        {"key": "renamed", "current": None, "residual": {"likelihood": 1, "impact": 3}},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["key"] == "crime-lima"  # the id is fixed once made: others refer to it
    assert body["current"] is None
    assert body["residual"]["level"]["name"] == "low"
    body["title"] = "Street crime"
    response = client.put(f"/api/v1/risks/{risk.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    risk.refresh_from_db()
    assert (risk.title, risk.residual_likelihood, risk.current_likelihood) == (
        "Street crime",
        1,
        None,
    )


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"area": "PE-CUS"}, "area", "no area 'PE-CUS' in this version"),
        ({"category": "XXX"}, "category", "not a valid choice"),
        ({"residual": {"likelihood": 7, "impact": 4}}, "residual", "likelihood: 7"),
        ({"inherent": {"likelihood": 3}}, "inherent", "required"),
        ({"measures": ["NO-SUCH-MEASURE"]}, "measures", "no mitigation 'NO-SUCH-MEASURE'"),
        ({"exposed": ["tourists"]}, "exposed", "no exposure group 'tourists'"),
        ({"key": "road"}, "key", "already has a risk 'road'"),
        ({"key": "Not A Slug"}, "key", "letters, numbers, underscores or hyphens"),
        ({"key": "Road_2"}, "key", "Road_2"),  # a slug, but not an interchange id
        ({"rationale": ""}, "rationale", "may not be blank"),
    ],
)
def test_invalid_risks_are_refused_field_by_field(
    world: World, changes: dict[str, Any], field: str, words: str
):
    before = export_version(draft())
    response = world.client("a-analyst").post("/api/v1/risks/", new_risk(**changes), format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert words in str(errors[field]), errors
    assert export_version(draft()) == before  # nothing was kept


def test_a_frozen_version_is_refused_with_409(world: World):
    published = AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=1)
    risk = Risk.objects.get(version=published, key="road")
    client = world.client("a-analyst")
    response = client.patch(f"/api/v1/risks/{risk.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "zz-test version 1 is published and frozen; make a new version to change it"
    )
    response = client.post("/api/v1/risks/", new_risk(version=1), format="json")
    assert response.status_code == 409
    assert Risk.objects.get(pk=risk.pk).title == "Road accident"


def test_readers_and_other_teams_cannot_change_risks(world: World):
    risk = Risk.objects.get(version=draft(), key="road")
    response = world.client("a-reader").patch(
        f"/api/v1/risks/{risk.pk}/", {"title": "x"}, format="json"
    )
    assert response.status_code == 403
    assert "needs the analyst role" in response.json()["detail"]
    response = world.client("a-reader").post("/api/v1/risks/", new_risk(), format="json")
    assert response.status_code == 403
    response = world.client("b-reader").patch(
        f"/api/v1/risks/{risk.pk}/", {"title": "x"}, format="json"
    )
    assert response.status_code == 404
    response = world.client("b-reader").post("/api/v1/risks/", new_risk(), format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert Risk.objects.get(pk=risk.pk).title == "Road accident"
    assert not Risk.objects.filter(key="kidnap-lima").exists()


def test_a_missing_target_or_version_is_explained(world: World):
    client = world.client("a-analyst")
    response = client.post("/api/v1/risks/", {"title": "x"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"assessment", "version"}
    response = client.post("/api/v1/risks/", new_risk(version=9), format="json")
    assert response.status_code == 404
    assert response.json()["detail"] == "zz-test has no version 9"


def test_changes_through_the_api_are_in_the_audit_log_under_the_token_user(world: World):
    risk = Risk.objects.get(version=draft(), key="road")
    response = world.client("a-analyst").patch(
        f"/api/v1/risks/{risk.pk}/", {"title": "Road accidents"}, format="json"
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.filter(object_type="risk", object_id=risk.pk).first()
    assert entry is not None
    assert (entry.username, entry.via, entry.action) == ("a-analyst", "api", "changed")
    assert (entry.before["title"], entry.after["title"]) == ("Road accident", "Road accidents")
    response = world.client("a-reviewer").post("/api/v1/risks/", new_risk(), format="json")
    created = AuditEntry.objects.filter(object_key="kidnap-lima").first()
    assert created is not None and created.username == "a-reviewer"
