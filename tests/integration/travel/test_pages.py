"""The travel pages as people use them: the Peru trip requested, why each approval is needed,
decided with conditions; personal data only for those who may see it; other teams get 404;
imports and the policy refuse bad files saying where."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from django.test import Client

from riskatlas.apps.travel.models import ApproverRole, Trip
from tests.integration.conftest import us_advice_in_store

from .conftest import TRIP_FILE, Peru

pytestmark = pytest.mark.django_db


def _client(peru: Peru, username: str) -> Client:
    client = Client()
    client.force_login(peru.users[username])
    return client


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def _words(response) -> str:
    """The page as read: its text without the tags."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", response.content.decode())))


def test_the_trip_page_shows_levels_why_and_the_broken_measure(peru: Peru):
    page = _text(_client(peru, "analyst").get(f"/trips/{peru.trip.pk}/"))
    assert "Huancavelica (PE-HUV)" in page and "(PE-LMA)" in page and "(PE-APU)" in page
    assert 'data-kind="stale-assessment"' in page
    assert "past its review-by date 2010-05-31" in page
    assert re.search(r"No road travel after dark</strong> — <strong>broken by segment 2", page)
    assert "new-to-region" in page  # the rule that fired, with its reason
    assert "Request approval" in page


def test_official_advice_is_read_beside_the_assessed_areas(
    peru: Peru, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fixtures_dir: Path
):
    """The US level for Peru (2, from the summary) beside each assessed area, in words, as
    country-wide advice; the trip's decision is not reopened by it."""
    before = _text(_client(peru, "analyst").get(f"/trips/{peru.trip.pk}/"))
    assert "Official advice" not in before  # no store: nothing to read beside
    us_advice_in_store(tmp_path, monkeypatch, fixtures_dir)
    page = _words(_client(peru, "analyst").get(f"/trips/{peru.trip.pk}/"))
    beside = "Official advice, United States (State Department): level 2 (increased caution)"
    assert page.count(f"{beside}, country-wide") >= 3  # each area row: Lima, Apurímac, …


def test_request_and_approve_with_conditions_through_the_pages(peru: Peru):
    url = f"/trips/{peru.trip.pk}/"
    analyst = _client(peru, "analyst")
    analyst.post(url + "request/")
    manager = _client(peru, "manager")
    page = _text(manager.get(url))
    assert "Your decision as Line manager" in page
    assert "Why: level 4" in page
    # Someone without the role sees whose turn it is, and cannot decide.
    regional = _client(peru, "regional")
    assert "Waiting for the Line manager" in _text(regional.get(url))
    response = regional.post(url + "decide/", {"decision": "approve", "reason": "ok"})
    assert "you do not hold that role" in _text(regional.get(response.url))
    manager.post(url + "decide/", {"decision": "approve", "reason": "Needed."})
    _client(peru, "focal").post(
        url + "decide/",
        {
            "decision": "approve-with-conditions",
            "reason": "Briefed.",
            "conditions": "No overnight bus: travel by day.",
        },
    )
    regional.post(url + "decide/", {"decision": "approve", "reason": "Still holds."})
    trip = Trip.objects.get(pk=peru.trip.pk)
    assert trip.status == Trip.Status.APPROVED_WITH_CONDITIONS
    page = _text(analyst.get(url))
    assert "Decision: approved with conditions" in page
    assert "No overnight bus: travel by day." in page
    # Each step as signed, in the past tense (not the form's "Approve").
    words = _words(analyst.get(url))
    assert "Line manager: Approved by manager" in words
    assert "Country security focal point: Approved with conditions by focal" in words
    assert ": Approve by" not in words


