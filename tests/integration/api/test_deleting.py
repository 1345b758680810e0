"""Deleting risks, incidents, actors, areas and sources through the API, with the editing
page's rules: nothing another part still names, the evidence filed under the part goes with
it, analysts only, draft versions only, and every deletion in the audit log."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments.interchange import export_version, import_document
from riskatlas.apps.assessments.models import AssessmentVersion, Recommendation, Risk
from riskatlas.apps.audit.models import AuditEntry
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.apps.intelligence.models import Actor, ActorLink, Evidence, Incident, Source
from tests.integration.api.conftest import A_SLUG, DRAFT_MARK, World

pytestmark = pytest.mark.django_db


def draft() -> AssessmentVersion:
    return AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=2)


def evidence_of(kind: str, pk: int) -> list[Evidence]:
    return list(Evidence.objects.filter(subject_kind=kind, subject_id=pk))


def test_a_risk_named_by_a_recommendation_is_kept_until_it_is_not(world: World):
    risk = Risk.objects.get(version=draft(), key="crime-lima")
    assert evidence_of("risk", risk.pk)
    client = world.client("a-analyst")
    response = client.delete(f"/api/v1/risks/{risk.pk}/")
    assert response.status_code == 409
    body = response.json()
    assert body["references"] == ["recommendation “Book a secure taxi.”"]
    assert "still used by recommendation “Book a secure taxi.”" in body["detail"]
    assert Risk.objects.filter(pk=risk.pk).exists() and evidence_of("risk", risk.pk)

    Recommendation.objects.filter(version=draft()).delete()
    response = client.delete(f"/api/v1/risks/{risk.pk}/")
    assert response.status_code == 204, response.content
    assert not Risk.objects.filter(pk=risk.pk).exists()
    assert not evidence_of("risk", risk.pk)  # its evidence went with it, as on the page
    assert client.get(f"/api/v1/risks/{risk.pk}/").status_code == 404
    assert "crime-lima" not in [r["id"] for r in export_version(draft())["risks"]]
    entries = AuditEntry.objects.filter(via="api", action="deleted", username="a-analyst")
    assert {(e.object_type, e.object_key) for e in entries} >= {
        ("risk", "crime-lima"),
        ("evidence", f"on risk {risk.pk}"),
    }


def test_an_incident_goes_with_its_evidence_and_the_version_stays_whole(world: World):
    incident = Incident.objects.get(version=draft(), key="attack-2023")
    assert evidence_of("incident", incident.pk)
    response = world.client("a-reviewer").delete(f"/api/v1/incidents/{incident.pk}/")
    assert response.status_code == 204, response.content
    assert not Incident.objects.filter(pk=incident.pk).exists()
    assert not evidence_of("incident", incident.pk)
    doc = export_version(draft())
    assert [i["id"] for i in doc["incidents"]] == ["old-event"]
    assert import_document(doc).action == "unchanged"  # the content hash followed


@pytest.mark.parametrize(
    ("route", "model", "lookup", "references"),
    [
        (
            "actors",
            Actor,
            {"key": "armed-group"},
            [f"incident “2023-06-09 Attack on a patrol {DRAFT_MARK}”"],
        ),
        (
            "areas",
            AssessmentArea,
            {"code": "PE-LMA"},
            [
                f"risk R2 “Street crime in Lima {DRAFT_MARK}”",  # its number in the register
                "place “Lima”",
                "activity “Office work”",
            ],
        ),
        ("areas", AssessmentArea, {"code": "vraem"}, [f"actor “Armed Group {DRAFT_MARK}”"]),
        (
            "sources",
            Source,
            {"key": "press"},
            ["4 evidence item(s)", f"actor “Armed Group {DRAFT_MARK}”"],
        ),
    ],
)
def test_parts_still_named_elsewhere_are_not_deleted(
    world: World, route: str, model: Any, lookup: dict[str, str], references: list[str]
):
    part = model.objects.get(version=draft(), **lookup)
    response = world.client("a-analyst").delete(f"/api/v1/{route}/{part.pk}/")
    assert response.status_code == 409
    assert response.json()["references"] == references
    assert model.objects.filter(pk=part.pk).exists()


def test_an_unused_actor_area_and_source_can_be_deleted(world: World):
    client = world.client("a-analyst")
    traffickers = Actor.objects.get(version=draft(), key="traffickers")
    # Another actor's link to it would be lost without a word: named, and nothing deleted.
    refused = client.delete(f"/api/v1/actors/{traffickers.pk}/")
    assert refused.status_code == 409
    assert refused.json()["references"] == [f"actor “Armed Group {DRAFT_MARK}” (link: protects)"]
    ActorLink.objects.filter(version=draft()).delete()
    assert client.delete(f"/api/v1/actors/{traffickers.pk}/").status_code == 204
    area = AssessmentArea.objects.get(version=draft(), code="PE-AYA")
    Incident.objects.filter(version=draft(), area=area).update(area=None, place=None)
    assert client.delete(f"/api/v1/areas/{area.pk}/").status_code == 409  # a place is in it
    source = Source.objects.create(
        version=draft(),
        position=9,
        key="spare",
        title="Spare",
        kind="press",
        reliability="F",
        credibility=6,
    )
    assert client.delete(f"/api/v1/sources/{source.pk}/").status_code == 204
    assert [s["id"] for s in export_version(draft())["sources"]] == ["field", "press", "ana"]


def test_a_deleted_risk_id_can_be_used_again(world: World, documents: dict[str, Any]):
    """Only within its own version: the id of another version's risk is no obstacle (the
    number of a version is not the database id of some other version)."""
    doc = copy.deepcopy(documents[A_SLUG])
    doc["assessment"]["slug"] = "zz-new"
    import_document(doc, team=ensure_team("Field team"))
    road = Risk.objects.get(version__assessment__slug="zz-new", key="road")
    client = world.client("a-analyst")
    assert client.delete(f"/api/v1/risks/{road.pk}/").status_code == 204
    body = {
        "assessment": "zz-new",
        "version": 1,
        "key": "road",
        "title": "Road accidents",
        "category": "TRN",
        "area": "PE",
        "inherent": {"likelihood": 4, "impact": 5},
        "residual": {"likelihood": 3, "impact": 4},
        "rationale": "Bad roads.",
    }
    response = client.post("/api/v1/risks/", body, format="json")
    assert response.status_code == 201, response.content


def test_frozen_versions_readers_and_other_teams_delete_nothing(peru_world: World):
    published = AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=1)
    old = Incident.objects.get(version=published, key="old-event")
    response = peru_world.client("a-admin").delete(f"/api/v1/incidents/{old.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "zz-test version 1 is published and frozen; make a new version to change it"
    )
    road = Risk.objects.get(version=draft(), key="road")
    response = peru_world.client("a-reader").delete(f"/api/v1/risks/{road.pk}/")
    assert response.status_code == 403
    assert peru_world.client("b-reader").delete(f"/api/v1/risks/{road.pk}/").status_code == 404
    peru_risk = Risk.objects.filter(version__assessment__slug="pe-2009").first()
    assert (
        peru_world.client("a-analyst").delete(f"/api/v1/risks/{peru_risk.pk}/").status_code == 404
    )
    analyst = peru_world.client("a-analyst")
    assert analyst.post(f"/api/v1/assessments/{A_SLUG}/versions/2/submit").status_code == 200
    response = analyst.delete(f"/api/v1/risks/{road.pk}/")
    assert response.status_code == 409
    assert "version 2 is in review" in response.json()["detail"]
    assert Incident.objects.filter(pk=old.pk).exists()
    assert Risk.objects.filter(pk__in=[road.pk, peru_risk.pk]).count() == 2
    assert not AuditEntry.objects.filter(via="api", action="deleted").exists()


def test_a_place_named_by_sites_routes_and_incidents_is_not_lost_silently(world: World):
    from riskatlas.apps.assessments.deleting import delete_part
    from riskatlas.apps.assessments.models import Route, Site
    from riskatlas.apps.geography.models import Place

    lima = Place.objects.get(version=draft(), key="lima")
    ayacucho = Place.objects.get(version=draft(), key="ayacucho")
    assert delete_part(lima, "place") == ["site “Lima office”", "route “Lima to Ayacucho”"]
    assert delete_part(ayacucho, "place") == [
        f"incident “2023-06-09 Attack on a patrol {DRAFT_MARK}”",
        "route “Lima to Ayacucho”",
    ]
    # Nothing changed: the sites and routes still name their places.
    assert Site.objects.get(version=draft()).place == lima
    route = Route.objects.get(version=draft())
    assert (route.origin, route.destination) == (lima, ayacucho)
