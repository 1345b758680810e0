"""A new version keeps its predecessor's review-by date; once that date has passed approval is
refused, so the editor's overview and the review page (where the draft is submitted) say so
before it is submitted — and say nothing once a date ahead is set."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.test import Client

from riskatlas.apps.assessments.models import AssessmentVersion

pytestmark = pytest.mark.django_db

TO_RENEW = "Review by 31 May 2010 — this date has passed; set a new one before submitting"


def _text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"\s+", " ", response.content.decode())))


def test_a_past_review_by_date_is_flagged_before_submitting(analyst_on_draft: Client):
    version = AssessmentVersion.objects.get()
    assert version.review_by == dt.date(2010, 5, 31)  # the Peru example's, as a new version keeps
    base = f"/assessments/{version.assessment.slug}/v{version.number}/"
    assert TO_RENEW in _text(analyst_on_draft, base + "edit/")
    assert TO_RENEW + "." in _text(analyst_on_draft, base + "review/")
    ahead = dt.date.today() + dt.timedelta(days=90)
    AssessmentVersion.objects.filter(pk=version.pk).update(review_by=ahead)
    for page in ("edit/", "review/"):
        text = _text(analyst_on_draft, base + page)
        assert f"Review by {ahead.day} {ahead:%b %Y}" in text, page
        assert "set a new one" not in text and "this date has passed" not in text, page
