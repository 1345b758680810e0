"""Adding and changing incidents, actors, areas and sources through the API: what the editing
page's forms accept, other parts named by their ids within the same version, field-by-field
errors with nothing kept, the version's lock, and the audit log."""

from __future__ import annotations

from typing import Any

import pytest

from riskatlas.apps.assessments.interchange import export_version, import_document
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.audit.models import AuditEntry
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.models import Actor, Incident, Source
from tests.integration.api.conftest import A_SLUG, World

pytestmark = pytest.mark.django_db


def draft() -> AssessmentVersion:
    return AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=2)


def published() -> AssessmentVersion:
    return AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=1)


def new_incident(**changes: Any) -> dict[str, Any]:
    body = {
        "assessment": A_SLUG,
        "version": 2,
        "key": "robbery-2024",
        "title": "Armed robbery of a car",
        "date": "2024-03-02",
        "place": "lima",
        "area": "PE-LMA",
        "categories": ["CRM"],
        "actors": ["traffickers"],
        "injured": 1,
        "description": "Reported by the driver.",
    }
    body.update(changes)
    return body


def test_an_incident_from_another_system_goes_in_with_its_references(world: World):
    client = world.client("a-analyst")
    response = client.post("/api/v1/incidents/", new_incident(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["assessment"], body["version"], body["key"]) == (A_SLUG, 2, "robbery-2024")
    assert body["place"]["key"] == "lima" and body["place"]["lat"] == pytest.approx(-12.0464)
    assert (body["area"], body["actors"], body["date_precision"]) == (
        "PE-LMA",
        ["traffickers"],
        "day",
    )
    stored = Incident.objects.get(pk=body["id"])
    # The references are the draft's own place and area, not the published version's.
    assert stored.version == draft()
    assert stored.place == Place.objects.get(version=draft(), key="lima")
    assert stored.area == AssessmentArea.objects.get(version=draft(), code="PE-LMA")
    listed = client.get("/api/v1/incidents/?version=2&actor=traffickers").json()
    assert [i["key"] for i in listed["results"]] == ["robbery-2024"]
    # The stored version is a normalised document: importing its export changes nothing.
    assert import_document(export_version(draft())).action == "unchanged"


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"area": "PE-CUS"}, "area", "no area 'PE-CUS' in this version (areas: PE, PE-LMA"),
        ({"place": "cusco"}, "place", "no place 'cusco' in this version (places: lima, ayacucho)"),
        ({"actors": ["nobody"]}, "actors", "nobody is not one of the available choices"),
        ({"categories": []}, "categories", "This field is required"),
        ({"categories": ["XXX"]}, "categories", "XXX is not one of the available choices"),
        ({"date": "March 2024"}, "date", "Write the date as YYYY, YYYY-MM or YYYY-MM-DD"),
        ({"date": "2023-02-30"}, "date", "'2023-02-30' is not a real date"),
        ({"key": "attack-2023"}, "key", "already has one with the id “attack-2023”"),
        ({"key": "Robbery 2024"}, "key", "letters, numbers, underscores or hyphens"),
        ({"key": "Robbery_2024"}, "key", "Use lower-case letters, digits and hyphens"),
        ({"killed": -1}, "killed", "greater than or equal to 0"),
        ({"title": ""}, "title", "may not be blank"),
    ],
)
def test_invalid_incidents_are_refused_field_by_field(
    world: World, changes: dict[str, Any], field: str, words: str
):
    before = export_version(draft())
    response = world.client("a-analyst").post(
        "/api/v1/incidents/", new_incident(**changes), format="json"
    )
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert words in str(errors[field]), errors
    assert export_version(draft()) == before  # nothing was kept


