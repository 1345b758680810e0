"""The risk form made quicker (issue 12): a source cited in the same form as the risk (all of
the citation checked, nothing saved while any of it is wrong), no threat chosen for the
analyst, the threat a title names proposed, and the matrix ready for the page's script."""

from __future__ import annotations

import html

import pytest

from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import AssessmentVersion, ExposureGroup, Risk
from riskatlas.apps.intelligence.models import Evidence, Source
from tests.integration.authoring.conftest import road_accidents
from tests.integration.conftest import client_for

pytestmark = pytest.mark.django_db
NEW = "/assessments/zz-test/v1/edit/risks/new/"


CITATION = {
    "cite-title": "FCDO travel advice: Peru",
    "cite-url": "https://www.gov.uk/foreign-travel-advice/peru",
    "cite-kind": "official",
    "cite-grade": "B2",  # the reliability and the credibility in one choice
    "cite-quote": "Road travel can be dangerous, particularly at night.",
    "cite-where": "Safety and security",
}


def test_a_new_risk_and_its_cited_source_are_saved_together(version: AssessmentVersion):
    response = client_for("analyst").post(NEW, road_accidents(version, **CITATION), follow=True)
    shown = html.unescape(response.content.decode())
    assert "Saved risk “Road accidents”" in shown and "Cited “FCDO travel advice: Peru”" in shown
    assert "“Road travel can be dangerous, particularly at night.”" in shown  # beside the risk
    risk = next(r for r in export_version(version)["risks"] if r["title"] == "Road accidents")
    assert risk["evidence"] == [
        {
            "source": "fcdo-travel-advice-peru",
            "credibility": 2,
            "quote": "Road travel can be dangerous, particularly at night.",
            "note": "Safety and security",
        }
    ]
    source = Source.objects.get(version=version, key="fcdo-travel-advice-peru")
    assert (source.kind, source.reliability) == ("official", "B")


def test_a_citation_without_its_grade_saves_neither_the_risk_nor_the_source(
    version: AssessmentVersion,
):
    before = (Risk.objects.count(), Source.objects.count(), Evidence.objects.count())
    incomplete = {k: v for k, v in CITATION.items() if k != "cite-grade"}
    response = client_for("analyst").post(NEW, road_accidents(version, **incomplete))
    assert response.status_code == 200
    shown = html.unescape(response.content.decode())
    assert "Please correct the marked fields (nothing was saved)." in shown
    assert shown.count("This field is required.") == 1  # the grade: there is no default
    assert (Risk.objects.count(), Source.objects.count(), Evidence.objects.count()) == before


def test_a_listed_source_is_cited_from_the_risk_form_with_its_own_grade(
    version: AssessmentVersion,
):
    press = Source.objects.get(version=version, key="press")
    citation = {"cite-source": str(press.pk), "cite-grade": "C3", "cite-quote": "Crashes."}
    response = client_for("analyst").post(NEW, road_accidents(version, **citation))
    assert response.status_code == 302
    risk = Risk.objects.get(version=version, title="Road accidents")
    evidence = Evidence.objects.get(subject_kind="risk", subject_id=risk.pk)
    assert (evidence.source_id, evidence.grade) == (press.pk, "C3")
    assert Source.objects.filter(version=version).count() == 3  # the fixture's three


def test_a_new_risk_has_no_threat_chosen_for_it(version: AssessmentVersion):
    client = client_for("analyst")
    page = html.unescape(client.get(NEW).content.decode())
    assert '<option value="" selected>— choose —</option>' in page
    response = client.post(NEW, road_accidents(version, category=""))
    assert response.status_code == 200 and not Risk.objects.filter(title="Road accidents")
    assert "This field is required." in response.content.decode()


def test_the_threat_a_title_names_is_proposed(version: AssessmentVersion):
    client = client_for("analyst")
    url = "/assessments/zz-test/v1/edit/risks/threat/"
    assert client.get(url, {"title": "Kidnap on rural roads"}).json() == {
        "category": "KID",
        "name": "Kidnap",
    }
    assert client.get(url, {"title": "Street crime in Lima"}).json()["category"] == "CRM"
    assert client.get(url, {"title": "Quarterly planning"}).json() == {
        "category": "",
        "name": "",
    }


