"""The web workspace: read a report, see it highlighted, accept or reject its items."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.drafts.highlight import Span, highlighted_html
from riskatlas.apps.drafts.models import DraftItem, SourceDocument
from riskatlas.apps.drafts.services import read_into
from riskatlas.apps.intelligence.models import Evidence, Incident
from tests.integration.conftest import client_for
from tests.integration.drafts.conftest import FIELD_NOTES
from tests.integration.drafts.test_background_reading import finished

pytestmark = pytest.mark.django_db
BASE = "/assessments/zz-test/v1/drafts/"


@pytest.mark.django_db(transaction=True)
def test_an_analyst_uploads_a_report_and_reviews_it(version: AssessmentVersion):
    client = client_for("analyst")
    upload = SimpleUploadedFile("notes.md", FIELD_NOTES.encode())
    response = finished(client, {"file": upload, "title": ""})
    document = SourceDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}{document.pk}/"
    assert document.title == "notes.md"

    page = client.get(response["Location"]).content.decode()
    assert "13 to review" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    incident = document.items.get(kind="incident")
    assert re.search(
        rf'<mark class="draft draft-incident[^"]*" data-items="{incident.pk}[ "]', page
    )
    # A threat sentence offers the version's risks of its categories to file it under.
    item = next(i for i in document.items.filter(kind="category") if "kidnappings" in i.quote)
    form = page[page.index(f'id="item-{item.pk}"') :]
    form = form[: form.index("</form>")]
    assert "Street crime in Lima" in form and "Road accident" not in form

    risk = Risk.objects.get(version=version, key="crime-lima")
    url = f"{BASE}{document.pk}/items/{item.pk}/"
    done = client.post(url, {"action": "accept", "risk": str(risk.pk)})
    assert done.status_code == 302 and done["Location"].endswith(f"#item-{item.pk}")
    assert Evidence.objects.filter(subject_kind="risk", subject_id=risk.pk, credibility=2).exists()
    again = client.post(url, {"action": "accept", "risk": str(risk.pk)}, follow=True)
    assert "already accepted" in again.content.decode()

    rejected = document.items.get(kind="incident")
    client.post(f"{BASE}{document.pk}/items/{rejected.pk}/", {"action": "reject"})
    rejected.refresh_from_db()
    assert rejected.status == "rejected"
    assert not Incident.objects.filter(version=version, date="2008-03-12").exists()

    listing = client.get(BASE).content.decode()
    assert "notes.md" in listing


@pytest.mark.django_db(transaction=True)
def test_pasted_text_and_bad_uploads(version: AssessmentVersion):
    client = client_for("analyst")
    response = finished(client, {"title": "Pasted", "text": FIELD_NOTES})
    assert response.status_code == 302
    assert SourceDocument.objects.get().title == "Pasted"
    odd = SimpleUploadedFile("notes.exe", b"MZ")
    page = client.post(BASE + "read/", {"file": odd}).content.decode()
    assert "notes.exe: unsupported file type" in page
    page = client.post(BASE + "read/", {"title": "nothing"}).content.decode()
    assert "Upload a file or paste the text" in page
    assert SourceDocument.objects.count() == 1


def test_readers_get_403_and_other_teams_404(version: AssessmentVersion):
    document = read_into(version, "Field notes", FIELD_NOTES)
    item = document.items.get(kind="incident")
    urls = [BASE, BASE + "read/", f"{BASE}{document.pk}/"]
    decide = f"{BASE}{document.pk}/items/{item.pk}/"
    reader, outsider = client_for("reader"), client_for("outsider")
    for url in urls:
        assert reader.get(url).status_code == 403, url
        assert outsider.get(url).status_code == 404, url
    assert reader.post(decide, {"action": "accept"}).status_code == 403
    assert outsider.post(decide, {"action": "accept"}).status_code == 404
    item.refresh_from_db()
    assert item.status == DraftItem.Status.PROPOSED


def test_a_frozen_version_says_so(version: AssessmentVersion):
    document = read_into(version, "Field notes", FIELD_NOTES)
    version.status = "published"
    version.save()
    response = client_for("analyst").post(
        f"{BASE}{document.pk}/items/{document.items.first().pk}/", {"action": "reject"}
    )
    assert response.status_code == 409


def test_the_version_panel_offers_reading_a_report(version: AssessmentVersion):
    page = client_for("analyst").get("/assessments/zz-test/v1/").content.decode()
    assert f'href="{BASE}read/">Read a report</a>' in page


def test_highlighting_escapes_the_text_and_survives_overlaps():
    text = 'A <b>bold</b> "claim" & more.'
    html = highlighted_html(text, [Span(1, "category", 0, len(text)), Span(2, "trend", 2, 13)])
    assert "<b>" not in html
    assert html.count("<mark") == 3 and html.count("</mark>") == 3
    assert '<mark class="draft draft-trend draft-category is-proposed" data-items="2 1">' in html
    assert re.sub(r"<[^>]+>", "", html) == (
        "A &lt;b&gt;bold&lt;/b&gt; &quot;claim&quot; &amp; more."
    )


def test_an_incident_at_a_place_without_a_code_is_shown(version: AssessmentVersion):
    """The optional model finds places no gazetteer holds ("near Toccate"): no ISO code."""
    document = read_into(version, "Pipeline note", FIELD_NOTES, use_model=False)
    incident = document.items.get(kind="incident")
    incident.payload["where"] = [
        {"text": "Toccate", "start": 0, "end": 7, "name": "Toccate", "iso_3166": None}
    ]
    incident.save()
    for query in ("", "?kind=incident"):
        response = client_for("analyst").get(f"{BASE}{document.pk}/{query}")
        assert response.status_code == 200
        assert "Toccate (no ISO code)" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_same_text_is_read_once_per_version(version: AssessmentVersion):
    client = client_for("analyst")
    first = finished(client, {"title": "Notes", "text": FIELD_NOTES})
    items = DraftItem.objects.count()
    again = finished(client, {"title": "Notes again", "text": FIELD_NOTES})
    again = client.get(again["Location"], follow=True)
    assert SourceDocument.objects.count() == 1 and DraftItem.objects.count() == items
    assert again.request["PATH_INFO"] == first["Location"]
    page = again.content.decode()
    assert "This text was read into version 1 before, as “Notes”" in page
    assert "nothing was added" in page


def test_a_report_read_by_mistake_can_be_deleted_until_something_is_accepted(
    version: AssessmentVersion,
):
    from riskatlas.apps.audit.models import AuditEntry
    from riskatlas.apps.drafts.services import accept

    client = client_for("analyst")
    mistake = read_into(version, "Hello world", FIELD_NOTES)
    url = f"{BASE}{mistake.pk}/delete/"
    assert "Delete this report" in client.get(f"{BASE}{mistake.pk}/").content.decode()
    client.post(url)  # without the confirmation nothing happens
    assert SourceDocument.objects.filter(pk=mistake.pk).exists()
    assert client_for("reader").post(url, {"confirm": "yes"}).status_code == 403
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302 and response["Location"] == BASE
    assert not SourceDocument.objects.filter(pk=mistake.pk).exists()
    assert not DraftItem.objects.filter(document_id=mistake.pk).exists()
    assert AuditEntry.objects.filter(
        action="deleted", object_key__contains="Hello world"
    ).exists() or (AuditEntry.objects.filter(action="deleted").exists())

    kept = read_into(version, "Field notes", FIELD_NOTES)
    accept(kept.items.get(kind="incident"), get_user_model().objects.get(username="analyst"))
    page = client.get(f"{BASE}{kept.pk}/").content.decode()
    assert "Delete this report" not in page
    refused = client.post(f"{BASE}{kept.pk}/delete/", {"confirm": "yes"}, follow=True)
    assert "the report stays as the record of where they came from" in refused.content.decode()
    assert SourceDocument.objects.filter(pk=kept.pk).exists()


def test_a_long_report_lists_its_items_a_page_at_a_time(version: AssessmentVersion):
    from riskatlas.apps.drafts.views import ITEMS_PER_PAGE

    text = "\n\n".join(f"Armed robbery is common near market number {n}." for n in range(130))
    document = read_into(version, "Long report", text, use_model=False)
    total = document.items.count()
    assert total > ITEMS_PER_PAGE
    client = client_for("analyst")
    first = client.get(f"{BASE}{document.pk}/?kind=category").content.decode()
    assert f"Items 1–{ITEMS_PER_PAGE} of {total}" in first
    assert first.count('class="draft-item ') == ITEMS_PER_PAGE
    assert first.count('name="item" value=') == ITEMS_PER_PAGE  # bulk: this page's items only
    listed = first.split('<div class="draft-items">')[1]
    assert "market number 0." in listed and "market number 129." not in listed
    second = client.get(f"{BASE}{document.pk}/?kind=category&page=2").content.decode()
    assert second.count('class="draft-item ') == total - ITEMS_PER_PAGE
    # The whole text stays highlighted on every page.
    assert second.count('data-items="') == first.count('data-items="')


def test_an_actor_already_in_the_version_under_another_spelling_is_not_added_again(
    version: AssessmentVersion,
):
    """The seed report's "Tupac Amaru" is proposed as the Túpac Amaru Revolutionary Movement;
    the version has it as "Tupac Amaru Revolutionary Movement" (alias "Tupac Amaru").
    Accepting it made a second actor, and the page said "Accepted: actor …"."""
    from riskatlas.apps.intelligence.models import Actor

    mrta = Actor.objects.create(
        version=version,
        position=9,
        key="mrta",
        name="Tupac Amaru Revolutionary Movement",
        aliases=["Tupac Amaru", "MRTA"],
        type="insurgent",
    )
    text = (
        "Regarding the terrorism groups who used to frighten Peru, Shining Path and Tupac "
        "Amaru, both have been almost successfully fought in the Eighties."
    )
    document = read_into(version, "Blog 2009", text)
    item = next(i for i in document.items.filter(kind="actor") if "Amaru" in i.payload["name"])
    assert item.payload["name"] != mrta.name  # spelt otherwise: Túpac
    client = client_for("analyst")
    page = client.post(
        f"{BASE}{document.pk}/items/{item.pk}/", {"action": "accept"}, follow=True
    ).content.decode()
    assert Actor.objects.filter(version=version).count() == 3  # the fixture's two, and MRTA
    assert (
        "Already in the version: actor “Tupac Amaru Revolutionary Movement”; the report&#x27;s "
        "sentence is kept as its evidence." in page
    )
    assert Evidence.objects.filter(
        subject_kind="actor", subject_id=mrta.pk, source__title="Blog 2009"
    ).exists()
