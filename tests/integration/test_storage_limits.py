"""A document whose text is longer than its column, or whose number is larger than its
integer column, is refused with the field named, on every database (PostgreSQL enforces
column lengths, SQLite does not) — never a failure inside the import."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile

from riskatlas.apps.accounts.models import Team
from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.assessments.models import Assessment
from riskatlas.apps.assessments.writer import ChangeRefused, import_document
from riskatlas.cli import main
from riskatlas.document import load_document
from tests.integration.test_imports import PASSWORD, _client

pytestmark = pytest.mark.django_db


def _too_big(everything_yaml: Path) -> dict:
    doc = load_document(everything_yaml)
    doc["assessment"]["title"] = "T" * 400
    doc["risks"][0]["title"] = "R" * 301
    doc["incidents"][0]["casualties"] = {"killed": 10**12}
    return doc


EXPECTED = [
    "assessment.title: 400 characters, over the limit of 300",
    "incidents[0].casualties.killed: 1000000000000 is over the largest number kept here "
    "(2,147,483,647)",
    "risks[0].title: 301 characters, over the limit of 300",
]


def test_the_writer_refuses_what_the_database_cannot_hold(everything_yaml: Path):
    with pytest.raises(ChangeRefused) as refused:
        import_document(_too_big(everything_yaml))
    assert sorted(str(refused.value).split("; ")) == EXPECTED
    assert not Assessment.objects.exists()


def test_the_upload_page_names_each_field(everything_yaml: Path):
    add_user("analyst", "Field team", "analyst", PASSWORD)
    team = Team.objects.get(slug="field-team")
    text = yaml.safe_dump(_too_big(everything_yaml), sort_keys=False)
    upload = SimpleUploadedFile("long.yaml", text.encode())
    page = _client("analyst").post("/import/", {"file": upload, "team": team.pk})
    assert page.status_code == 400  # refused by the writer: as the file's other problems
    body = page.content.decode()
    # Each at the line of its field in the file: file, line, field and message.
    lines = text.splitlines()
    at = [next(i + 1 for i, line in enumerate(lines) if value in line)
          for value in ("T" * 400, "killed: 1000000000000", "R" * 301)]  # fmt: skip
    for line, message in zip(at, EXPECTED, strict=True):
        assert f"long.yaml:{line}: {message}" in body, body[-2000:]
    assert not Assessment.objects.exists()


def test_the_command_line_names_each_field(everything_yaml: Path, tmp_path: Path):
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(_too_big(everything_yaml), sort_keys=False))
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 1
    for message in EXPECTED:
        assert message in result.output
    assert "nothing was imported" in result.output
    assert not Assessment.objects.exists()
