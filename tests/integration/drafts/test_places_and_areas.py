"""Accepting a place never adds an assessment area unless the analyst ticks "add as an
assessment area": a report that names departments in passing ("only accessible by air")
must not leave areas that print "not assessed"."""

from __future__ import annotations

from typing import Any

import pytest

from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.drafts.models import DraftItem, SourceDocument
from riskatlas.apps.drafts.services import DraftError, accept, decide_all, read_into
from riskatlas.apps.geography.models import AssessmentArea, Place
from tests.integration.conftest import client_for

pytestmark = pytest.mark.django_db

NOTE = """Travel in Peru, 2024

The departmental capitals of Amazonas, Loreto and Ucayali are only accessible by air.
Tourists have been robbed at gunpoint in the Miraflores district of Lima.
Protesters blocked the main road near Huancayo for a week.
"""
BASE = "/assessments/zz-test/v1/drafts/"


@pytest.fixture
def document(version: AssessmentVersion) -> SourceDocument:
    return read_into(version, "Travel note", NOTE, use_model=False)


def _codes(version: AssessmentVersion) -> list[str]:
    return sorted(AssessmentArea.objects.filter(version=version).values_list("code", flat=True))


def _place(document: SourceDocument, name: str) -> DraftItem:
    return document.items.get(kind="place", payload__name=name)


def test_accepting_every_place_adds_no_area(document: SourceDocument, analyst: Any):
    version = document.version
    before = _codes(version)
    places = list(document.items.filter(kind="place"))
    names = {i.payload["name"]: i.payload["iso_3166"] for i in places}
    assert names == {
        "Amazonas": "PE-AMA",
        "Loreto": "PE-LOR",
        "Ucayali": "PE-UCA",
        "Miraflores": "PE-LMA",  # a district of Lima, not a town of that name elsewhere
        "Lima": "PE-LMA",
        "Huancayo": "PE-JUN",
    }
    result = decide_all(places, analyst, "accept")
    assert result.done["place"] == 6 and not result.left
    assert _codes(version) == before  # no area added
    made = {p.name: (p.kind, p.area.code) for p in Place.objects.filter(version=version)}
    # Each is recorded as a place of the version's most specific area that holds it.
    assert made["Amazonas"] == ("district", "PE")
    assert made["Miraflores"] == ("district", "PE-LMA")
    assert made["Huancayo"] == ("city", "PE")


def test_the_analyst_may_choose_to_add_the_area(document: SourceDocument, analyst: Any):
    version = document.version
    area = accept(_place(document, "Loreto"), analyst, add_area=True)
    assert isinstance(area, AssessmentArea) and (area.code, area.name) == ("PE-LOR", "Loreto")
    town = accept(_place(document, "Huancayo"), analyst, add_area=True)
    assert (town.name, town.area.code) == ("Huancayo", "PE-JUN")
    assert {"PE-LOR", "PE-JUN"} <= set(_codes(version))


def test_a_place_outside_every_area_is_refused_with_what_to_do(
    version: AssessmentVersion, analyst: Any
):
    document = read_into(version, "Colombia", "Armed robbery is common in Bogotá, Colombia.")
    bogota = _place(document, "Bogotá")
    assert bogota.payload["iso_3166"] == "CO-DC"
    before = _codes(version)
    with pytest.raises(DraftError, match="outside this version's areas: tick “add as an"):
        accept(bogota, analyst)
    assert _codes(version) == before
    bogota.refresh_from_db()
    assert bogota.status == "proposed"
    # Added as an area, it is one of a country bordering Peru: allowed.
    assert accept(bogota, analyst, add_area=True).area.code == "CO-DC"


def test_the_review_page_offers_the_choice_off_by_default(document: SourceDocument):
    client = client_for("analyst")
    page = client.get(f"{BASE}{document.pk}/?kind=place").content.decode()
    # Lima and its district Miraflores: PE-LMA is an area already, nothing to add.
    assert page.count('name="add_area"') == 4
    assert page.count("Lima is already an area of this version.") == 2
    assert 'name="add_area" value="1" checked' not in page
    assert "add PE-LOR as an assessment area" in page
    loreto, amazonas = _place(document, "Loreto"), _place(document, "Amazonas")
    before = _codes(document.version)
    client.post(f"{BASE}{document.pk}/items/{amazonas.pk}/", {"action": "accept"})
    assert _codes(document.version) == before
    client.post(f"{BASE}{document.pk}/items/{loreto.pk}/", {"action": "accept", "add_area": "1"})
    assert _codes(document.version) == sorted([*before, "PE-LOR"])


def test_a_place_that_is_already_an_area_is_said_to_be(version: AssessmentVersion):
    """Accepting Ayacucho, an area of the version already, said "Accepted: assessment area"
    as if it were added, and the review page offered to add it."""
    document = read_into(
        version, "Notes", "Shining Path remnants still attack patrols in Ayacucho.", use_model=False
    )
    ayacucho = document.items.get(kind="place", payload__iso_3166="PE-AYA")
    client = client_for("analyst")
    page = client.get(f"{BASE}{document.pk}/?kind=place").content.decode()
    form = page[page.index(f'id="item-{ayacucho.pk}"') :]
    form = form[: form.index("</form>")]
    assert 'name="add_area"' not in form and "is already an area of this version." in form
    before = _codes(version)
    done = client.post(
        f"{BASE}{document.pk}/items/{ayacucho.pk}/", {"action": "accept"}, follow=True
    ).content.decode()
    assert _codes(version) == before
    assert "Already in the version: assessment area" in done
    assert "Accepted: assessment area" not in done and "kept as its evidence" not in done
