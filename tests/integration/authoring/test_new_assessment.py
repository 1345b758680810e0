"""Starting an assessment in the web app: a country, its regions ticked, custom areas, the
team's template or another assessment; problems shown by field and nothing half made."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

from riskatlas.apps.accounts.models import Team
from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.assessments.interchange import export_version, import_document
from riskatlas.apps.assessments.models import Assessment, ContextSection, TeamTemplate
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.document import load_document
from riskatlas.method.matrix import default_matrix
from tests.integration.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db


_client = client_for


@pytest.fixture
def people() -> None:
    add_user("analyst", "Field team", "analyst", PASSWORD)
    add_user("reader", "Field team", "reader", PASSWORD)
    add_user("boss", "Field team", "admin", PASSWORD)


def _details(**extra: object) -> dict[str, object]:
    return {
        "country": "CO",
        "areas": ["CO-ANT", "CO-CAU", "CO-NAR"],
        "custom_areas": "Pacific coast: CO-CAU, CO-NAR",
        "title": "Colombia security risk assessment",
        "slug": "co-2026",
        "scope": "Staff and operations in Colombia",
        "author": "A. Analyst",
        "as_of": "2026-12-01",
        "review_by": "2027-06-01",
        "start": "template",
        "with_context": "on",  # ticked unless the analyst unticks it
        **extra,
    }


def test_the_list_offers_a_new_assessment_to_analysts_only(people: None):
    assert "New assessment" in _client("analyst").get("/").content.decode()
    assert "New assessment" not in _client("reader").get("/").content.decode()
    assert _client("reader").get("/new/").status_code == 404


def test_an_analyst_starts_one_from_the_list_itself(people: None):
    """The list shows analysts the country to choose (its areas then shown below it by the
    page's script; without scripts, Show its areas opens the new-assessment page); the
    new-assessment form posts to its own page wherever it is shown."""
    page = _client("analyst").get("/").content.decode()
    assert "Start an assessment" in page and 'action="/new/"' in page
    assert 'name="country"' in page and "new_assessment.js" in page
    assert "Start an assessment" not in _client("reader").get("/").content.decode()
    form = _client("analyst").get("/new/?country=CO").content.decode()
    assert '<form method="post" action="/new/"' in form


def test_a_country_offers_its_regions_to_tick(people: None):
    page = _client("analyst").get("/new/?country=CO").content.decode()
    assert 'value="CO-ANT"' in page and "Antioquia" in page
    assert "PE-" not in page  # nor in the custom areas' example, in Colombia's own codes
    assert 'placeholder="A name: CO-AMA, CO-ANT"' in page
    peru = _client("analyst").get("/new/?country=PE").content.decode()
    assert 'placeholder="VRAEM: PE-AYA, PE-CUS, PE-JUN"' in peru
    picker = _client("analyst").get("/new/").content.decode()
    assert '<option value="CO">Colombia</option>' in picker


def test_a_draft_from_the_default_template(people: None):
    response = _client("analyst").post("/new/", _details())
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == "/assessments/co-2026/v1/edit/"
    doc = export_version(Assessment.objects.get(slug="co-2026").latest_version())
    assert [a["code"] for a in doc["areas"]] == [
        "CO",
        "CO-ANT",
        "CO-CAU",
        "CO-NAR",
        "pacific-coast",
    ]
    assert doc["areas"][-1]["parts"] == ["CO-CAU", "CO-NAR"]
    assert [g["name"] for g in doc["exposure"]["groups"]] == [
        "National staff",
        "International staff",
        "Drivers",
    ]
    assert doc["matrix"]["id"] == "default-5x5"
    assert doc["assessment"]["status"] == "draft"
    assert doc["assessment"]["review_by"] == "2027-06-01"
    assert len(doc["context"]) == 5


def test_a_team_template_edited_by_its_admin_is_what_new_drafts_get(people: None):
    boss = _client("boss")
    assert "/teams/field-team/template/" in boss.get("/new/?country=CO").content.decode()
    analyst_sees = _client("analyst").get("/new/?country=CO").content.decode()
    assert "/teams/field-team/template/" not in analyst_sees
    page = boss.get("/teams/field-team/template/")
    assert page.status_code == 200
    shown = html.unescape(page.content.decode())
    assert "national-staff: National staff" in shown and "very high" in shown
    wrong = boss.post(
        "/teams/field-team/template/",
        {"exposure_groups": "Field staff", "context": "sport: Football", "matrix": "id: [x"},
    )
    assert wrong.status_code == 400
    shown = html.unescape(wrong.content.decode())
    assert "line 1: write the id, a colon and the name" in shown
    assert "line 1: 'sport' is not a topic" in shown
    assert "not readable as YAML" in shown
    assert not TeamTemplate.objects.exists()
    response = boss.post(
        "/teams/field-team/template/",
        {
            "exposure_groups": "field-staff: Field staff\nvisitors: Visitors",
            "context": "political: Politics and the peace process",
            "matrix": yaml.safe_dump(default_matrix().to_dict()),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _client("analyst").post("/teams/field-team/template/", {}).status_code == 403
    _client("analyst").post("/new/", _details())
    doc = export_version(Assessment.objects.get(slug="co-2026").latest_version())
    assert [g["id"] for g in doc["exposure"]["groups"]] == ["field-staff", "visitors"]
    assert [c["title"] for c in doc["context"]] == ["Politics and the peace process"]
    assert TeamTemplate.objects.get().team == Team.objects.get(name="Field team")


def test_a_draft_without_the_templates_context_sections(people: None):
    """Unticked, the draft starts with no context section (none left to write before
    publication); the exposure groups are still the template's."""
    details = _details()
    del details["with_context"]
    assert _client("analyst").post("/new/", details).status_code == 302
    doc = export_version(Assessment.objects.get(slug="co-2026").latest_version())
    assert "context" not in doc
    assert len(doc["exposure"]["groups"]) == 3


def test_a_scope_left_blank_is_made_from_what_was_chosen(people: None):
    """The page says what a blank scope becomes; the server writes it (no script needed)."""
    page = html.unescape(_client("analyst").get("/new/?country=CO").content.decode())
    assert "Left blank: “Staff and operations in” the regions ticked" in page
    details = _details(scope="  ", custom_areas="")
    assert _client("analyst").post("/new/", details).status_code == 302
    version = Assessment.objects.get(slug="co-2026").latest_version()
    assert version.scope == "Staff and operations in Antioquia, Cauca and Nariño (Colombia)"
    details = _details(scope="", slug="co-2026-2", areas=[], custom_areas="")
    assert _client("analyst").post("/new/", details).status_code == 302
    version = Assessment.objects.get(slug="co-2026-2").latest_version()
    assert version.scope == "Staff and operations in Colombia"
    written = _details(slug="co-2026-3")
    assert _client("analyst").post("/new/", written).status_code == 302
    version = Assessment.objects.get(slug="co-2026-3").latest_version()
    assert version.scope == "Staff and operations in Colombia"  # as written


def test_problems_are_shown_by_field_and_nothing_is_made(people: None):
    response = _client("analyst").post(
        "/new/",
        _details(
            areas=["CO-ANT", "PE-AYA"],
            custom_areas="VRAEM PE-AYA\nCoast: CO-CAU, PE-LMA",
            title="",
            slug="Not An Id",
        ),
    )
    page = html.unescape(response.content.decode())
    assert response.status_code in (200, 400)
    assert "Select a valid choice. PE-AYA is not one of the available choices." in page
    assert "line 1: write the name, a colon and its areas' codes" in page
    assert "This field is required." in page
    assert Assessment.objects.count() == 0
    response = _client("analyst").post("/new/", _details(custom_areas="Coast: CO-CAU, PE-LMA"))
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Coast: PE-LMA is not a subdivision of Colombia" in page
    assert Assessment.objects.count() == 0


def test_an_id_already_taken_is_refused_without_touching_the_other(people: None):
    assert _client("analyst").post("/new/", _details()).status_code == 302
    response = _client("analyst").post("/new/", _details(title="Another"))
    assert response.status_code == 400
    assert "“co-2026” is taken" in html.unescape(response.content.decode())
    assert Assessment.objects.get().latest_version().title == "Colombia security risk assessment"
    assert 'value="co-2026-2"' in _client("analyst").get("/new/?country=CO").content.decode()


@pytest.fixture
def peru(people: None, peru_yaml: Path) -> Assessment:
    import_document(load_document(peru_yaml), team=Team.objects.get(name="Field team"))
    return Assessment.objects.get(slug="pe-2009")


def test_another_country_as_a_template(peru: Assessment):
    response = _client("analyst").post(
        "/new/", _details(start="assessment", source="pe-2009", with_risks="on")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    was = export_version(peru.latest_version())
    doc = export_version(Assessment.objects.get(slug="co-2026").latest_version())
    assert doc["matrix"] == was["matrix"]
    assert doc["exposure"]["groups"] == was["exposure"]["groups"]
    assert {m["code"] for m in doc["mitigations"]} == {m["code"] for m in was["mitigations"]}
    assert [c["title"] for c in doc["context"]] == [c["title"] for c in was["context"]]
    assert "Peru" in doc["context"][0]["text"] and "Shining Path" not in str(doc["context"])
    assert [r["id"] for r in doc["risks"]] == [r["id"] for r in was["risks"]]
    assert {r["area"] for r in doc["risks"]} == {"CO"}
    assert not any("evidence" in r for r in doc["risks"])
    assert doc["sources"] == [] if "sources" in doc else True


def test_a_full_copy_keeps_everything_but_the_details(peru: Assessment):
    client = _client("analyst")
    refused = client.post("/new/", _details(start="copy", source="pe-2009"))
    assert refused.status_code == 400
    assert "a full copy keeps the country" in html.unescape(refused.content.decode())
    response = client.post(
        "/new/",
        _details(
            start="copy",
            source="pe-2009",
            country="PE",
            areas=["PE-CUS"],
            custom_areas="",
            slug="pe-2026",
            title="Peru 2026",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    was = export_version(peru.latest_version())
    doc = export_version(Assessment.objects.get(slug="pe-2026").latest_version())
    assert doc["risks"] == was["risks"]
    assert doc["sources"] == was["sources"]
    assert doc["assessment"]["title"] == "Peru 2026" and doc["assessment"]["version"] == 1
    assert "PE-CUS" in [a["code"] for a in doc["areas"]]


def test_a_new_risk_is_for_the_whole_country_with_an_id_from_its_title(people: None):
    _client("analyst").post("/new/", _details())
    client = _client("analyst")
    form = html.unescape(client.get("/assessments/co-2026/v1/edit/risks/new/").content.decode())
    assert "made from the title when left empty" in form
    assert "selected>Colombia (CO)</option>" in form
    data = {
        "title": "Kidnap on rural roads",
        "category": "KID",
        "area": AssessmentArea.objects.get(code="CO").pk,
        "exposed": ["national-staff", "drivers"],
        "inherent_likelihood": "3",
        "inherent_impact": "4",
        "residual_likelihood": "2",
        "residual_impact": "4",
        "rationale": "Armed groups hold up vehicles on secondary roads.",
    }
    assert client.post("/assessments/co-2026/v1/edit/risks/new/", data).status_code == 302
    assert client.post("/assessments/co-2026/v1/edit/risks/new/", data).status_code == 302
    doc = export_version(Assessment.objects.get().latest_version())
    assert [r["id"] for r in doc["risks"]] == ["kidnap-on-rural-roads", "kidnap-on-rural-roads-2"]
    assert doc["risks"][0]["exposed"] == ["national-staff", "drivers"]


def test_the_draft_made_opens_its_risks_page_and_a_last_risk_leads_to_the_summary(
    people: None,
):
    client = _client("analyst")
    made = client.post("/new/", _details(then="risk"))
    assert made["Location"] == "/assessments/co-2026/v1/edit/risks/several/"
    data = {
        "title": "Road accidents",
        "category": "TRN",
        "area": AssessmentArea.objects.get(code="CO").pk,
        "exposed": ["drivers"],
        "inherent_likelihood": "4",
        "inherent_impact": "4",
        "residual_likelihood": "3",
        "residual_impact": "3",
        "rationale": "Mountain roads and night driving.",
        "then": "summary",
    }
    saved = client.post("/assessments/co-2026/v1/edit/risks/new/", data)
    assert saved["Location"] == "/assessments/co-2026/v1/edit/metadata/"


def _marked(page: str) -> list[str]:
    """The context list's sections marked as still holding the template's guidance."""
    rows = re.findall(r'<tr class="still-guidance">(.*?)</tr>', page, re.S)
    return [
        re.findall(r"<td[^>]*>([^<]+)<span class=\"badge-guidance\">", row)[0].strip()
        for row in rows
        if "still the template's guidance</span>" in row
    ]


def test_the_context_list_marks_the_sections_still_to_write(people: None):
    """A draft started from the template has context sections that say what to cover: the
    context list marks each "still the template's guidance" and counts them, until the
    analyst writes it (the guidance gate refuses them at approval)."""
    client = _client("analyst")
    assert client.post("/new/", _details()).status_code == 302
    url = "/assessments/co-2026/v1/edit/context/"
    page = html.unescape(client.get(url).content.decode())
    assert "5 of 5 sections still hold the template's guidance" in page
    titles = ["Politics", "Economy", "Society", "Security forces", "International relations"]
    assert _marked(page) == titles
    economy = ContextSection.objects.get(version__assessment__slug="co-2026", title="Economy")
    form = {"topic": economy.topic, "title": economy.title, "text": "Coca is the main trade."}
    assert client.post(f"{url}{economy.pk}/", form).status_code == 302
    page = html.unescape(client.get(url).content.decode())
    assert "4 of 5 sections still hold the template's guidance" in page
    assert _marked(page) == ["Politics", "Society", "Security forces", "International relations"]
    assert "Economy" in page
