"""A draft version (zz-test v1 from the interchange fixture), its team's analyst and reader,
and a reader of another team."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.document import load_document
from tests.integration.conftest import PASSWORD

FIELD_NOTES = """Field notes: Peru, 2008

Shining Path (SL) is estimated at around 300 fighters in Ayacucho Department. According to \
official data, armed robbery and kidnappings in Lima increased in 2008. Gunmen abducted two \
engineers in Lima on 12 March 2008. It is recommended to use a secure taxi company from the \
airport. Street crime in Huancayo will probably rise. <script>alert(1)</script>
"""


@pytest.fixture
def version(everything_yaml: Path) -> AssessmentVersion:
    result = import_document(load_document(everything_yaml), team=ensure_team("Field team"))
    for name, team, role in (
        ("analyst", "Field team", "analyst"),
        ("reader", "Field team", "reader"),
        ("outsider", "Other team", "admin"),
    ):
        add_user(name, team, role, PASSWORD)
    return result.version


@pytest.fixture
def analyst() -> object:
    return get_user_model().objects.get(username="analyst")
