"""Accepting a proposed item makes real, graded content in the draft version; rejecting
makes none; a frozen version refuses both; nothing is accepted twice."""

from __future__ import annotations

from typing import Any

import pytest

from riskatlas.apps.assessments.models import (
    AssessmentVersion,
    FrozenVersionError,
    Mitigation,
    Recommendation,
    Risk,
)
from riskatlas.apps.drafts.models import DraftItem, SourceDocument
from riskatlas.apps.drafts.services import DraftError, accept, read_into, reject
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.models import Actor, Evidence, Incident
from riskatlas.extraction.engine import available_model
from tests.integration.drafts.conftest import FIELD_NOTES

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(version: AssessmentVersion) -> SourceDocument:
    return read_into(version, "Field notes, March 2008", FIELD_NOTES)


def _item(document: SourceDocument, kind: str, contains: str = "") -> DraftItem:
    return next(i for i in document.items.filter(kind=kind) if contains in i.quote)


def _evidence_on(kind: str, pk: int) -> Evidence:
    """The evidence the report gave this subject (the fixture has evidence of its own)."""
    return Evidence.objects.get(
        subject_kind=kind, subject_id=pk, source__title="Field notes, March 2008"
    )


def test_an_incident_keeps_its_date_precision_area_and_quote(
    document: SourceDocument, analyst: Any
):
    item = _item(document, "incident")
    incident = accept(item, analyst)
    assert isinstance(incident, Incident)
    assert (incident.date, incident.date_precision) == ("2008-03-12", "day")
    assert incident.categories == ["KID"]
    assert incident.area is not None and incident.area.code == "PE-LMA"
    evidence = _evidence_on("incident", incident.pk)
    assert evidence.quote == "Gunmen abducted two engineers in Lima on 12 March 2008."
    assert evidence.source.title == "Field notes, March 2008"
    assert evidence.grade == "F6"  # no credibility cue in that sentence
    item.refresh_from_db()
    assert (item.status, item.target_kind, item.target_id) == ("accepted", "incident", incident.pk)
    assert item.decided_by == analyst and item.decided_at is not None


def test_an_actor_gets_its_strength_figure(document: SourceDocument, analyst: Any):
    actor = accept(_item(document, "actor"), analyst)
    assert isinstance(actor, Actor)
    assert (actor.name, actor.type, actor.aliases) == ("Shining Path", "insurgent", ["SL"])
    assert actor.strength_fighters == 300
    assert actor.strength_estimate == "estimated at around 300 fighters"
    assert actor.strength_source == document_source(document)
    evidence = _evidence_on("actor", actor.pk)
    assert "300 fighters" in evidence.quote and evidence.grade == "F6"


def document_source(document: SourceDocument) -> Any:
    document.refresh_from_db()
    return document.source


def test_a_recommendation_brings_its_library_measure(document: SourceDocument, analyst: Any):
    # The fixture recommends and uses the measure already: take both out first.
    Recommendation.objects.filter(mitigation="MOV-SECURE-TAXI").delete()
    Mitigation.objects.filter(code="MOV-SECURE-TAXI").delete()
    made = accept(_item(document, "recommendation", "secure taxi"), analyst)
    assert isinstance(made, Recommendation)
    assert (made.priority, made.mitigation) == ("medium", "MOV-SECURE-TAXI")
    copied = Mitigation.objects.get(version=made.version, code="MOV-SECURE-TAXI")
    assert copied.name == "Pre-booked secure taxi company"
    assert _evidence_on("recommendation", made.pk).quote.startswith("It is recommended")


def test_a_town_outside_the_areas_brings_its_area_when_asked(
    document: SourceDocument, analyst: Any
):
    assert not AssessmentArea.objects.filter(code="PE-JUN").exists()
    place = accept(_item(document, "place", "Huancayo"), analyst, add_area=True)
    assert isinstance(place, Place)
    assert (place.name, place.area.code, place.area.name) == ("Huancayo", "PE-JUN", "Junín")
    assert place.lat == pytest.approx(-12.07, abs=0.01)
    assert place.lon == pytest.approx(-75.21, abs=0.01)


