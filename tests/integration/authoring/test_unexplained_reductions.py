"""The review page points a reviewer at a risk whose residual level is below its inherent level
though no measure is recorded against it (the register would print "Measures: none" between a
high inherent and a low residual): worth a look, not a gate."""

from __future__ import annotations

import html
import re

import pytest

from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.interchange import read_version
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.method.matrix import default_matrix
from riskatlas.method.register import rate_risks, unexplained_reductions
from tests.integration.conftest import client_for

pytestmark = pytest.mark.django_db


def _review(version: AssessmentVersion) -> str:
    page = client_for("analyst").get(f"/assessments/zz-test/v{version.number}/review/")
    return html.unescape(re.sub(r"\s+", " ", page.content.decode()))


def test_the_review_page_names_a_reduction_no_measure_explains(version: AssessmentVersion):
    road = Risk.objects.get(version=version, key="road")
    assert road.measures == []
    number = next(r.number for r in rate_risks(read_version(version)) if r.id == "road")
    page = _review(version)
    assert "Worth a look" in page
    assert f"R{number} “{road.title}”: residual high below its inherent very high" in page
    assert "with no measure recorded" in page


def test_a_measure_on_the_risk_ends_the_note(version: AssessmentVersion):
    road = Risk.objects.get(version=version, key="road")
    measure = next(m for r in Risk.objects.filter(version=version) for m in r.measures)

    def add_measure() -> Risk:
        road.measures = [measure]
        road.save()
        return road

    writer.change(version, add_measure, parts=lambda risk: [risk])
    assert f"“{road.title}”: residual" not in _review(version)


def test_the_rule():
    def risk(key: str, residual_likelihood: int) -> dict[str, object]:
        return {
            **{"id": key, "title": key.upper(), "category": "CRM", "area": "PE"},
            "inherent": {"likelihood": 4, "impact": 4},
            "residual": {"likelihood": residual_likelihood, "impact": 4},
        }

    doc = {"risks": [risk("a", 2), risk("b", 3)]}
    # a: high → medium without a measure; b: high → high (a lower score, the same level).
    assert unexplained_reductions(rate_risks(doc, default_matrix())) == [
        "R2 “A”: residual medium below its inherent high with no measure recorded"
    ]
