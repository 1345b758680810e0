"""Pagination, filters and ordering of the lists, and the full document of a version."""

from __future__ import annotations

from typing import Any

import pytest

from riskatlas.apps.assessments.interchange import export_version, import_document
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.intelligence.models import Incident
from riskatlas.document import load_document
from riskatlas.document.checks import check_references
from riskatlas.document.schema import check_schema
from riskatlas.method import Matrix
from tests.integration.api.conftest import A_SLUG, B_SLUG, World

pytestmark = pytest.mark.django_db


def keys(world: World, user: str, url: str) -> list[str]:
    response = world.client(user).get(url)
    assert response.status_code == 200, response.content
    return [item["key"] for item in response.json()["results"]]


def test_pages_of_a_list(peru_world: World):
    client = peru_world.client("b-reader")
    first = client.get("/api/v1/risks/?page_size=5").json()
    assert first["count"] == 18 and len(first["results"]) == 5
    assert first["previous"] is None and "page=2" in first["next"]
    last = client.get("/api/v1/risks/?page_size=5&page=4").json()
    assert len(last["results"]) == 3 and last["next"] is None
    seen = {
        r["key"]
        for page in (1, 2, 3, 4)
        for r in client.get(f"/api/v1/risks/?page_size=5&page={page}").json()["results"]
    }
    assert len(seen) == 18
    assert client.get("/api/v1/risks/?page=9").status_code == 404


def test_page_size_is_capped(world: World):
    draft = AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=2)
    Incident.objects.bulk_create(
        Incident(
            version=draft,
            position=10 + i,
            key=f"bulk-{i}",
            title="Bulk",
            date="2020",
            categories=["CRM"],
        )
        for i in range(210)
    )
    body = world.client("a-analyst").get("/api/v1/incidents/?version=2&page_size=1000").json()
    assert body["count"] == 212
    assert len(body["results"]) == 200 and body["next"] is not None
    assert len(world.client("a-analyst").get("/api/v1/incidents/").json()["results"]) == 50


def test_risk_filters(peru_world: World, peru_yaml):
    assert keys(peru_world, "b-reader", "/api/v1/risks/?category=KID") == [
        "express-kidnapping",
        "kidnap-remote-national-staff",
    ]
    assert len(keys(peru_world, "b-reader", "/api/v1/risks/?area=PE-LMA")) == 5
    assert keys(peru_world, "b-reader", "/api/v1/risks/?area=vraem") == ["insurgent-attack-vraem"]
    doc = load_document(peru_yaml)
    matrix = Matrix.from_dict(doc["matrix"])

    def at(level: str) -> set[str]:
        return {
            r["id"]
            for r in doc["risks"]
            if matrix.level(r["residual"]["likelihood"], r["residual"]["impact"]).name == level
        }

    assert at("high")  # the example has high risks, so the filter below is tested
    assert set(keys(peru_world, "b-reader", "/api/v1/risks/?residual_level=high")) == at("high")
    code = matrix.levels[-2].code  # the same level by its code
    assert set(keys(peru_world, "b-reader", f"/api/v1/risks/?residual_level={code}")) == {
        r["id"]
        for r in doc["risks"]
        if matrix.level(r["residual"]["likelihood"], r["residual"]["impact"]).code == code
    }
    assert keys(peru_world, "b-reader", "/api/v1/risks/?residual_level=catastrophic") == []
    combined = "/api/v1/risks/?category=CRM&area=PE-LMA&assessment=pe-2009&version=1"
    expected = {r["id"] for r in doc["risks"] if r["category"] == "CRM" and r["area"] == "PE-LMA"}
    assert expected and set(keys(peru_world, "b-reader", combined)) == expected


def test_bad_filter_values_say_what_is_wrong(peru_world: World):
    response = peru_world.client("b-reader").get("/api/v1/risks/?category=XYZ&version=two")
    assert response.status_code == 400
    errors = response.json()
    assert "XYZ is not one of the available choices" in errors["category"][0]
    assert "number" in errors["version"][0]


