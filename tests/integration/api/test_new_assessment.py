"""Starting an assessment through the API: the same rules as the page."""

from __future__ import annotations

import datetime as dt

import pytest

from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import Assessment
from tests.integration.api.conftest import A_SLUG, World

pytestmark = pytest.mark.django_db

NEW = {
    "country": "CO",
    "areas": ["CO-ANT", "CO-CAU", "CO-NAR"],
    "custom_areas": [{"name": "Pacific coast", "parts": ["CO-CAU", "CO-NAR"]}],
    "scope": "Staff and operations in Colombia",
}


def test_an_analyst_starts_a_colombia_draft_with_the_defaults(world: World):
    response = world.client("a-analyst").post("/api/v1/assessments/", NEW, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    year = dt.date.today().year
    assert body["assessment"] == f"co-{year}" and body["status"] == "draft"
    assert body["title"] == "Colombia security risk assessment"
    assert body["author"]["name"] == "a-analyst"
    assert body["counts"]["areas"] == 5
    doc = export_version(Assessment.objects.get(slug=f"co-{year}").latest_version())
    assert [g["id"] for g in doc["exposure"]["groups"]] == [
        "national-staff",
        "international-staff",
        "drivers",
    ]
    again = world.client("a-analyst").post("/api/v1/assessments/", NEW, format="json")
    assert again.json()["assessment"] == f"co-{year}-2"


def test_the_templates_context_sections_are_to_write_or_left_out(world: World):
    """By default the draft has the template's five context sections, each saying what to
    cover (which publication refuses until written); ``with_context: false`` starts with
    none."""
    client = world.client("a-analyst")
    year = dt.date.today().year
    assert client.post("/api/v1/assessments/", NEW, format="json").status_code == 201
    doc = export_version(Assessment.objects.get(slug=f"co-{year}").latest_version())
    assert [s["title"] for s in doc["context"]] == [
        "Politics",
        "Economy",
        "Society",
        "Security forces",
        "International relations",
    ]
    assert all(s["text"].startswith("To cover: ") for s in doc["context"])
    response = client.post("/api/v1/assessments/", {**NEW, "with_context": False}, format="json")
    assert response.status_code == 201, response.content
    doc = export_version(Assessment.objects.get(slug=f"co-{year}-2").latest_version())
    assert "context" not in doc
    assert next(g["id"] for g in doc["exposure"]["groups"]) == "national-staff"


def test_problems_are_a_400_by_field_and_nothing_is_made(world: World):
    before = Assessment.objects.count()
    client = world.client("a-analyst")
    response = client.post(
        "/api/v1/assessments/",
        {**NEW, "areas": ["PE-AYA"], "slug": A_SLUG, "scope": ""},
        format="json",
    )
    assert response.status_code == 400
    assert "scope" in response.json()
    response = client.post(
        "/api/v1/assessments/", {**NEW, "areas": ["PE-AYA"], "slug": A_SLUG}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["slug"] == [f"“{A_SLUG}” is taken: choose another id"]
    response = client.post("/api/v1/assessments/", {**NEW, "areas": ["PE-AYA"]}, format="json")
    assert response.json() == {"areas": ["PE-AYA is not a subdivision of Colombia"]}
    response = client.post("/api/v1/assessments/", {**NEW, "country": "XX"}, format="json")
    assert response.json() == {"country": ['"XX" is not a valid choice.']}
    assert Assessment.objects.count() == before


def test_a_reader_is_refused_and_another_teams_source_is_not_found(peru_world: World):
    reader = peru_world.client("a-reader").post("/api/v1/assessments/", NEW, format="json")
    assert reader.status_code == 403
    response = peru_world.client("a-analyst").post(
        "/api/v1/assessments/", {**NEW, "source": "pe-2009"}, format="json"
    )
    assert response.status_code == 404


def test_from_another_assessment_of_the_team_with_its_risks(world: World):
    response = world.client("a-analyst").post(
        "/api/v1/assessments/",
        {**NEW, "source": A_SLUG, "with_risks": True, "slug": "co-from-zz"},
        format="json",
    )
    assert response.status_code == 201, response.content
    was = export_version(Assessment.objects.get(slug=A_SLUG).latest_version())
    doc = export_version(Assessment.objects.get(slug="co-from-zz").latest_version())
    assert [r["id"] for r in doc["risks"]] == [r["id"] for r in was["risks"]]
    assert doc["matrix"] == was["matrix"]


def test_the_openapi_description_has_it(world: World):
    schema = world.client("a-reader").get("/api/schema/?format=json").json()
    post = schema["paths"]["/api/v1/assessments/"]["post"]
    assert post["summary"] == "Start a new assessment (analysts)"
    body = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body.endswith("/NewAssessmentRequest")
    assert "custom_areas" in schema["components"]["schemas"]["NewAssessmentRequest"]["properties"]


def test_a_scope_left_out_is_made_from_the_areas(world: World):
    new = {k: v for k, v in NEW.items() if k != "scope"}
    response = world.client("a-analyst").post("/api/v1/assessments/", new, format="json")
    assert response.status_code == 201, response.content
    version = Assessment.objects.get(slug=response.json()["assessment"]).latest_version()
    assert version.scope == (
        "Staff and operations in Antioquia, Cauca, Nariño and Pacific coast (Colombia)"
    )
