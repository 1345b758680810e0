"""The dropdowns of the edit pages name their choices as people write them: governments by
name ("United States", was "Us"), the NGO kind of source as "NGO" (was "Ngo"); the
assessment page names a source's kind in words ("NGO report", was "ngo")."""

from __future__ import annotations

import html
import re

import pytest

from riskatlas.apps.assessments.models import AssessmentVersion
from tests.integration.conftest import client_for

pytestmark = pytest.mark.django_db


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, name
    return [html.unescape(o) for o in re.findall(r"<option[^>]*>([^<]*)</option>", select[0])]


def test_governments_and_source_kinds_are_named(version: AssessmentVersion):
    client = client_for("analyst")
    base = "/assessments/zz-test/v1/edit"
    advice = client.get(f"{base}/official-advice/new/").content.decode()
    assert _options(advice, "government")[:3] == ["United States", "United Kingdom", "Canada"]
    source = client.get(f"{base}/sources/new/").content.decode()
    assert "NGO" in _options(source, "kind") and "Ngo" not in _options(source, "kind")


def test_the_assessment_page_names_a_sources_kind(version: AssessmentVersion):
    page = html.unescape(client_for("analyst").get("/assessments/zz-test/v1/").content.decode())
    sources = page.split('id="sources"', 1)[1]
    assert 'data-label="Kind">field mission<' in sources
    assert 'data-label="Kind">press reports<' in sources
    assert 'data-label="Kind">field-mission<' not in sources
