"""Several risks on one page with one save (issue 12), as a browser without scripts posts it:
blank blocks skipped, a block begun checked whole, nothing saved while any block (or its
citation) is wrong, a citation and measures on any block, the summary saved and the draft
submitted with the same click."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.assessments.forms.risks import RATING_FIELDS
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import AssessmentVersion, ExposureGroup, Risk
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.apps.intelligence.models import Evidence, Source
from tests.integration.authoring.conftest import road_accidents
from tests.integration.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db
PAGE = "/assessments/zz-test/v1/edit/risks/several/"


def _block(version: AssessmentVersion, n: int, **more: Any) -> dict[str, Any]:
    return {f"r{n}-{name}": value for name, value in road_accidents(version, **more).items()}


def _blank(version: AssessmentVersion, n: int) -> dict[str, Any]:
    """A block as a browser sends it untouched: the area chosen for it, the rest empty (the
    rating dropdowns of a block start blank)."""
    country = AssessmentArea.objects.get(version=version, code="PE")
    ratings = {f"r{n}-{name}": "" for name in RATING_FIELDS}
    return {f"r{n}-area": country.pk, f"r{n}-title": "", f"r{n}-rationale": "", **ratings}


def _errors(response: Any) -> list[str]:
    """The page's error messages, for a failing assertion to show."""
    shown = html.unescape(response.content.decode())
    return re.findall(r'class="(?:field-error|form-error)"[^>]*>([^<]*)<', shown)


def test_the_page_offers_three_blank_blocks_each_with_its_matrix(version: AssessmentVersion):
    add_user("reader", "Field team", "reader", PASSWORD)
    page = html.unescape(client_for("analyst").get(PAGE).content.decode())
    for n in range(3):
        assert f'name="r{n}-title"' in page and f'id="r{n}-levels"' in page
        assert f'name="r{n}-cite-grade"' in page
        assert f'class="rating r{n}-rating"' in page
    assert 'name="r3-title"' not in page
    # Its rating dropdowns start blank: nothing is rated for the analyst.
    start = page.index('name="r0-inherent_likelihood"')
    assert '<option value="" selected>—</option>' in page[start : page.index("</select>", start)]
    assert "Save and submit for review" in page and 'name="summary"' in page
    assert client_for("reader").get(PAGE).status_code == 403


def test_two_risks_a_citation_and_measures_saved_and_submitted_in_one_click(
    version: AssessmentVersion,
):
    before = Risk.objects.filter(version=version).count()
    data = {
        "rows": "3",
        **_block(version, 0, title="Kidnap on rural roads", category="KID"),
        **_block(
            version,
            1,
            add_measures=["MOV-VETTED-DRIVERS"],
            **{
                "cite-title": "FCDO travel advice: Peru",
                "cite-url": "https://www.gov.uk/foreign-travel-advice/peru",
                "cite-kind": "official",
                "cite-grade": "B2",
                "cite-quote": "Road travel can be dangerous.",
            },
        ),
        **_blank(version, 2),
        "summary": "Roads are the greatest threat.",
        "then": "submit",
    }
    response = client_for("analyst").post(PAGE, data)
    assert response.status_code == 302, _errors(response)
    assert response["Location"] == "/assessments/zz-test/v1/review/"
    version.refresh_from_db()
    assert Risk.objects.filter(version=version).count() == before + 2
    doc = export_version(version)
    road = next(r for r in doc["risks"] if r["title"] == "Road accidents")
    assert road["measures"] == ["MOV-VETTED-DRIVERS"]
    assert road["evidence"] == [
        {
            "source": "fcdo-travel-advice-peru",
            "credibility": 2,
            "quote": "Road travel can be dangerous.",
        }
    ]
    assert doc["assessment"]["summary"] == "Roads are the greatest threat."
    # Submitted if the gates let it; either way the summary and the risks were saved first.
    assert version.status in ("in_review", "draft")


def test_one_wrong_block_saves_nothing_and_shows_every_block_as_written(
    version: AssessmentVersion,
):
    before = (Risk.objects.count(), Source.objects.count(), Evidence.objects.count())
    summary = version.summary
    data = {
        "rows": "3",
        **_block(version, 0, title="Kidnap on rural roads", category="KID"),
        **_block(version, 1, residual_impact="", **{"cite-quote": "A quote, ungraded."}),
        **_blank(version, 2),
        "summary": "Not saved either.",
        "then": "save",
    }
    response = client_for("analyst").post(PAGE, data)
    assert response.status_code == 400
    shown = html.unescape(response.content.decode())
    assert "Please correct the marked fields (nothing was saved)." in shown
    assert 'value="Kidnap on rural roads"' in shown  # what was written stays
    assert shown.count("This field is required.") == 2  # the residual impact, the grade
    assert "A new source needs this." in shown  # block 1's citation: no title or kind
    assert (Risk.objects.count(), Source.objects.count(), Evidence.objects.count()) == before
    version.refresh_from_db()
    assert version.summary == summary


def test_one_more_block_keeps_what_was_written_and_saves_nothing(version: AssessmentVersion):
    before = Risk.objects.count()
    data = {"rows": "3", **_block(version, 0, title="Half written"), "then": "more"}
    response = client_for("analyst").post(PAGE, data)
    assert response.status_code == 200
    shown = html.unescape(response.content.decode())
    assert 'name="r3-title"' in shown and 'value="Half written"' in shown
    assert "This field is required." not in shown
    assert Risk.objects.count() == before


def test_a_block_with_the_only_staff_group_ticked_is_still_blank(version: AssessmentVersion):
    ExposureGroup.objects.filter(version=version).exclude(key="national-staff").delete()
    page = client_for("analyst").get(PAGE).content.decode()
    assert 'name="r1-exposed" value="national-staff"' in page
    before = Risk.objects.count()
    data = {
        "rows": "2",
        **_block(version, 0, title="Floods"),
        **_blank(version, 1),
        "r1-exposed": ["national-staff"],  # ticked for it, as the page shows it
        "then": "save",
    }
    response = client_for("analyst").post(PAGE, data)
    assert response.status_code == 302, _errors(response)
    assert Risk.objects.count() == before + 1


def test_two_blocks_of_one_title_get_two_ids(version: AssessmentVersion):
    data = {
        "rows": "2",
        **_block(version, 0, title="Floods"),
        **_block(version, 1, title="Floods"),
        "then": "save",
    }
    response = client_for("analyst").post(PAGE, data)
    assert response.status_code == 302, _errors(response)
    keys = sorted(
        Risk.objects.filter(version=version, title="Floods").values_list("key", flat=True)
    )
    assert keys == ["floods", "floods-2"]


def test_the_matrix_and_measures_of_one_block_are_redrawn_from_its_fields(
    version: AssessmentVersion,
):
    client = client_for("analyst")
    levels = client.get(
        "/assessments/zz-test/v1/edit/risks/levels/",
        {"prefix": "r1-", "r1-inherent_likelihood": "4", "r1-inherent_impact": "4"},
    ).content.decode()
    assert '<span class="mark">IR</span>' in levels or "I · Inherent" in levels
    choices = client.get(
        "/assessments/zz-test/v1/edit/risks/measure-choices/",
        {"prefix": "r1-", "r1-category": "TRN", "r1-title": "Road accidents"},
    ).content.decode()
    assert 'name="r1-add_measures"' in choices
