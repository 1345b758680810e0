"""The editor names an area as a reader knows it: an ISO 3166 area with its code in brackets
("Lima (PE-LMA)"), an analyst's own area (the VRAEM, the Huallaga valley) by its name alone,
not followed by its internal id ("… (VRAE) (vraem)")."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from riskatlas.apps.assessments.models import AssessmentVersion

pytestmark = pytest.mark.django_db

VRAEM = "Apurímac and Ene river valleys (VRAE)"
HUALLAGA = 'Huallaga valley (the author\'s "Lower Huallaga")'


def _text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def test_the_editor_names_custom_areas_without_their_ids(analyst_on_draft: Client):
    version = AssessmentVersion.objects.get()
    base = f"/assessments/{version.assessment.slug}/v{version.number}/edit/"
    for kind in ("places", "risks"):
        page = _text(analyst_on_draft, base + f"{kind}/")
        assert f'<td data-label="Area">{VRAEM}</td>' in page, kind
        assert f'<td data-label="Area">{HUALLAGA}</td>' in page, kind
        assert "(vraem)" not in page and "(huallaga)" not in page, kind
    # The area menu of a risk's form: ISO areas keep their code, custom areas are named alone.
    form = _text(analyst_on_draft, base + "risks/new/")
    assert f">{VRAEM}</option>" in form and ">Lima (Metropolitan Lima) (PE-LMA)</option>" in form
