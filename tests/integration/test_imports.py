"""Uploading assessments and registers in the web app: all or nothing, problems listed."""

from __future__ import annotations

import copy
import html
import time
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from riskatlas.apps.accounts.models import Team
from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import export_version, import_document
from riskatlas.apps.assessments.models import Assessment, Risk
from riskatlas.document import load_document
from riskatlas.document.register import register_csv, register_xlsx

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password-1"


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def people() -> None:
    add_user("analyst", "Field team", "analyst", PASSWORD)
    add_user("reader", "Field team", "reader", PASSWORD)


def test_analyst_imports_a_yaml_assessment(people: None, everything_yaml: Path):
    team = Team.objects.get(slug="field-team")
    upload = SimpleUploadedFile("zz.yaml", everything_yaml.read_bytes())
    response = _client("analyst").post("/import/", {"file": upload, "team": team.pk})
    assert response.status_code == 302
    assert response["Location"] == "/assessments/zz-test/v1/"
    assert Assessment.objects.get(slug="zz-test").team == team


def test_invalid_yaml_lists_every_problem_and_stores_nothing(people: None, everything_yaml: Path):
    team = Team.objects.get(slug="field-team")
    text = everything_yaml.read_text().replace(
        "likelihood: 5, impact: 3}", "likelihood: 9, impact: 3}"
    )
    text = text.replace("    rationale: Bad roads.\n", "")
    upload = SimpleUploadedFile("bad.yaml", text.encode())
    page = _client("analyst").post("/import/", {"file": upload, "team": team.pk}).content.decode()
    assert "Nothing was imported: 2 problems." in page
    assert "risks[0].inherent.likelihood: 9 is above the maximum of 5" in page
    assert "risks[1].rationale: required field" in page
    assert not Assessment.objects.exists()


def test_a_refused_upload_answers_400_with_the_page(people: None, everything_yaml: Path):
    """As the app's other invalid forms: the page again with what is wrong, as a 400."""
    team = Team.objects.get(slug="field-team")
    client = _client("analyst")
    nothing = client.post("/import/", {"team": team.pk})
    assert nothing.status_code == 400 and "This field is required." in nothing.content.decode()
    import_document(load_document(everything_yaml), team=ensure_team("Other team"))
    upload = SimpleUploadedFile("zz.yaml", everything_yaml.read_bytes())
    theirs = client.post("/import/", {"file": upload, "team": team.pk})
    assert theirs.status_code == 400
    assert "Nothing was imported: 1 problem." in theirs.content.decode()
    assert Assessment.objects.get(slug="zz-test").team.name == "Other team"


def test_a_reader_cannot_import(people: None):
    assert _client("reader").get("/import/").status_code == 404


@pytest.fixture
def draft(people: None, everything_yaml: Path) -> dict:
    doc = load_document(everything_yaml)
    import_document(doc, team=ensure_team("Field team"))
    return doc


def test_register_upload_updates_a_draft(draft: dict):
    doc = copy.deepcopy(draft)
    doc["risks"][1]["residual"]["likelihood"] = 2
    upload = SimpleUploadedFile("register.xlsx", register_xlsx(doc))
    response = _client("analyst").post("/assessments/zz-test/v1/register/import/", {"file": upload})
    assert response.status_code == 302
    assert Risk.objects.get(key="road").residual_likelihood == 2


