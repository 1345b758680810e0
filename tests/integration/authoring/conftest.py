"""The authoring pages' tests: the version they edit (every field of
the interchange format, an analyst of its team) and a risk as the risk form posts it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.document import load_document
from tests.integration.conftest import PASSWORD


@pytest.fixture
def version(everything_yaml: Path) -> AssessmentVersion:
    """The example with every field, imported for the team "Field team" and its analyst."""
    add_user("analyst", "Field team", "analyst", PASSWORD)
    return import_document(load_document(everything_yaml), team=ensure_team("Field team")).version


def road_accidents(version: AssessmentVersion, **more: Any) -> dict[str, Any]:
    """A new risk's fields as the risk form posts them (the whole country, rated 4×4 and
    3×3 with measures), with ``more`` in place of any of them."""
    country = AssessmentArea.objects.get(version=version, code="PE")
    return {
        "title": "Road accidents",
        "category": "TRN",
        "area": country.pk,
        "exposed": ["national-staff"],
        "inherent_likelihood": "4",
        "inherent_impact": "4",
        "residual_likelihood": "3",
        "residual_impact": "3",
        "rationale": "Mountain roads and night driving.",
        **more,
    }
