"""Every kind of part of the interchange format has an edit page: listed, made, changed and
deleted through the pages (and so through the writer), the document staying valid."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.test import Client

from riskatlas.apps.assessments.forms import PART_KINDS
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.interchange.registry import SECTIONS
from riskatlas.apps.assessments.models import AssessmentVersion, ExposureGroup
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.document.checks import check_references
from riskatlas.document.schema import check_schema
from tests.integration.conftest import client_for

pytestmark = pytest.mark.django_db


def _client() -> Client:
    return client_for("analyst")


def test_every_section_of_the_format_has_an_edit_page():
    edited = {kind.model for kind in PART_KINDS.values()}
    missing = [section for model, section in SECTIONS.items() if model not in edited]
    assert missing == []


def _new_parts(version: AssessmentVersion) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """For each kind added for item 2 of issue 12: what to make it with, and a change."""
    lima = Place.objects.filter(version=version).first()
    assert lima is not None
    area = AssessmentArea.objects.get(version=version, code="PE-LMA")
    return {
        "exposure-groups": ({"key": "drivers", "name": "Drivers"}, {"name": "Hired drivers"}),
        "activities": (
            {"name": "Monitoring visits", "areas": ["PE-AYA"]},
            {"name": "Monitoring visits", "areas": ["PE-AYA", "PE-LMA"]},
        ),
        "sites": ({"name": "Field office", "place": lima.pk}, {"name": "Main field office"}),
        "routes": (
            {"name": "Airport run", "origin": lima.pk, "destination": lima.pk},
            {"name": "Airport run by night", "origin": lima.pk},
        ),
        "threats": (
            {"category": "NAT", "summary": "Earthquakes and floods."},
            {"summary": "Earthquakes, floods and landslides.", "trend": "stable"},
        ),
        "places": (
            {"key": "callao", "name": "Callao", "area": area.pk, "lat": "-12.05", "lon": "-77.13"},
            {"name": "Callao port", "area": area.pk, "kind": "city"},
        ),
        "official-advice": (
            {"government": "CA", "level": "Exercise a high degree of caution"},
            {"level": "Avoid non-essential travel", "no_go": "VRAEM"},
        ),
    }


def test_each_new_kind_is_made_changed_and_deleted_from_its_pages(version: AssessmentVersion):
    client = _client()
    base = "/assessments/zz-test/v1/edit"
    for slug, (made, changed) in _new_parts(version).items():
        kind = PART_KINDS[slug]
        before = kind.model.objects.filter(version=version).count()
        assert client.get(f"{base}/{slug}/").status_code == 200, slug
        response = client.post(f"{base}/{slug}/new/", made)
        assert response.status_code == 302, (slug, html.unescape(response.content.decode())[:3000])
        part = kind.model.objects.filter(version=version).last()
        page = client.get(f"{base}/{slug}/{part.pk}/")
        assert page.status_code == 200
        response = client.post(f"{base}/{slug}/{part.pk}/", {**made, **changed})
        assert response.status_code == 302, (slug, html.unescape(response.content.decode())[:3000])
        part.refresh_from_db()
        for field, value in changed.items():
            stored = getattr(part, field)
            if field == "no_go":
                assert stored == [value]
            elif hasattr(stored, "pk"):
                assert stored.pk == value, (slug, field)
            else:
                assert stored == value, (slug, field)
        doc = export_version(version)
        assert check_schema(doc) + check_references(doc) == [], slug
        assert client.post(f"{base}/{slug}/{part.pk}/delete/").status_code == 302, slug
        assert kind.model.objects.filter(version=version).count() == before, slug


def test_a_group_a_risk_names_is_not_deleted(version: AssessmentVersion):
    group = ExposureGroup.objects.get(version=version, key="international-staff")
    response = _client().post(f"/assessments/zz-test/v1/edit/exposure-groups/{group.pk}/delete/")
    assert response.status_code == 409
    shown = html.unescape(response.content.decode())
    assert re.search(r"risk R\d+ “", shown) and "recommendation “" in shown
    assert ExposureGroup.objects.filter(pk=group.pk).exists()


def test_a_bad_place_is_refused_by_field(version: AssessmentVersion):
    area = AssessmentArea.objects.get(version=version, code="PE-LMA")
    response = _client().post(
        "/assessments/zz-test/v1/edit/places/new/",
        {"key": "nowhere", "name": "Nowhere", "area": area.pk, "lat": "95", "lon": "0"},
    )
    assert response.status_code == 200
    assert "Between -90 and 90." in html.unescape(response.content.decode())
    assert not Place.objects.filter(key="nowhere").exists()