def test_the_trip_page_says_what_editing_does_to_the_approval(peru: Peru):
    """Where the analyst decides to edit a requested or approved trip, the page says that a
    change reopens it and sets the approvals aside; the form says it again. A draft's page,
    and a reader's, say nothing of it."""
    url = f"/trips/{peru.trip.pk}/"
    analyst = _client(peru, "analyst")
    assert "reopens" not in _text(analyst.get(url))
    analyst.post(url + "request/")
    page = _text(analyst.get(url))
    said = (
        "Editing this requested trip reopens the request if its title, purpose, travellers or "
        "itinerary change: the approvals given so far are set aside and approval must be "
        "requested again."
    )
    assert said in page
    assert said in _text(analyst.get(url + "edit/"))
    for user in ("manager", "focal", "regional"):
        _client(peru, user).post(url + "decide/", {"decision": "approve", "reason": "Fine."})
    said = (
        "Editing this trip, approved, reopens the decision if its title, purpose, travellers or "
        "itinerary change: the approvals are set aside and approval must be requested again."
    )
    assert said in _text(analyst.get(url))
    assert said in _text(analyst.get(url + "edit/"))
    assert "reopens the decision" not in _text(_client(peru, "reader").get(url))


def test_personal_data_only_for_the_traveller_approvers_and_admins(peru: Peru):
    url = f"/trips/{peru.trip.pk}/"
    for username in ("rosa", "manager", "admin"):
        assert "rosa.quispe@example.org" in _text(_client(peru, username).get(url)), username
        assert "Julio Quispe" in _text(_client(peru, username).get("/travellers/")), username
    for username in ("reader", "analyst"):
        client = _client(peru, username)
        assert "rosa.quispe@example.org" not in _text(client.get(url)), username
        assert "Julio Quispe" not in _text(client.get("/travellers/")), username
        assert "rosa.quispe" not in client.get(url + "trip.yaml").content.decode(), username
    assert (
        "rosa.quispe@example.org" in _client(peru, "admin").get(url + "trip.yaml").content.decode()
    )


def test_another_team_gets_404_everywhere(peru: Peru):
    other = _client(peru, "b-admin")
    traveller = peru.trip.travellers.first()
    for url in (
        f"/trips/{peru.trip.pk}/",
        f"/trips/{peru.trip.pk}/edit/",
        f"/trips/{peru.trip.pk}/trip.yaml",
        f"/travellers/{traveller.pk}/",
        "/teams/field-team/travel-policy/",
    ):
        assert other.get(url).status_code == 404, url
    assert other.post(f"/trips/{peru.trip.pk}/request/").status_code == 404
    assert "Field visit" not in _text(other.get("/trips/"))


def test_a_csv_import_with_a_bad_row_saves_nothing_and_names_the_line(peru: Peru):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = (
        b"place,area,start,end,transport\n"
        b"Lima,PE-LMA,2027-04-01,2027-04-01,none\n"
        b"Cusco,PE-CUS,2027-04-02,2027-04-0x,air\n"
    )
    before = Trip.objects.count()
    response = _client(peru, "analyst").post(
        "/trips/import/",
        {
            "file": SimpleUploadedFile("cusco.csv", csv),
            "slug": "cusco",
            "title": "Cusco",
            "travellers": [peru.trip.travellers.first().pk],
        },
    )
    assert response.status_code == 400  # refused, as the assessment upload
    page = _text(response)
    assert "Nothing was imported" in page
    assert "cusco.csv:3: segments[1].end:" in page
    assert Trip.objects.count() == before


def test_a_refused_trip_file_answers_400_saying_where(peru: Peru):
    """A trip file with a bad date, and an upload with no file, are refused with 400 (as the
    assessment upload), the problem shown at its line and field, nothing saved."""
    analyst = _client(peru, "analyst")
    text = TRIP_FILE.read_text().replace("peru-andahuaylas", "peru-again", 1)
    lines = text.splitlines()
    line = next(i for i, t in enumerate(lines, 1) if t.strip().startswith("start:"))
    bad = "\n".join(
        t.replace(t.split("start:")[1], " 2027-02-30") if i == line else t
        for i, t in enumerate(lines, 1)
    )
    before = Trip.objects.count()
    response = _import_yaml(analyst, "again.yaml", bad)
    assert response.status_code == 400
    page = _text(response)
    assert "Nothing was imported: 1 problem." in page
    assert f"again.yaml:{line}: segments[0].start:" in page
    assert analyst.post("/trips/import/", {}).status_code == 400
    assert analyst.get("/trips/import/").status_code == 200
    assert Trip.objects.count() == before