def test_the_matrix_is_ready_to_be_clicked_and_works_without_script(version: AssessmentVersion):
    page = client_for("analyst").get(NEW).content.decode()
    assert "riskatlas/risk_form.js" in page
    # Each cell says what it sets; the picker and the note are hidden until the script runs
    # (without it the labelled dropdowns set the ratings).
    assert page.count('data-likelihood="') == 25
    assert '<fieldset class="matrix-picker" data-matrix-picker hidden>' in page
    assert '<p class="help" data-residual-follows hidden>' in page
    for name in ("inherent_likelihood", "inherent_impact", "residual_likelihood"):
        assert f'name="{name}"' in page


def test_measures_ticked_on_the_form_are_applied_with_the_risk(version: AssessmentVersion):
    client = client_for("analyst")
    offered = client.get(
        "/assessments/zz-test/v1/edit/risks/measure-choices/",
        {"category": "TRN", "title": "Road accidents", "add_measures": "COM-CHECK-IN"},
    ).content.decode()
    # The threat's measures, the risk's words first; one ticked stays ticked.
    assert offered.index("MOV-NO-NIGHT-TRAVEL") < offered.index("MOV-SECURE-TAXI")
    assert 'value="COM-CHECK-IN" checked' in offered
    ticked = {"add_measures": ["MOV-NO-NIGHT-TRAVEL", "MOV-VETTED-DRIVERS"]}
    assert client.post(NEW, road_accidents(version, **ticked)).status_code == 302
    doc = export_version(version)
    risk = next(r for r in doc["risks"] if r["title"] == "Road accidents")
    assert risk["measures"] == ["MOV-NO-NIGHT-TRAVEL", "MOV-VETTED-DRIVERS"]
    # The library's measures are copied into the assessment, as on the measures page.
    assert {"MOV-NO-NIGHT-TRAVEL", "MOV-VETTED-DRIVERS"} <= {m["code"] for m in doc["mitigations"]}
    # A risk's page does not offer again what it already has.
    page = client.get(f"/assessments/zz-test/v1/edit/risks/{_pk(version)}/").content.decode()
    assert 'value="MOV-NO-NIGHT-TRAVEL"' not in page and 'value="MOV-JOURNEY-PLAN"' in page


def _pk(version: AssessmentVersion) -> int:
    return Risk.objects.get(version=version, title="Road accidents").pk


def test_an_only_staff_group_is_ticked_on_a_new_risk(version: AssessmentVersion):
    client = client_for("analyst")
    two = client.get(NEW).content.decode()
    assert 'id="id_exposed_0" checked' not in two  # two groups: the analyst ticks
    ExposureGroup.objects.filter(version=version, key="international-staff").delete()
    one = html.unescape(client.get(NEW).content.decode())
    assert 'value="national-staff" id="id_exposed_0" checked' in one
    assert "The assessment's only staff group, ticked." in one


def test_a_known_official_page_is_described_but_not_graded(version: AssessmentVersion):
    url = "/assessments/zz-test/v1/edit/sources/about/"
    client = client_for("analyst")
    about = client.get(url, {"url": "https://www.gov.uk/foreign-travel-advice/colombia"}).json()
    assert about == {"title": "FCDO travel advice: Colombia", "author": "FCDO", "kind": "official"}
    assert client.get(url, {"url": "https://example.org/news"}).json() == {}
    page = client.get(NEW).content.decode()
    assert 'data-source-url="/assessments/zz-test/v1/edit/sources/about/"' in page


def test_the_citation_is_not_marked_as_required_until_it_is_begun(version: AssessmentVersion):
    client = client_for("analyst")
    page = client.get(NEW).content.decode()
    cite = page[page.index("Cite a source") : page.index("form-actions")]
    assert 'title="required"' not in cite
    begun = client.post(NEW, road_accidents(version, **{"cite-quote": "Crashes."})).content.decode()
    cite = begun[begun.index("Cite a source") : begun.index("form-actions")]
    assert 'title="required"' in cite and "This field is required." in cite  # the grade
