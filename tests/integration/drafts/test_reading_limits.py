"""Reading a report on the web within limits: a Word zip bomb, damaged files, a reading that
takes too long or needs too much memory and a text over the limit each give a message on the
page (never a 500), and nothing is stored. From the command line, the same text limit."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from django.test import Client

from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.drafts.models import SourceDocument
from riskatlas.apps.drafts.services import read_into
from riskatlas.cli import main
from riskatlas.extraction.limits import TextTooLong
from tests.integration.conftest import client_for
from tests.integration.drafts.conftest import FIELD_NOTES
from tests.integration.drafts.test_background_reading import read_and_wait
from tests.unit.extraction.test_documents import write_pdf

pytestmark = pytest.mark.django_db(transaction=True)
READ = "/assessments/zz-test/v1/drafts/read/"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _refused(client: Client, name: str, data: bytes) -> list[str]:
    """The reasons the reading of an upload gives on its page (read in the background)."""
    reading = read_and_wait(client, name, data)
    assert reading.state == "failed"
    page = client.get(f"{READ}{reading.pk}/")
    assert page.status_code == 200 and reading.message in page.content.decode()
    assert not SourceDocument.objects.exists()
    return [reading.message]


def _docx(path: Path, body: bytes) -> bytes:
    xml = f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode() + body
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", xml + b"</w:t></w:r></w:p></w:body></w:document>")
    return path.read_bytes()


def test_a_docx_bomb_is_refused_on_the_page(version: AssessmentVersion, tmp_path: Path):
    path = tmp_path / "bomb.docx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as xml,
    ):
        for _ in range(200):
            xml.write(b"A" * 1024 * 1024)
    assert _refused(client_for("analyst"), "bomb.docx", path.read_bytes()) == [
        "bomb.docx: not a readable Word .docx file: the archive unpacks to 200.0 MB, over the "
        "limit of 100.0 MB: refused before unpacking"
    ]


def test_damaged_files_give_a_message_not_a_500(version: AssessmentVersion, tmp_path: Path):
    client = client_for("analyst")
    data = bytearray(_docx(tmp_path / "notes.docx", b"Gunmen abducted two engineers. " * 300))
    info = zipfile.ZipFile(tmp_path / "notes.docx").getinfo("word/document.xml")
    data[info.header_offset + 30 + len(info.filename)] = 0xFF  # a reserved deflate block type
    assert _refused(client, "notes.docx", bytes(data)) == [
        "notes.docx: not a readable Word .docx file: the archive is damaged (Error -3 while "
        "decompressing data: invalid block type)"
    ]
    pdf = write_pdf(tmp_path / "r.pdf", ["Kidnapping in Lima"], stream_filter="/FooDecode")
    assert _refused(client, "advice.pdf", pdf.read_bytes()) == [
        "advice.pdf: not a readable PDF: Unsupported filter /FooDecode"
    ]


def test_a_reading_over_its_time_is_stopped(
    version: AssessmentVersion, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("RISKATLAS_READING_SECONDS", "1")
    long_notes = (FIELD_NOTES * 1500).encode()  # about 5 s of extraction
    assert _refused(client_for("analyst"), "long.txt", long_notes) == [
        "long.txt: reading took longer than 1 s and was stopped (RISKATLAS_READING_SECONDS); "
        "split the report into parts"
    ]


def test_a_reading_over_its_memory_is_stopped(
    version: AssessmentVersion, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("RISKATLAS_READING_MEMORY_MB", "60")
    assert _refused(client_for("analyst"), "notes.txt", FIELD_NOTES.encode()) == [
        "notes.txt: reading needed more than 60 MB of memory and was stopped "
        "(RISKATLAS_READING_MEMORY_MB); split the report into parts"
    ]


def test_texts_over_the_limit_are_refused_everywhere(
    version: AssessmentVersion, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setenv("RISKATLAS_MAX_TEXT_CHARS", "100")
    limit = "over the limit of 100 (RISKATLAS_MAX_TEXT_CHARS); split the report into parts"
    client = client_for("analyst")
    response = client.post(READ, {"text": FIELD_NOTES, "title": ""})
    assert [str(e) for e in response.context["form"].non_field_errors()] == [
        f"The pasted text: the text has {len(FIELD_NOTES.strip()):,} characters, {limit}"
    ]
    assert _refused(client, "notes.md", FIELD_NOTES.encode()) == [
        f"notes.md: the text has {len(FIELD_NOTES):,} characters, {limit}"
    ]
    with pytest.raises(TextTooLong):
        read_into(version, "Field notes", FIELD_NOTES)
    assert not SourceDocument.objects.exists()
    result = CliRunner().invoke(main, ["extract", "-"], input=FIELD_NOTES)
    assert result.exit_code == 1
    assert (
        result.output == f"Error: standard input: the text has more than 100 characters, {limit}\n"
    )