def test_the_policy_page_lists_the_rules_in_words_and_refuses_a_bad_policy(peru: Peru):
    reader = _client(peru, "reader")
    page = _text(reader.get("/teams/field-team/travel-policy/"))
    assert (
        "When the traveller is new-to-country or new-to-region and the level is 3 or higher" in page
    )
    assert "Edit the policy" not in page
    assert reader.post("/teams/field-team/travel-policy/", {"text": "x"}).status_code == 403
    admin = _client(peru, "admin")
    text = admin.get("/teams/field-team/travel-policy/").context["form"].initial["text"]
    bad = text.replace(
        "approvals: [line-manager]\n    measures: [register-travel]\n",
        "approvals: [line-manager, the-ceo]\n    measures: [register-travel]\n",
        1,
    )
    assert bad != text
    response = admin.post("/teams/field-team/travel-policy/", {"text": bad})
    assert response.status_code == 400
    page = _text(response)
    line = bad.splitlines().index("    approvals: [line-manager, the-ceo]") + 1
    assert f"policy.yaml:{line}: levels[0].approvals[1]: 'the-ceo' is not one of the policy" in page
    from riskatlas.apps.travel.models import TravelPolicy

    assert not TravelPolicy.objects.exists()
    admin.post(
        "/teams/field-team/travel-policy/",
        {"text": text.replace("Default travel policy", "Field policy")},
    )
    assert TravelPolicy.objects.get().version == 1
    assert "Field policy" in _text(reader.get("/teams/field-team/travel-policy/"))


