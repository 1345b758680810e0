"""The editor numbers the risks as the register does (R1 the worst), in the register's order,
so that an analyst finds the report's R2 in the editor: its list and each risk's form."""

from __future__ import annotations

import html
import re

import pytest

from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.models import Risk
from tests.integration.conftest import client_for
from tests.integration.workspace.conftest import Workspace

pytestmark = pytest.mark.django_db


def _rows(page: str) -> list[str]:
    """The risk list's rows as text, one string a row."""
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))).strip() for row in rows
    ]


def test_the_risk_list_and_form_give_the_register_numbers(workspace: Workspace):
    crime = Risk.objects.get(version=workspace.version, key="crime-lima")
    road = Risk.objects.get(version=workspace.version, key="road")

    def rate() -> list[Risk]:
        # Both high inherent and medium residual; the road's residual score (3 × 3) is above
        # the crime's (2 × 4), so the register puts the road first though it is stored second.
        crime.inherent_likelihood, crime.inherent_impact = 5, 3
        crime.residual_likelihood, crime.residual_impact = 2, 4
        road.inherent_likelihood, road.inherent_impact = 4, 4
        road.residual_likelihood, road.residual_impact = 3, 3
        crime.save()
        road.save()
        return [crime, road]

    writer.change(workspace.version, rate, parts=lambda saved: saved)
    assert crime.position < road.position
    analyst = client_for("analyst")
    base = workspace.base()
    page = analyst.get(base + "edit/risks/").content.decode()
    assert _rows(page)[0].startswith("R1 Road accident"), _rows(page)
    assert _rows(page)[1].startswith("R2 Street crime in Lima"), _rows(page)
    # The published page's register gives the same numbers.
    register = analyst.get(base).content.decode()
    assert re.search(r">R1<.*?Road accident", register, re.S)
    form = analyst.get(f"{base}edit/risks/{crime.pk}/").content.decode()
    assert "<h2>Edit risk R2: Street crime in Lima</h2>" in form
