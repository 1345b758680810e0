"""An integration syncing incidents from an incident-reporting system: what it adds through the
API is what analysts see on the assessment page and what `riskatlas export` writes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.cli import main
from tests.integration.api.conftest import A_SLUG, World

pytestmark = pytest.mark.django_db


def test_an_incident_added_through_the_api_is_on_the_page_and_in_the_export(
    world: World, tmp_path: Path
):
    api = world.client("a-analyst")
    source = {
        "assessment": A_SLUG,
        "version": 2,
        "key": "incident-system",
        "title": "Incident reporting system",
        "kind": "ngo",
        "reliability": "B",
        "credibility": 2,
    }
    assert api.post("/api/v1/sources/", source, format="json").status_code == 201
    incident = {
        "assessment": A_SLUG,
        "version": 2,
        "key": "carjacking-2024-03",
        "title": "Carjacking of a project vehicle",
        "date": "2024-03-14",
        "place": "lima",
        "area": "PE-LMA",
        "categories": ["CRM"],
        "injured": 1,
        "description": "Driver unhurt; vehicle recovered.",
    }
    response = api.post("/api/v1/incidents/", incident, format="json")
    assert response.status_code == 201, response.content
    changed = api.patch(f"/api/v1/incidents/{response.json()['id']}/", {"killed": 0}, format="json")
    assert changed.status_code == 200, changed.content

    browser = Client()
    browser.force_login(get_user_model().objects.get(username="a-analyst"))
    page = browser.get(f"/assessments/{A_SLUG}/v2/")
    assert page.status_code == 200
    assert "Carjacking of a project vehicle" in page.content.decode()
    published = browser.get(f"/assessments/{A_SLUG}/v1/").content.decode()
    assert "Carjacking of a project vehicle" not in published  # only the draft changed

    out = tmp_path / "zz-test-2.yaml"
    result = CliRunner().invoke(main, ["export", f"{A_SLUG}@2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    exported = {i["id"]: i for i in doc["incidents"]}
    assert exported["carjacking-2024-03"] == {
        "id": "carjacking-2024-03",
        "title": "Carjacking of a project vehicle",
        "date": "2024-03-14",
        "place": "lima",
        "area": "PE-LMA",
        "categories": ["CRM"],
        "casualties": {"killed": 0, "injured": 1},
        "description": "Driver unhurt; vehicle recovered.",
    }
    assert {s["id"]: s["reliability"] for s in doc["sources"]}["incident-system"] == "B"
    # The export is a valid document that `riskatlas validate` accepts.
    result = CliRunner().invoke(main, ["validate", str(out)])
    assert result.exit_code == 0, result.output
