"""Evidence from any source: citing a source on a risk (a listed one or a new one, with a
grade the analyst must choose), and a report read into the version filed under the analyst's
own source rather than a twin."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.drafts.services import accept, read_into
from riskatlas.apps.intelligence.models import Evidence, Source
from tests.integration.conftest import client_for

pytestmark = pytest.mark.django_db


def _client() -> Client:
    return client_for("analyst")


def _url(version: AssessmentVersion, risk: Risk) -> str:
    return f"/assessments/zz-test/v{version.number}/edit/risks/{risk.pk}/cite/"


def test_a_new_source_cited_with_a_quote_and_a_chosen_grade(version: AssessmentVersion):
    risk = Risk.objects.get(version=version, key="crime-lima")
    page = _client().get(f"/assessments/zz-test/v1/edit/risks/{risk.pk}/").content.decode()
    assert _url(version, risk) in page  # the risk's page offers it
    response = _client().post(
        _url(version, risk),
        {
            "title": "FCDO travel advice: Colombia",
            "url": "https://www.gov.uk/foreign-travel-advice/colombia",
            "author": "FCDO",
            "date": "2026-11-20",
            "kind": "official",
            "grade": "B2",
            "quote": "There is a high threat of kidnap in rural areas.",
            "where": "Safety and security, para. 3",
        },
    )
    assert response.status_code == 302, html.unescape(response.content.decode())[:3000]
    doc = export_version(version)
    source = next(s for s in doc["sources"] if s["title"] == "FCDO travel advice: Colombia")
    assert (source["id"], source["reliability"], source["credibility"]) == (
        "fcdo-travel-advice-colombia",
        "B",
        2,
    )
    cited = next(r for r in doc["risks"] if r["id"] == "crime-lima")["evidence"][-1]
    assert cited == {
        "source": "fcdo-travel-advice-colombia",
        "credibility": 2,
        "quote": "There is a high threat of kidnap in rural areas.",
        "note": "Safety and security, para. 3",
    }
    shown = html.unescape(
        _client().get(f"/assessments/zz-test/v1/edit/risks/{risk.pk}/").content.decode()
    )
    assert "“There is a high threat of kidnap in rural areas.”" in shown
    assert "FCDO travel advice: Colombia, graded B2 · Safety and security, para. 3" in shown


def test_no_grade_is_assumed_and_nothing_is_saved_without_one(version: AssessmentVersion):
    risk = Risk.objects.get(version=version, key="crime-lima")
    before = (Source.objects.count(), Evidence.objects.count())
    page = html.unescape(_client().get(_url(version, risk)).content.decode())
    assert '<option value="" selected>— choose —</option>' in page
    response = _client().post(
        _url(version, risk), {"title": "Local radio", "kind": "press", "quote": "Roadblocks."}
    )
    assert response.status_code == 400
    shown = html.unescape(response.content.decode())
    assert "A new source needs this." not in shown  # title and kind given
    assert shown.count("This field is required.") == 1  # the grade: one choice, no default
    assert (Source.objects.count(), Evidence.objects.count()) == before
    # The sources page's own form has no default grade either.
    form = html.unescape(
        _client().get("/assessments/zz-test/v1/edit/sources/new/").content.decode()
    )
    assert form.count('<option value="" selected>— choose —</option>') == 2


def test_the_grade_is_one_choice_and_a_listed_source_keeps_its_letter(
    version: AssessmentVersion,
):
    risk = Risk.objects.get(version=version, key="crime-lima")
    page = html.unescape(_client().get(_url(version, risk)).content.decode())
    assert '<option value="B2">B2 — usually reliable, probably true</option>' in page
    assert 'name="reliability"' not in page and 'name="credibility"' not in page
    press = Source.objects.get(version=version, key="press")  # graded C
    before = Evidence.objects.count()
    response = _client().post(
        _url(version, risk), {"source": str(press.pk), "grade": "A1", "quote": "Robberies."}
    )
    assert response.status_code == 400
    shown = html.unescape(response.content.decode())
    assert f"“{press.title}” is graded C (its reliability): choose C1 to C6." in shown
    assert Evidence.objects.count() == before


def test_a_listed_source_keeps_its_grade_and_a_same_address_is_not_a_twin(
    version: AssessmentVersion,
):
    risk = Risk.objects.get(version=version, key="crime-lima")
    press = Source.objects.get(version=version, key="press")
    response = _client().post(
        _url(version, risk), {"source": str(press.pk), "grade": "C4", "quote": "Robberies."}
    )
    assert response.status_code == 302
    # A "new" source with the press source's address (written otherwise) is the press source.
    response = _client().post(
        _url(version, risk),
        {
            "title": "News",
            "url": "HTTP://example.org/news/",
            "kind": "press",
            "grade": "A3",
            "quote": "Armed robbery.",
        },
    )
    assert response.status_code == 302
    assert Source.objects.filter(version=version).count() == 3  # the three of the fixture: no twin
    press.refresh_from_db()
    assert (press.reliability, press.credibility) == ("C", 3)
    grades = [e.grade for e in Evidence.objects.filter(source=press, subject_id=risk.pk)]
    assert grades[-2:] == ["C4", "C3"]


def test_a_report_read_is_filed_under_the_analysts_source_of_that_title(
    version: AssessmentVersion,
):
    analyst: Any = get_user_model().objects.get(username="analyst")
    document = read_into(
        version, "Press reports", "Armed robbery and kidnappings in Lima increased in 2008."
    )
    risk = Risk.objects.get(version=version, key="crime-lima")
    item = document.items.filter(kind="category").first()
    assert item is not None
    accept(item, analyst, risk=risk)
    assert Source.objects.filter(version=version).count() == 3  # the fixture's three: no "report-1"
    assert Evidence.objects.filter(subject_id=risk.pk).order_by("pk").last().source.key == "press"
    other = read_into(version, "Another report", "Armed robbery in Lima rose in 2009.")
    accept(other.items.filter(kind="category").first(), analyst, risk=risk)
    assert Source.objects.filter(version=version).count() == 4  # "Another report" beside the three