def test_the_traveller_opens_her_brief_with_her_emergency_contact(peru: Peru):
    from pypdf import PdfReader

    url = f"/trips/{peru.trip.pk}/brief."
    rosa = _client(peru, "rosa")
    response = rosa.get(url + "pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Huancavelica" in text and "No road travel after dark" in text
    assert "Julio Quispe" in text  # her emergency contact
    markdown = rosa.get(url + "md").content.decode()
    assert "2010-05-31" in markdown  # the overdue assessment
    # A reader of the team reads the brief, without the emergency contact.
    reader_md = _client(peru, "reader").get(url + "md").content.decode()
    assert "Huancavelica" in reader_md and "Julio Quispe" not in reader_md
    assert _client(peru, "b-admin").get(url + "md").status_code == 404
    assert rosa.get(url + "docx").status_code == 404


def test_the_trip_page_links_check_ins_and_calendar_for_those_who_follow_it(peru: Peru):
    """The trip page offers its check-ins and calendar to whoever the care pages serve (the
    traveller, the requester, reviewers, admins, approvers), never to a reader of the team."""
    url = f"/trips/{peru.trip.pk}/"
    for username in ("rosa", "manager", "admin"):
        page = _client(peru, username).get(url).content.decode()
        assert f'href="/care/trips/{peru.trip.pk}/">Check-ins</a>' in page, username
        assert _client(peru, username).get(f"/care/trips/{peru.trip.pk}/").status_code == 200
    reader = _client(peru, "reader")
    assert "Check-ins</a>" not in reader.get(url).content.decode()
    assert reader.get(f"/care/trips/{peru.trip.pk}/").status_code == 404


def _import_yaml(client: Client, name: str, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/trips/import/", {"file": SimpleUploadedFile(name, text.encode())})


def test_an_analyst_importing_the_trip_file_they_downloaded_keeps_the_contact_details(
    peru: Peru,
):
    import yaml

    from riskatlas.apps.travel.models import Traveller

    analyst = _client(peru, "analyst")
    url = f"/trips/{peru.trip.pk}/trip.yaml"
    downloaded = yaml.safe_load(analyst.get(url).content)
    assert "email" not in downloaded["travellers"][0]  # not theirs to see
    downloaded["trip"]["title"] = "Field visit, renamed offline"
    response = _import_yaml(analyst, "peru.yaml", yaml.safe_dump(downloaded))
    assert response.status_code == 302, _text(response)
    assert Trip.objects.get(pk=peru.trip.pk).title == "Field visit, renamed offline"
    rosa = Traveller.objects.get(team=peru.team, key="rosa-quispe")
    assert (rosa.email, rosa.emergency_name) == ("rosa.quispe@example.org", "Julio Quispe")
    assert rosa.phone
    # Who may see the details changes them with the file: what they leave out is removed.
    admin = _client(peru, "admin")
    full = yaml.safe_load(admin.get(url).content)
    del full["travellers"][0]["phone"]
    assert _import_yaml(admin, "peru.yaml", yaml.safe_dump(full)).status_code == 302
    rosa.refresh_from_db()
    assert rosa.phone == "" and rosa.email == "rosa.quispe@example.org"


def test_importing_the_trip_file_as_it_is_writes_nothing(peru: Peru):
    import yaml

    from riskatlas.apps.audit.models import AuditEntry
    from riskatlas.apps.travel.models import Segment

    analyst = _client(peru, "analyst")
    text = analyst.get(f"/trips/{peru.trip.pk}/trip.yaml").content.decode()
    segments = list(Segment.objects.filter(trip=peru.trip).values_list("pk", flat=True))
    entries = AuditEntry.objects.count()
    assert _import_yaml(analyst, "peru.yaml", text).status_code == 302
    assert list(Segment.objects.filter(trip=peru.trip).values_list("pk", flat=True)) == segments
    assert AuditEntry.objects.count() == entries
    # One field changed is written: the itinerary anew and the change in the audit log.
    changed = yaml.safe_load(text)
    changed["segments"][1]["note"] = "Meet the driver at the hotel."
    assert _import_yaml(analyst, "peru.yaml", yaml.safe_dump(changed)).status_code == 302
    assert list(Segment.objects.filter(trip=peru.trip).values_list("pk", flat=True)) != segments
    assert AuditEntry.objects.count() > entries


def test_an_analyst_cannot_probe_contact_details_with_an_import(peru: Peru):
    """The analyst, who may not see Rosa's phone, imports her trip file with a phone written
    in: a wrong guess and a right one get the same answer, and neither writes anything."""
    import yaml

    from riskatlas.apps.audit.models import AuditEntry
    from riskatlas.apps.travel.models import Segment, Traveller

    analyst = _client(peru, "analyst")
    url = f"/trips/{peru.trip.pk}/trip.yaml"
    stored = Traveller.objects.get(team=peru.team, key="rosa-quispe").phone
    assert stored
    segments = list(Segment.objects.filter(trip=peru.trip).values_list("pk", flat=True))
    entries = AuditEntry.objects.count()
    answers = []
    for guess in ("+51 1 555 0000", stored):
        sent = yaml.safe_load(analyst.get(url).content)
        sent["travellers"][0]["phone"] = guess
        sent["travellers"][0]["email"] = "someone.else@example.org"
        response = _import_yaml(analyst, "peru.yaml", yaml.safe_dump(sent))
        shown = analyst.get(response["Location"])
        answers.append(
            (
                response.status_code,
                response["Location"],
                [str(m) for m in shown.context["messages"]],
                analyst.get(url).content,
            )
        )
    assert answers[0] == answers[1]
    rosa = Traveller.objects.get(team=peru.team, key="rosa-quispe")
    assert (rosa.phone, rosa.email) == (stored, "rosa.quispe@example.org")
    assert list(Segment.objects.filter(trip=peru.trip).values_list("pk", flat=True)) == segments
    assert AuditEntry.objects.count() == entries


def test_an_import_does_not_replace_a_requested_or_decided_trip(peru: Peru):
    """As the API's PUT: an import (trip file, or an itinerary naming the trip's id) replaces
    a draft or reopened trip only; a requested or decided one is changed on its form, which
    reopens it."""
    import yaml
    from django.core.files.uploadedfile import SimpleUploadedFile

    analyst = _client(peru, "analyst")
    pk = peru.trip.pk
    changed = yaml.safe_load(analyst.get(f"/trips/{pk}/trip.yaml").content)
    changed["trip"]["title"] = "Renamed by an import"
    title = peru.trip.title
    text = yaml.safe_dump(changed)
    lines = text.splitlines()
    head = lines.index("trip:")
    line = head + 1 + lines[head:].index(f"  id: {peru.trip.slug}")  # 1-based
    assert analyst.post(f"/trips/{pk}/request/").status_code == 302
    for status in (Trip.Status.REQUESTED, Trip.Status.APPROVED, Trip.Status.CANCELLED):
        Trip.objects.filter(pk=pk).update(status=status)
        page = _text(_import_yaml(analyst, "peru.yaml", text))
        assert "Nothing was imported" in page, status
        # The file, the line of the trip's id in it and the field.
        assert f"peru.yaml:{line}: trip.id: the trip is " in page, status
        csv = b"place,area,start,end\nLima,PE-LMA,2027-04-01,2027-04-01\n"
        upload = SimpleUploadedFile("lima.csv", csv)
        page = _text(
            analyst.post(
                "/trips/import/",
                {
                    "file": upload,
                    "slug": peru.trip.slug,
                    "title": "Renamed by a CSV",
                    "travellers": [peru.trip.travellers.first().pk],
                },
            )
        )
        # The id is the form's, not the file's: no line to show.
        assert "lima.csv:?: trip.id: the trip is " in page, status
        trip = Trip.objects.get(pk=pk)
        assert (trip.status, trip.title, trip.segments.count()) == (status, title, 3)
    Trip.objects.filter(pk=pk).update(status=Trip.Status.REOPENED)
    assert _import_yaml(analyst, "peru.yaml", yaml.safe_dump(changed)).status_code == 302
    assert Trip.objects.get(pk=pk).title == "Renamed by an import"


def test_a_traveller_reads_her_own_contact_details_only(peru: Peru):
    """Rosa downloads the trip file and the brief with her own contact details and emergency
    contact, not her colleague's; the admin gets both."""
    import yaml

    from riskatlas.apps.travel.interchange import CONTACT

    admin = _client(peru, "admin")
    url = f"/trips/{peru.trip.pk}/"
    full = yaml.safe_load(admin.get(url + "trip.yaml").content)
    full["travellers"].append(
        {
            "id": "tomas-rojas",
            "name": "Tomás Rojas",
            "staff": "national",
            "email": "tomas.rojas@example.org",
            "emergency_contact": {"name": "Elena Rojas", "phone": "+51 1 555 0188"},
        }
    )
    assert _import_yaml(admin, "peru.yaml", yaml.safe_dump(full)).status_code == 302
    rosa = _client(peru, "rosa")
    mine = {t["id"]: t for t in yaml.safe_load(rosa.get(url + "trip.yaml").content)["travellers"]}
    assert mine["rosa-quispe"]["email"] == "rosa.quispe@example.org"
    assert mine["rosa-quispe"]["emergency_contact"]["name"] == "Julio Quispe"
    assert not set(CONTACT) & set(mine["tomas-rojas"])
    brief = rosa.get(url + "brief.md").content.decode()
    assert "Julio Quispe" in brief and "Elena Rojas" not in brief
    admin_brief = admin.get(url + "brief.md").content.decode()
    assert "Julio Quispe" in admin_brief and "Elena Rojas" in admin_brief


def test_requesting_says_who_decides_first_and_the_steps_read_as_words(peru: Peru):
    url = f"/trips/{peru.trip.pk}/"
    analyst = _client(peru, "analyst")
    page = _text(analyst.post(url + "request/", follow=True))
    # The confirmation says what happens next, not "Requested: requested."
    assert "Requested: requested" not in page
    assert "Approval requested from 3 approvers in turn; the Line manager decides first." in page
    # Each step of the chain reads "Name: state", with no space before the colon.
    assert "Line manager</strong>: <em>waiting</em>" in page
    assert 'Country security focal point</strong>: <span class="muted">to come</span>' in page


def test_missing_training_names_the_traveller_not_her_id(peru: Peru):
    page = _text(_client(peru, "manager").get(f"/trips/{peru.trip.pk}/"))
    assert "Training still needed: Rosa Quispe: Specialised security-awareness training" in page
    assert "rosa-quispe:" not in page


def _decision_form_once_requested(peru: Peru) -> str:
    """The trip page's decision form as the approver reads it once the analyst requested."""
    url = f"/trips/{peru.trip.pk}/"
    _client(peru, "analyst").post(url + "request/")
    page = _text(_client(peru, "manager").get(url))
    return page[page.index('id="decide-form"') :]


def test_the_approver_is_told_before_deciding_that_required_training_is_not_done(peru: Peru):
    url = f"/trips/{peru.trip.pk}/"
    before = _text(_client(peru, "manager").get(url))
    assert "Before you decide" not in before  # nothing to decide yet
    form = _decision_form_once_requested(peru)
    assert (
        "Before you decide: training the policy requires is not done — Rosa Quispe:"
        " Specialised security-awareness training" in form[: form.index("</form>")]
    )


def test_the_approver_is_told_before_deciding_that_the_itinerary_breaks_a_measure(peru: Peru):
    # The overnight bus breaks "No road travel after dark", a measure level 4 requires: the
    # approver reads it where she decides, as she reads the training not done.
    form = _decision_form_once_requested(peru)
    assert (
        "Before you decide: the itinerary breaks a measure the policy requires — "
        "“No road travel after dark” (segment 2;" in form[: form.index("</form>")]
    )


def test_each_decision_says_what_comes_next(peru: Peru):
    url = f"/trips/{peru.trip.pk}/"
    _client(peru, "analyst").post(url + "request/")
    said = []
    for who in ("manager", "focal", "regional"):
        page = _text(
            _client(peru, who).post(
                url + "decide/", {"decision": "approve", "reason": "Needed."}, follow=True
            )
        )
        said.append(re.search(r"Your decision is recorded[^<]*", page).group(0))
    assert said == [
        "Your decision is recorded; the Country security focal point decides next.",
        "Your decision is recorded; the Regional security manager decides next.",
        "Your decision is recorded: the trip is approved.",
    ]


def test_the_policy_page_names_the_policy_then_its_version(peru: Peru):
    url = f"/teams/{peru.team.slug}/travel-policy/"
    page = _text(_client(peru, "admin").get(url))
    assert (
        "Default travel policy</strong> — the default policy: the team has not changed it." in page
    )
    assert "changed it). Default travel policy" not in page


def test_training_reads_as_the_courses_names(peru: Peru):
    """The trip page's training, what the traveller still needs, her profile's courses and
    the policy page name the courses as the policy does, not by their ids."""
    response = _client(peru, "analyst").get(f"/trips/{peru.trip.pk}/")
    page, words = _text(response), _words(response)
    assert re.search(
        r"<h3>Training</h3>\s*<ul>\s*<li>Basic security training</li>\s*"
        r"<li>Specialised security-awareness training</li>",
        page,
    )
    assert "Training still needed: Rosa Quispe: Specialised security-awareness training" in words
    assert "<td>Basic security training</td>" in page  # her profile's courses
    assert "specialised-awareness" not in words and "basic-security" not in words
    policy = _words(_client(peru, "reader").get("/teams/field-team/travel-policy/"))
    assert "Training: Specialised security-awareness training" in policy  # the rule's
    assert "specialised-awareness" not in policy.split("The policy as YAML")[0]


def test_no_decision_is_chosen_for_the_approver_and_cancelling_says_it_is_final(peru: Peru):
    """The approver's decision starts unchosen (a browser sends the first option: it used to
    be 'Approve'), and sent so it records nothing; cancelling the trip, one click from the
    decision button, is asked again with what it does."""
    url = f"/trips/{peru.trip.pk}/"
    _client(peru, "analyst").post(url + "request/")
    manager = _client(peru, "manager")
    page = manager.get(url).content.decode()
    select = re.search(r'<select name="decision"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    first = re.search(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    assert first is not None and first.groups() == ("", "Choose…")
    response = manager.post(url + "decide/", {"decision": "", "reason": "Looks fine."})
    assert "Choose a decision and give its reason." in _text(manager.get(response.url))
    assert not Trip.objects.get(pk=peru.trip.pk).approvals.exclude(decision="").exists()
    words = _words(_client(peru, "analyst").get(url))
    assert re.search(
        r"Cancel the trip…\s*A cancelled trip cannot be edited or requested again, and its "
        r"approvals still to come are set aside\.\s*Yes, cancel the trip",
        words,
    )


def test_the_brief_of_a_refused_trip_says_not_to_travel_and_why(peru: Peru):
    url = f"/trips/{peru.trip.pk}/"
    rosa = _client(peru, "rosa")
    assert (
        "not approved yet: do not travel until it is."
        in rosa.get(url + "brief.md").content.decode()
    )
    _client(peru, "analyst").post(url + "request/")
    _client(peru, "manager").post(
        url + "decide/", {"decision": "refuse", "reason": "Night road travel: replan by day."}
    )
    text = rosa.get(url + "brief.md").content.decode()
    assert (
        "**Decision: Refused** — Night road travel: replan by day. Do not travel on this itinerary."
        in text
    )


def test_a_brief_without_the_emergency_contact_says_it_is_left_out_not_missing(peru: Peru):
    """An analyst's copy of the brief leaves Rosa's emergency contact out and says so; it does
    not tell them to add one (she has one), and her own copy carries it."""
    url = f"/trips/{peru.trip.pk}/brief."
    said = "Emergency contacts are left out of this copy: they are shown to the traveller"
    analyst = _client(peru, "analyst")
    for fmt in ("md", "html"):
        text = _words(analyst.get(url + fmt))
        assert said in text, fmt
        assert "No contacts recorded" not in text and "Julio Quispe" not in text, fmt
    mine = _words(_client(peru, "rosa").get(url + "md"))
    assert "Julio Quispe" in mine and said not in mine


def test_the_trip_list_gives_the_level_as_checked_when_requested(peru: Peru):
    """The list's level is the one checked at the request, named as on the trip page ('4 ·
    high'); a draft, whose page shows a level the list has not got, says it is not requested
    yet rather than '—'."""
    analyst = _client(peru, "analyst")
    words = _words(analyst.get("/trips/"))
    assert "Level when requested" in words and "not requested yet" in words
    analyst.post(f"/trips/{peru.trip.pk}/request/")
    words = _words(analyst.get("/trips/"))
    assert re.search(r"Requested\s*4 · high", words)
    assert "not requested yet" not in words


def test_the_briefs_contacts_name_each_approver_once_with_her_roles(peru: Peru):
    # One person who signs two steps is one contact, not two lines naming her twice.
    ApproverRole.objects.create(
        team=peru.team, user=peru.users["manager"], role="security-focal-point"
    )
    url = f"/trips/{peru.trip.pk}/"
    _client(peru, "analyst").post(url + "request/")
    for who in ("manager", "manager", "regional"):
        _client(peru, who).post(url + "decide/", {"decision": "approve", "reason": "Needed."})
    text = _client(peru, "rosa").get(url + "brief.md").content.decode()
    assert "manager (Line manager, Country security focal point)" in text
    assert text.count("manager (") == 1 and "regional (Regional security manager)" in text