def test_a_region_is_the_versions_own_custom_area(version: AssessmentVersion, analyst: Any):
    document = read_into(version, "VRAEM note", "In Peru, the VRAEM is a no-go area.")
    region = document.items.get(kind="place")
    assert region.payload["kind"] == "region"
    area = accept(region, analyst)
    assert (area.code, area.name) == ("vraem", "VRAEM")  # the fixture's, not a second one
    assert AssessmentArea.objects.filter(version=version, name__icontains="vraem").count() == 1


def test_a_threat_sentence_becomes_evidence_under_the_chosen_risk(
    document: SourceDocument, analyst: Any
):
    item = _item(document, "category", "kidnappings in Lima")
    risk = Risk.objects.get(version=document.version, key="crime-lima")
    with pytest.raises(DraftError, match="choose the risk"):
        accept(item, analyst)
    assert accept(item, analyst, risk=risk) == risk
    evidence = _evidence_on("risk", risk.pk)
    assert evidence.quote.startswith("According to official data")
    assert evidence.grade == "F2"  # "according to official data" in the same sentence
    assert "CRM, KID" in evidence.note


def test_a_trend_may_set_the_risks_trend(document: SourceDocument, analyst: Any):
    risk = Risk.objects.get(version=document.version, key="crime-lima")
    risk.trend = "stable"
    risk.save()
    accept(_item(document, "trend"), analyst, risk=risk, set_trend=True)
    risk.refresh_from_db()
    assert risk.trend == "rising"


def test_rejecting_changes_nothing_but_the_item(document: SourceDocument, analyst: Any):
    item = _item(document, "incident")
    reject(item, analyst)
    item.refresh_from_db()
    assert item.status == "rejected" and item.target_id is None
    assert not Incident.objects.filter(version=document.version, date="2008-03-12").exists()
    with pytest.raises(DraftError, match="already rejected"):
        accept(item, analyst)


def test_nothing_is_accepted_twice(document: SourceDocument, analyst: Any):
    item = _item(document, "incident")
    accept(item, analyst)
    with pytest.raises(DraftError, match="already accepted"):
        accept(item, analyst)
    assert Incident.objects.filter(version=document.version, date="2008-03-12").count() == 1


def test_a_frozen_version_refuses_decisions(document: SourceDocument, analyst: Any):
    version = document.version
    version.status = "approved"
    version.save()
    item = _item(document, "incident")
    with pytest.raises(FrozenVersionError, match="version 1 is approved and frozen"):
        accept(item, analyst)
    with pytest.raises(FrozenVersionError):
        reject(item, analyst)
    item.refresh_from_db()
    assert item.status == "proposed"


@pytest.mark.skipif(
    available_model() is None,
    reason="no spaCy English pipeline installed (scripts/test.sh installs the spacy extra)",
)
def test_a_place_only_the_model_knows_is_proposed_but_located_by_hand(
    version: AssessmentVersion, analyst: Any
):
    text = "In Peru, gunmen abducted gas pipeline workers near Toccate on 9 June 2003."
    document = read_into(version, "Pipeline note", text)
    assert "+spacy:" in document.engine
    item = document.items.get(kind="place")
    assert (item.payload["name"], item.payload["iso_3166"]) == ("Toccate", None)
    with pytest.raises(DraftError, match="Toccate has no ISO 3166 code"):
        accept(item, analyst)
    item.refresh_from_db()
    assert item.status == DraftItem.Status.PROPOSED  # left for the analyst, not lost
    document.delete()  # the same text is read once per version
    plain = read_into(version, "Pipeline note", text, use_model=False)
    assert not plain.items.filter(kind="place").exists()
    assert "+spacy" not in plain.engine


