"""Which risk a threat sentence is suggested under, on the Peru assessment: the item's
strongest category, then a risk in an area the sentence names, then shared words; and no
suggestion at all when no risk is of its categories."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.drafts.models import DraftItem
from riskatlas.apps.drafts.services import matching_risks, read_into
from riskatlas.document import load_document
from tests.integration.conftest import client_for

pytestmark = pytest.mark.django_db
PERU = Path(__file__).resolve().parents[3] / "examples" / "peru-2009.yaml"
NOTE = (
    "Victims are taken hostage and forced to withdraw money from ATM machines before "
    "midnight in Lima.\n\n"
    "National staff were kidnapped during field work in remote parts of Apurimac.\n\n"
    "Border disputes with Ecuador remain a source of tension.\n\n"
    "Earthquakes and floods are frequent."
)


@pytest.fixture
def peru_draft(version: AssessmentVersion) -> AssessmentVersion:
    doc = load_document(PERU)
    doc["assessment"]["status"] = "draft"
    return import_document(doc, team=ensure_team("Field team")).version


def _item(document, start: str) -> DraftItem:  # type: ignore[no-untyped-def]
    return next(i for i in document.items.filter(kind="category") if i.quote.startswith(start))


def test_the_likeliest_risk_is_suggested_first(peru_draft: AssessmentVersion):
    document = read_into(peru_draft, "Note", NOTE, use_model=False)
    risks = list(Risk.objects.filter(version=peru_draft).select_related("area"))
    first = {
        start: matching_risks(_item(document, start), risks)[0].key
        for start in ("Victims are taken hostage", "National staff", "Border disputes")
    }
    assert first == {
        "Victims are taken hostage": "express-kidnapping",  # Lima, ATM
        "National staff": "kidnap-remote-national-staff",  # Apurímac, field work
        "Border disputes": "ecuador-border-tension",
    }
    assert matching_risks(_item(document, "Earthquakes"), risks) == []


def test_the_page_suggests_nothing_when_no_risk_is_of_its_categories(
    peru_draft: AssessmentVersion,
):
    document = read_into(peru_draft, "Note", NOTE, use_model=False)
    weather = _item(document, "Earthquakes")
    kidnap = _item(document, "Victims are taken hostage")
    url = f"/assessments/{peru_draft.assessment.slug}/v{peru_draft.number}/drafts/{document.pk}/"
    page = client_for("analyst").get(url).content.decode()
    weather_form = page[page.index(f'id="risk-{weather.pk}"') :]
    weather_form = weather_form[: weather_form.index("</select>")]
    assert "required" in weather_form.split(">")[0]
    assert '<option value="">— no risk of its categories: choose one —</option>' in weather_form
    kidnap_form = page[page.index(f'id="risk-{kidnap.pk}"') :]
    kidnap_form = kidnap_form[: kidnap_form.index("</select>")]
    assert "choose one" not in kidnap_form
    assert kidnap_form.split("<option")[1].split(">")[1].startswith("KID · Express kidnapping")
