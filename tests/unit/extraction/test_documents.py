"""Reading report files: HTML, Word and PDF documents written here, and bad files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from riskatlas.extraction.documents import DocumentError, read_document


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    """A minimal Word document: one w:p per paragraph."""
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0"?><w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>',
        )
    return path


def write_pdf(path: Path, lines: list[str], stream_filter: str = "") -> Path:
    """A one-page PDF with ``lines`` in Helvetica, xref table and all (its page's stream
    marked as encoded with ``stream_filter``, e.g. "/FooDecode", when given)."""
    text_ops = " ".join(f"({line}) Tj 0 -16 Td" for line in lines)
    stream = f"BT /F1 12 Tf 72 720 Td {text_ops} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< %s/Length %d >>\nstream\n"
        % ((b"/Filter " + stream_filter.encode() + b" ") if stream_filter else b"", len(stream))
        + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def test_html_keeps_visible_text_in_blocks(tmp_path: Path) -> None:
    page = tmp_path / "advice.html"
    page.write_text(
        "<html><head><title>Peru</title><style>p{color:red}</style></head><body>"
        "<h2>Crime</h2><p>Express kidnapping &amp; robbery occur in Lima.</p>"
        "<ul><li>Avoid ATMs at night.</li></ul><script>var kidnap = 1;</script></body></html>",
        encoding="utf-8",
    )
    text = read_document(page)
    assert "Express kidnapping & robbery occur in Lima." in text
    assert "* Avoid ATMs at night." in text
    assert "var kidnap" not in text and "color" not in text


def test_docx_paragraphs(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "notes.docx", ["Security notes", "Protests blocked roads."])
    assert read_document(path) == "Security notes\n\nProtests blocked roads.\n"


def test_pdf_lines_join_into_paragraphs(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "report.pdf", ["Kidnapping is a high risk", "in Lima, Peru."])
    text = read_document(path)
    assert "Kidnapping is a high risk in Lima, Peru." in " ".join(text.split())


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.docx", b"not a zip", "not a readable Word .docx file: not a ZIP archive"),
        ("report.pdf", b"%PDF-1.4 broken", "not a readable PDF"),
        ("sheet.xlsx", b"", "unsupported file type '.xlsx'"),
    ],
)
def test_bad_files_name_file_and_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as error:
        read_document(path)
    assert str(error.value).startswith(f"{path}: ")
    assert reason in str(error.value)


def test_pdf_running_headers_and_footers_are_left_out(tmp_path: Path) -> None:
    from weasyprint import HTML

    body = "".join(
        f"<p style='page-break-after: always'>Armed robbery is common near {place}.</p>"
        for place in ("markets", "bus stations", "hotels", "the airport")
    )
    css = (
        "@page { @top-center { content: 'DRAFT — version 2' } "
        "@bottom-center { content: 'Security risk assessment · page ' counter(page) "
        "' of ' counter(pages) } }"
    )
    path = tmp_path / "report.pdf"
    HTML(string=f"<style>{css}</style>{body}").write_pdf(path)
    text = read_document(path)
    assert "Armed robbery is common near the airport." in text
    assert "DRAFT" not in text and "page 2 of 4" not in text


def test_pdf_line_end_hyphens(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "report.pdf",
        ["The agriculture-", "based project needs secu-", "rity: security comes first."],
    )
    text = " ".join(read_document(path).split())
    assert "agriculture-based project" in text  # the compound's own hyphen stays
    assert "needs security:" in text  # a word broken at the line end is joined


def test_pdf_a_heading_line_is_its_own_paragraph(tmp_path: Path) -> None:
    # PDF text has no blank lines between paragraphs: a short line without a full stop before
    # a capitalised line is a heading, not the start of the next sentence.
    path = write_pdf(
        tmp_path / "report.pdf",
        [
            "Nigeria field notes, November 2026",
            "Kidnapping for ransom on the roads out of Maiduguri has increased since August. On",
            "14 September 2026 gunmen abducted three aid workers near Damboa in Borno State.",
            "Crime",
            "Armed robbery at traffic hold-ups in Lagos is common after dark, especially on the",
            "Third Mainland Bridge.",
        ],
    )
    paragraphs = read_document(path).strip().split("\n\n")
    assert paragraphs[0] == "Nigeria field notes, November 2026"
    assert paragraphs[1].startswith("Kidnapping for ransom") and paragraphs[1].endswith("State.")
    assert paragraphs[2] == "Crime"
    assert paragraphs[3].endswith("on the Third Mainland Bridge.")