def test_what_the_version_already_holds_is_not_made_twice(version: AssessmentVersion, analyst: Any):
    recommendations = Recommendation.objects.filter(version=version).count()
    document = read_into(version, "Field notes, March 2008", FIELD_NOTES)
    made = accept(_item(document, "recommendation", "secure taxi"), analyst)
    assert made.mitigation == "MOV-SECURE-TAXI" and made.key == "taxis"
    assert Recommendation.objects.filter(version=version).count() == recommendations
    assert _evidence_on("recommendation", made.pk).quote.startswith("It is recommended")

    existing = Incident.objects.get(version=version, key="attack-2023")
    incidents = Incident.objects.filter(version=version).count()
    note = read_into(
        version, "Patrol report", "Rebels attacked a patrol near Ayacucho on 9 June 2023."
    )
    same = accept(note.items.get(kind="incident"), analyst)
    assert same.pk == existing.pk
    assert Incident.objects.filter(version=version).count() == incidents
    evidence = Evidence.objects.get(
        subject_kind="incident", subject_id=existing.pk, source__title="Patrol report"
    )
    assert evidence.quote.startswith("Rebels attacked a patrol")
    # Another day is another incident.
    other = read_into(
        version, "Later report", "Rebels attacked a patrol near Ayacucho on 10 June 2023."
    )
    assert accept(other.items.get(kind="incident"), analyst).pk != existing.pk


def test_official_advice_becomes_the_governments_entry(version: AssessmentVersion, analyst: Any):
    from riskatlas.apps.assessments.interchange import export_version
    from riskatlas.apps.assessments.models import OfficialAdvice
    from riskatlas.document import dump, validate_text

    text = (
        "The FCDO advises against all travel to Loreto.\n\n"
        "The FCDO advises against all but essential travel to Ayacucho Department.\n\n"
        "Elsewhere, the FCDO advises against all but essential travel to Peru.\n\n"
        "The FCDO advises against all travel to these two areas."
    )
    document = read_into(version, "FCDO Peru", text, use_model=False)
    items = list(document.items.filter(kind="advice").order_by("start"))
    assert [i.payload["government"] for i in items] == ["UK", "UK", "UK", "UK"]
    for item in items:
        accept(item, analyst)
    advice = OfficialAdvice.objects.get(version=version, government="UK")
    assert advice.level == "Level 3: advises against all but essential travel"
    assert advice.no_go == [
        "Loreto",
        "Ayacucho (advises against all but essential travel)",
    ]
    assert "advises against all travel to Loreto" in advice.summary
    # Naming neither a place nor the country, the last changes only the summary.
    assert advice.summary.endswith("The FCDO advises against all travel to these two areas.")
    # The version stays a valid document.
    assert validate_text(dump(export_version(version))).problems == []


def test_evidence_filed_under_a_risk_shows_on_its_edit_page(document: SourceDocument, analyst: Any):
    from tests.integration.conftest import client_for

    risk = Risk.objects.get(version=document.version, key="crime-lima")
    sentence = _item(document, "category", "armed robbery")
    accept(sentence, analyst, risk=risk)
    url = f"/assessments/zz-test/v1/edit/risks/{risk.pk}/"
    page = client_for("analyst").get(url).content.decode()
    assert "According to official data, armed robbery and kidnappings in Lima" in page
    assert "— Field notes, March 2008, graded F2" in page  # source F, the cue's credibility 2


def test_a_recommendation_does_not_keep_its_heading(version: AssessmentVersion, analyst: Any):
    # "Recommendations: staff should not travel…" was published as the recommendation's text.
    text = "Recommendations: staff should not travel by road to Damboa without an escort.\n"
    document = read_into(version, "Field notes, November 2026", text)
    made = accept(_item(document, "recommendation", "escort"), analyst)
    assert made.text == "Staff should not travel by road to Damboa without an escort."
    assert _evidence_on_source(made.pk, "Field notes, November 2026").quote.startswith(
        "Recommendations: staff"
    )  # the evidence still quotes the report as it is


def _evidence_on_source(pk: int, title: str) -> Evidence:
    return Evidence.objects.get(subject_kind="recommendation", subject_id=pk, source__title=title)


def test_a_place_of_a_far_country_is_not_made_an_area(version: AssessmentVersion, analyst: Any):
    # The version assesses Peru: Kaduna's state is Nigeria's, neither Peru's nor a neighbour's.
    document = read_into(version, "Regional notes", "Gunmen attacked a bus in Kaduna in 2023.\n")
    item = _item(document, "place", "Kaduna")
    with pytest.raises(DraftError) as refused:
        accept(item, analyst, add_area=True)
    assert "is an area of Nigeria, neither of Peru (PE)" in str(refused.value)
    assert not AssessmentArea.objects.filter(version=version, code__startswith="NG").exists()