def test_ordering(peru_world: World):
    url = "/api/v1/risks/?ordering=-residual_score,key"
    results = peru_world.client("b-reader").get(url).json()["results"]
    scores = [r["residual"]["likelihood"] * r["residual"]["impact"] for r in results]
    assert scores == sorted(scores, reverse=True) and results[0]["key"] == "road-accidents"
    names = [
        a["name"]
        for a in peru_world.client("b-reader")
        .get("/api/v1/actors/?ordering=-name")
        .json()["results"]
    ]
    assert len(names) == 12 and names == sorted(names, reverse=True)


def test_versions_and_current(world: World):
    analyst = world.client("a-analyst")
    assert {r["version"] for r in analyst.get("/api/v1/risks/").json()["results"]} == {1, 2}
    assert keys(world, "a-analyst", "/api/v1/risks/?version=2") == ["crime-lima", "road"]
    current = analyst.get("/api/v1/risks/?current=true").json()["results"]
    assert {r["version"] for r in current} == {1}  # the newest published version
    versions = analyst.get(f"/api/v1/assessments/{A_SLUG}/versions/").json()["results"]
    assert [(v["number"], v["status"]) for v in versions] == [(1, "published"), (2, "draft")]
    drafts = analyst.get(f"/api/v1/assessments/{A_SLUG}/versions/?status=draft").json()
    assert [v["number"] for v in drafts["results"]] == [2]
    reader = world.client("a-reader").get(f"/api/v1/assessments/{A_SLUG}/versions/").json()
    assert [v["number"] for v in reader["results"]] == [1]


def test_incident_filters(peru_world: World):
    def dates(query: str) -> list[str]:
        response = peru_world.client("b-reader").get(f"/api/v1/incidents/?ordering=date&{query}")
        return [i["date"] for i in response.json()["results"]]

    assert dates("") == ["2000", "2002", "2003-06-09", "2009"]
    assert dates("date_from=2003-01-01&date_to=2005-12-31") == ["2003-06-09"]
    assert dates("date_from=2009-06-01") == ["2009"]  # a year-only date covers the year
    assert dates("date_to=2001-12-31") == ["2000"]
    assert dates("date_from=2003-06-09&date_to=2003-06-09") == ["2003-06-09"]
    assert len(dates("category=TER")) == 2
    assert dates("category=CRM") == []
    response = peru_world.client("b-reader").get("/api/v1/incidents/?date_from=yesterday")
    assert response.status_code == 400


def test_actor_and_area_filters(peru_world: World):
    types = [
        a["type"]
        for a in peru_world.client("b-reader")
        .get("/api/v1/actors/?type=insurgent")
        .json()["results"]
    ]
    assert types == ["insurgent", "insurgent"]
    in_vraem = peru_world.client("b-reader").get("/api/v1/actors/?area=vraem").json()["results"]
    assert in_vraem and all("vraem" in a["areas"] for a in in_vraem)
    areas = peru_world.client("a-reader").get("/api/v1/areas/?no_go=true").json()["results"]
    assert [(a["code"], a["is_custom"], a["parts"]) for a in areas] == [
        ("vraem", True, ["PE-AYA", "PE-CUS"])
    ]
    lima = peru_world.client("a-reader").get("/api/v1/areas/?code=PE-LMA").json()["results"]
    assert [p["key"] for p in lima[0]["places"]] == ["lima"]


def test_assessment_list_and_filters(peru_world: World):
    body = peru_world.client("b-reader").get("/api/v1/assessments/?country=pe").json()
    assert [a["slug"] for a in body["results"]] == [B_SLUG]
    current = body["results"][0]["current_version"]
    assert current["number"] == 1 and current["status"] == "published"
    assert current["level"]["value"] >= 1
    empty = peru_world.client("b-reader").get("/api/v1/assessments/?team=field-team").json()
    assert empty["count"] == 0


def test_the_document_of_a_version(peru_world: World):
    url = f"/api/v1/assessments/{B_SLUG}/versions/1/document"
    response = peru_world.client("b-reader").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    doc: dict[str, Any] = response.json()
    version = AssessmentVersion.objects.get(assessment__slug=B_SLUG, number=1)
    assert doc == export_version(version)
    assert doc["assessment"]["slug"] == B_SLUG and len(doc["risks"]) == 18
    assert check_schema(doc) == [] and check_references(doc) == []
    assert import_document(doc).action == "unchanged"