def test_register_upload_with_bad_rows_changes_nothing(draft: dict):
    text = register_csv(draft).replace("Road accident,TRN,PE,,,4,5", "Road accident,TRN,PE,,,4,7")
    upload = SimpleUploadedFile("register.csv", text.encode())
    response = _client("analyst").post("/assessments/zz-test/v1/register/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was changed: 1 problem." in page
    assert "register.csv: row 3, column &#x27;inherent impact&#x27;: 7 is above the maximum" in page
    assert Risk.objects.get(key="road").inherent_impact == 5


def _downloaded_workbook(tmp_path: Path) -> Path:
    response = _client("analyst").get("/assessments/zz-test/v1/report.xlsx")
    path = tmp_path / "zz-test-v1-register.xlsx"
    path.write_bytes(response.content)
    return path


def _upload(path: Path) -> Any:
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    return _client("analyst").post("/assessments/zz-test/v1/register/import/", {"file": upload})


def test_the_downloaded_workbook_holds_every_part_and_uploads_back(draft: dict, tmp_path: Path):
    path = _downloaded_workbook(tmp_path)
    book = load_workbook(path)
    assert book.sheetnames[:3] == ["Risk register", "Assessment", "Areas"]
    assert "Actors" in book.sheetnames and "Evidence" in book.sheetnames
    actors = book["Actors"]
    assert actors["B2"].value == "Armed Group"
    actors["B2"] = "Armed Group (renamed)"
    book["Official advice"].delete_rows(2)
    book["Assessment"]["B2"] = "another-slug"  # the version's own reference is kept
    book.save(path)
    response = _upload(path)
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == "/assessments/zz-test/v1/"
    stored = export_version(Assessment.objects.get(slug="zz-test").versions.get(number=1))
    assert stored["actors"][0]["name"] == "Armed Group (renamed)"
    assert "official_advice" not in stored
    assert stored["risks"] == draft["risks"]
    assert not Assessment.objects.filter(slug="another-slug").exists()


def test_a_workbook_with_a_bad_cell_changes_nothing(draft: dict, tmp_path: Path):
    path = _downloaded_workbook(tmp_path)
    book = load_workbook(path)
    book["Incidents"]["H2"] = "two"  # killed
    book.save(path)
    page = _upload(path).content.decode()
    assert "Nothing was changed: 1 problem." in page
    assert (
        "zz-test-v1-register.xlsx: sheet &#x27;Incidents&#x27;, row 2, column &#x27;killed&#x27;:"
        in page
    )
    stored = export_version(Assessment.objects.get(slug="zz-test").versions.get(number=1))
    assert stored["incidents"][0]["casualties"] == {"killed": 0, "injured": 2}


def test_a_workbook_that_cannot_hold_a_text_says_which(people: None, everything_yaml: Path):
    doc = load_document(everything_yaml)
    doc["watch_items"][0]["triggers"] = ["Violent\nprotests"]
    import_document(doc, team=ensure_team("Field team"))
    response = _client("analyst").get("/assessments/zz-test/v1/report.xlsx")
    assert response.status_code == 422
    text = response.content.decode()
    assert "Watch items row 2, triggers: 'Violent\\nprotests' holds a line break" in text


def test_a_frozen_version_refuses_a_register(people: None, everything_yaml: Path):
    doc = load_document(everything_yaml)
    doc["assessment"]["status"] = "published"
    import_document(doc, team=ensure_team("Field team"))
    upload = SimpleUploadedFile("register.csv", register_csv(doc).encode())
    page = (
        _client("analyst")
        .post("/assessments/zz-test/v1/register/import/", {"file": upload})
        .content.decode()
    )
    assert "frozen; make a new version" in page


ALIAS_BOMB = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [
            f"{b}: &{b} [{','.join(['*' + a] * 9)}]"
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        ]
    )
    + "\n"
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            ALIAS_BOMB.encode(),
            "bomb.yaml:2: (document): YAML aliases (*a) are not allowed in an assessment file",
        ),
        (
            "".join(f"{'  ' * i}k{i}:\n" for i in range(2000)).encode(),
            "bomb.yaml:41: (document): nested more than 40 levels deep",
        ),
        (
            b"riskatlas: 1\nassessment: " + b"[" * 2000 + b"]" * 2000 + b"\n",
            "bomb.yaml:2: (document): nested more than 40 levels deep",
        ),
        (
            b"riskatlas: 1\nassessment:\n  title: a\x00b\n",
            "bomb.yaml:3: (document): YAML: control characters are not allowed (character U+0000)",
        ),
        (b"riskatlas: 1\n[a]: 1\n", "bomb.yaml:2: (document): a field name must be text"),
        (b"riskatlas: 1\nassessment: [x]\n", "bomb.yaml:2: assessment: ['x'] should be of type"),
        (b"riskatlas: 1\ntitle: Jun\xedn\n", "bomb.yaml:2: (document): not UTF-8 text"),
    ],
    ids=[
        "alias-bomb",
        "2000-levels-block",
        "2000-levels-flow",
        "nul",
        "list-key",
        "list",
        "latin1",
    ],
)
def test_a_hostile_or_broken_upload_is_a_400_with_the_message_in_under_a_second(
    people: None, content: bytes, expected: str
):
    team = Team.objects.get(slug="field-team")
    upload = SimpleUploadedFile("bomb.yaml", content)
    client = _client("analyst")
    assert client.get("/import/").status_code == 200  # pages and templates loaded: time the file
    started = time.perf_counter()
    response = client.post("/import/", {"file": upload, "team": team.pk})
    assert time.perf_counter() - started < 1.0
    assert response.status_code == 400
    assert expected in html.unescape(response.content.decode())
    assert not Assessment.objects.exists()


def test_an_upload_saying_published_is_stored_as_a_draft(people: None, peru_yaml: Path):
    """Publishing is a review step with its gates: an analyst's upload of a published file
    (here the bundled Peru example) makes a draft that readers cannot see."""
    team = Team.objects.get(slug="field-team")
    assert "status: published" in peru_yaml.read_text()
    upload = SimpleUploadedFile("pe.yaml", peru_yaml.read_bytes())
    response = _client("analyst").post("/import/", {"file": upload, "team": team.pk}, follow=True)
    assert response.status_code == 200
    version = Assessment.objects.get(slug="pe-2009").latest_version()
    assert version is not None and version.status == "draft" and not version.is_frozen
    assert "pe.yaml says status “published”; an upload is stored as a draft." in html.unescape(
        response.content.decode()
    )
    assert _client("reader").get("/assessments/pe-2009/v1/").status_code == 404
