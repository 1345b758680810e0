"""Limits on reading report files: a Word zip bomb, a text over the limit, damaged files."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from riskatlas.extraction.documents import DocumentError, read_document
from tests.unit.extraction.test_documents import write_docx, write_pdf

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GiB = 1024**3


def write_docx_bomb(path: Path, unpacked: int) -> Path:
    """A Word file whose document.xml is ``unpacked`` bytes of one repeated paragraph text,
    compressed at level 9 (1 GiB becomes about 1 MB), written from a generator of 1 MiB blocks
    so that the test never holds more than one."""
    block = b"A" * 1024 * 1024
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as xml,
    ):
        xml.write(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode())
        for _ in range(unpacked // len(block)):
            xml.write(block)
        xml.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


PEAK_MEMORY = """
import sys
from riskatlas.extraction.documents import DocumentError, read_document
try:
    read_document(sys.argv[1])
except DocumentError as error:
    print(error)
# The peak resident memory of this process's own image (VmHWM): ru_maxrss would carry the
# parent's peak over the exec (Linux keeps the larger), i.e. pytest's size in a full run.
status = open("/proc/self/status").read().splitlines()
print(int(next(line.split()[1] for line in status if line.startswith("VmHWM"))) // 1024)
"""


def test_a_docx_bomb_is_refused_before_it_inflates(tmp_path: Path) -> None:
    bomb = write_docx_bomb(tmp_path / "bomb.docx", GiB)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    done = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, str(bomb)], capture_output=True, text=True, check=True
    )
    message, peak_mb = done.stdout.splitlines()
    assert message == (
        f"{bomb}: not a readable Word .docx file: the archive unpacks to 1.0 GB, over the limit "
        "of 100.0 MB: refused before unpacking"
    )
    assert int(peak_mb) < 300


def test_a_50_mb_text_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    began = time.monotonic()
    with pytest.raises(DocumentError) as refused:
        read_document(path)
    assert time.monotonic() - began < 1
    assert str(refused.value) == (
        f"{path}: the text has more than 2,000,000 characters, over the limit of 2,000,000 "
        "(RISKATLAS_MAX_TEXT_CHARS); split the report into parts"
    )


def test_the_limit_is_set_by_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RISKATLAS_MAX_TEXT_CHARS", "1000")
    path = tmp_path / "notes.txt"
    path.write_text("Protests. " * 150, encoding="utf-8")
    with pytest.raises(DocumentError, match=r"the text has 1,500 characters, over the limit "):
        read_document(path)
    path.write_text("Protests. " * 100, encoding="utf-8")
    assert read_document(path) == "Protests. " * 100


@pytest.mark.parametrize("suffix", [".docx", ".html", ".pdf"])
def test_extracted_text_over_the_limit_is_refused(tmp_path: Path, suffix: str) -> None:
    lines = [f"Protests blocked road number {n} near Lima." for n in range(40)]
    path = tmp_path / f"report{suffix}"
    if suffix == ".docx":
        write_docx(path, lines)
    elif suffix == ".pdf":
        write_pdf(path, lines)
    else:
        path.write_text("".join(f"<p>{line}</p>" for line in lines), encoding="utf-8")
    assert len(read_document(path)) > 1000
    with pytest.raises(DocumentError) as refused:
        read_document(path, max_chars=300)
    assert str(refused.value) == (
        f"{path}: the text has more than 300 characters, over the limit of 300 "
        "(RISKATLAS_MAX_TEXT_CHARS); split the report into parts"
    )


def _deflated_docx(path: Path, paragraphs: int) -> bytes:
    body = "".join(
        f"<w:p><w:r><w:t>Checkpoint {n} closed after an attack on a convoy.</w:t></w:r></w:p>"
        for n in range(paragraphs)
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{W}">{body}</w:document>')
    return path.read_bytes()


def test_a_damaged_docx_gives_a_message(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    data = bytearray(_deflated_docx(path, 400))
    info = zipfile.ZipFile(path).getinfo("word/document.xml")
    data[info.header_offset + 30 + len(info.filename)] = 0xFF  # a reserved deflate block type
    path.write_bytes(bytes(data))
    with pytest.raises(DocumentError) as refused:
        read_document(path)
    assert str(refused.value) == (
        f"{path}: not a readable Word .docx file: the archive is damaged (Error -3 while "
        "decompressing data: invalid block type)"
    )


def test_a_docx_with_a_wrong_checksum_gives_a_message(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    data = _deflated_docx(path, 400)
    crc = zipfile.ZipFile(path).getinfo("word/document.xml").CRC.to_bytes(4, "little")
    path.write_bytes(data.replace(crc, bytes(4)))
    with pytest.raises(DocumentError) as refused:
        read_document(path)
    assert str(refused.value) == (
        f"{path}: not a readable Word .docx file: the archive is damaged (Bad CRC-32 for file "
        "'word/document.xml')"
    )


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(2_001):
            archive.writestr(f"media/{n}.txt", b"")
    with pytest.raises(DocumentError) as refused:
        read_document(path)
    assert str(refused.value) == (
        f"{path}: not a readable Word .docx file: the archive has 2,001 entries, over the "
        "limit of 2,000"
    )


def test_a_pdf_with_an_unsupported_filter_gives_a_message(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "report.pdf", ["Kidnapping in Lima"], stream_filter="/FooDecode")
    with pytest.raises(DocumentError) as refused:
        read_document(path)
    assert str(refused.value) == f"{path}: not a readable PDF: Unsupported filter /FooDecode"


def test_a_truncated_pdf_gives_a_message(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "report.pdf", ["Kidnapping in Lima"] * 20)
    path.write_bytes(path.read_bytes()[:400])
    with pytest.raises(DocumentError, match=r"report\.pdf: not a readable PDF: "):
        read_document(path)