def test_partial_and_full_updates_of_an_incident(world: World):
    incident = Incident.objects.get(version=draft(), key="attack-2023")
    client = world.client("a-reviewer")
    url = f"/api/v1/incidents/{incident.pk}/"
    response = client.patch(url, {"key": "renamed", "killed": 3, "area": None}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["key"] == "attack-2023"  # fixed once made: others refer to it
    assert (body["killed"], body["injured"], body["area"]) == (3, 2, None)
    assert body["place"]["key"] == "ayacucho" and body["actors"] == ["armed-group"]
    # What a read gives can be sent back whole (the place as shown, with its name).
    body["title"] = "Ambush of a patrol"
    response = client.put(url, body, format="json")
    assert response.status_code == 200, response.content
    incident.refresh_from_db()
    assert (incident.title, incident.killed, incident.place.key) == (
        "Ambush of a patrol",
        3,
        "ayacucho",
    )
    response = client.put(url, {"title": "Only a title"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"date", "categories"}


def test_an_actor_with_its_strength_and_areas(world: World):
    client = world.client("a-analyst")
    body = {
        "assessment": A_SLUG,
        "version": 2,
        "key": "gang",
        "name": "Street gang",
        "aliases": ["The Boys"],
        "type": "criminal",
        "status": "active",
        "strength": {"estimate": "about 40", "fighters": 40, "source": "field", "credibility": 2},
        "areas": ["PE-LMA"],
        "categories": ["CRM"],
    }
    response = client.post("/api/v1/actors/", body, format="json")
    assert response.status_code == 201, response.content
    actor = response.json()
    assert actor["strength"] == {
        "estimate": "about 40",
        "fighters": 40,
        "as_of": None,
        "source": "field",
        "credibility": 2,
    }
    assert Actor.objects.get(pk=actor["id"]).strength_source == Source.objects.get(
        version=draft(), key="field"
    )
    # The page's rule: numbers alone are not an estimate.
    response = client.patch(
        f"/api/v1/actors/{actor['id']}/",
        {"strength": {"estimate": "", "fighters": 50}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "strength": ["estimate: Describe the strength estimate in words too."]
    }
    for changes, field, words in [
        ({"strength": {"estimate": "x", "source": "tv"}}, "strength", "no source 'tv'"),
        ({"type": "pirates"}, "type", '"pirates" is not a valid choice'),
        ({"areas": ["PE-CUS"]}, "areas", "PE-CUS is not one of the available choices"),
        ({"categories": ["XXX"]}, "categories", "XXX is not one of the available choices"),
    ]:
        response = client.patch(f"/api/v1/actors/{actor['id']}/", changes, format="json")
        assert response.status_code == 400, (changes, response.content)
        assert words in str(response.json()[field]), response.json()
    assert Actor.objects.get(pk=actor["id"]).strength_fighters == 40


def test_areas_iso_and_custom(world: World):
    client = world.client("a-analyst")
    body = {"assessment": A_SLUG, "version": 2, "code": "coast", "name": "Southern coast"}
    response = client.post(
        "/api/v1/areas/", {**body, "parts": ["PE-ICA", "PE-ARE"], "hot_spot": True}, format="json"
    )
    assert response.status_code == 201, response.content
    area = response.json()
    assert (area["is_custom"], area["parts"], area["hot_spot"]) == (
        True,
        ["PE-ICA", "PE-ARE"],
        True,
    )
    for changes, field, words in [
        ({"code": "lima-2", "parts": ["Lima"]}, "parts", "Not ISO 3166 codes: Lima"),
        ({"code": "ZZ"}, "code", "'ZZ' is not an ISO 3166 code"),
        ({"code": "Coast 2"}, "code", "an ISO 3166 code such as PE or PE-LMA"),
        ({"code": "hills"}, "non_field_errors", "custom area 'hills' needs parts"),
        ({"code": "PE-CUS", "level_override": 4}, "level_reason", "Say why the level differs"),
        ({"code": "PE-CUS", "level_override": 9}, "level_override", "9 is not one of"),
        ({"code": "PE-LMA"}, "code", "already has one with the id “PE-LMA”"),
    ]:
        response = client.post("/api/v1/areas/", {**body, **changes}, format="json")
        assert response.status_code == 400, (changes, response.content)
        assert words in str(response.json().get(field)), (changes, response.json())
    assert not AssessmentArea.objects.filter(version=draft(), code__in=["ZZ", "hills", "PE-CUS"])
    response = client.patch(
        f"/api/v1/areas/{area['id']}/",
        {"no_go": True, "level_override": 5, "level_reason": "Road blocks."},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["level_override"] == 5 and response.json()["hot_spot"] is True
    # An incident and an actor can now name the new area.
    response = client.post("/api/v1/incidents/", new_incident(area="coast"), format="json")
    assert response.status_code == 201, response.content


def test_sources_are_listed_read_and_graded_on_the_admiralty_code(world: World):
    client = world.client("a-analyst")
    listed = client.get("/api/v1/sources/?version=2&reliability=B").json()
    assert [s["key"] for s in listed["results"]] == ["field", "ana"]
    assert listed["results"][0]["credibility"] == 2
    # The reader sees the published version's sources only.
    reader = world.client("a-reader").get("/api/v1/sources/").json()
    assert {(s["version"], s["key"]) for s in reader["results"]} == {
        (1, "field"),
        (1, "press"),
        (1, "ana"),
    }
    body = {
        "assessment": A_SLUG,
        "version": 2,
        "key": "incident-system",
        "title": "Incident reporting system",
        "kind": "ngo",
        "reliability": "B",
        "credibility": 3,
        "date": "2024-03-01",
    }
    for changes, field, words in [
        ({"reliability": "G"}, "reliability", '"G" is not a valid choice'),
        ({"reliability": "b"}, "reliability", '"b" is not a valid choice'),
        ({"credibility": 7}, "credibility", "less than or equal to 6"),
        ({"credibility": 0}, "credibility", "greater than or equal to 1"),
        ({"kind": "blog"}, "kind", '"blog" is not a valid choice'),
        ({"date": "March"}, "date", "Date has wrong format"),
    ]:
        response = client.post("/api/v1/sources/", {**body, **changes}, format="json")
        assert response.status_code == 400, (changes, response.content)
        assert words in str(response.json()[field]), response.json()
    response = client.post("/api/v1/sources/", body, format="json")
    assert response.status_code == 201, response.content
    source = response.json()
    assert (source["reliability"], source["credibility"], source["date"]) == ("B", 3, "2024-03-01")
    response = client.patch(f"/api/v1/sources/{source['id']}/", {"reliability": "A"}, format="json")
    assert response.status_code == 200
    assert Source.objects.get(pk=source["id"]).reliability == "A"
    exported = {s["id"]: s for s in export_version(draft())["sources"]}
    assert exported["incident-system"]["reliability"] == "A"


def test_locked_and_frozen_versions_are_refused_with_409(world: World):
    client = world.client("a-analyst")
    incident = Incident.objects.get(version=published(), key="attack-2023")
    response = client.patch(f"/api/v1/incidents/{incident.pk}/", {"title": "x"}, format="json")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "zz-test version 1 is published and frozen; make a new version to change it"
    )
    response = client.post("/api/v1/incidents/", new_incident(version=1), format="json")
    assert response.status_code == 409
    response = client.post(f"/api/v1/assessments/{A_SLUG}/versions/2/submit", format="json")
    assert response.status_code == 200, response.content
    area = AssessmentArea.objects.get(version=draft(), code="PE-LMA")
    response = client.patch(f"/api/v1/areas/{area.pk}/", {"name": "Lima city"}, format="json")
    assert response.status_code == 409
    assert "version 2 is in review" in response.json()["detail"]
    for url, body in [
        ("/api/v1/incidents/", new_incident()),
        ("/api/v1/sources/", {"assessment": A_SLUG, "version": 2, "key": "x", "title": "x"}),
    ]:
        response = client.post(url, body, format="json")
        assert response.status_code == 409, (url, response.content)
    assert AssessmentArea.objects.get(pk=area.pk).name.startswith("Lima")
    assert not Incident.objects.filter(key="robbery-2024").exists()
    assert Incident.objects.get(pk=incident.pk).title == "Attack on a patrol"


def test_readers_and_other_teams_change_nothing(peru_world: World):
    actor = Actor.objects.get(version=draft(), key="traffickers")
    url = f"/api/v1/actors/{actor.pk}/"
    reader = peru_world.client("a-reader")
    response = reader.patch(url, {"name": "x"}, format="json")
    assert response.status_code == 403
    assert "needs the analyst role" in response.json()["detail"]
    assert reader.post("/api/v1/incidents/", new_incident(), format="json").status_code == 403
    other = peru_world.client("b-reader")
    assert other.patch(url, {"name": "x"}, format="json").status_code == 404
    response = other.post("/api/v1/incidents/", new_incident(), format="json")
    assert response.status_code == 404 and A_SLUG not in response.content.decode()
    # Team B's own assessment is published (frozen) and b-reader is a reader anyway.
    peru_source = Source.objects.filter(version__assessment__slug="pe-2009").first()
    response = peru_world.client("a-analyst").patch(
        f"/api/v1/sources/{peru_source.pk}/", {"title": "x"}, format="json"
    )
    assert response.status_code == 404  # team A's analyst: another team's source
    assert Actor.objects.get(pk=actor.pk).name == "Traffickers"
    assert Source.objects.get(pk=peru_source.pk).title != "x"
    assert not Incident.objects.filter(key="robbery-2024").exists()


def test_changes_are_in_the_audit_log_under_the_token_user(world: World):
    client = world.client("a-analyst")
    response = client.post("/api/v1/incidents/", new_incident(), format="json")
    assert response.status_code == 201
    created = AuditEntry.objects.get(object_type="incident", object_id=response.json()["id"])
    assert (created.username, created.via, created.action) == ("a-analyst", "api", "created")
    assert created.after["title"] == "Armed robbery of a car"
    assert (created.assessment, created.version_number) == (A_SLUG, 2)
    area = AssessmentArea.objects.get(version=draft(), code="PE-LMA")
    response = world.client("a-admin").patch(
        f"/api/v1/areas/{area.pk}/", {"no_go": True}, format="json"
    )
    assert response.status_code == 200
    changed = AuditEntry.objects.filter(object_type="assessment area", object_id=area.pk).first()
    assert changed is not None  # the newest entry first
    assert (changed.username, changed.via, changed.action) == ("a-admin", "api", "changed")
    assert (changed.before["no_go"], changed.after["no_go"]) == (False, True)
