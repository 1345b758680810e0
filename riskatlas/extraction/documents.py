"""Reading report files into plain text: .txt, .md, .html, .pdf, .docx.

For .txt and .md the text is the file itself, so offsets index the file. For .html, .pdf and
.docx the text is what a reader sees, one paragraph per block, and offsets index that text.
"""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

PLAIN = (".txt", ".md", ".markdown", ".text", "")
FORMATS = (*PLAIN[:-1], ".html", ".htm", ".pdf", ".docx")


class DocumentError(ValueError):
    """A report file that cannot be read; the message names the file and the reason."""


def read_document(path: str | Path) -> str:
    """The plain text of a report file, chosen by its extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in PLAIN:
            return _decode(path.read_bytes(), path)
        if suffix in (".html", ".htm"):
            return html_text(_decode(path.read_bytes(), path))
        if suffix == ".pdf":
            return _pdf_text(path)
        if suffix == ".docx":
            return _docx_text(path)
    except OSError as error:
        raise DocumentError(f"{path}: cannot read: {error.strerror or error}") from error
    raise DocumentError(
        f"{path}: unsupported file type {suffix!r}; use one of {', '.join(FORMATS)}"
    )


def _decode(data: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{path}: not text in UTF-8 or Windows-1252")  # pragma: no cover


class _TextCollector(HTMLParser):
    BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "tr",
            "table",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
            "pre",
            "dt",
            "dd",
            "title",
        ]
    )
    SKIP = frozenset(("script", "style", "noscript", "template", "head"))

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")
        if tag == "li":
            self.parts.append("* ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def html_text(html: str) -> str:
    """The visible text of an HTML page, one block per paragraph."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return _tidy("".join(collector.parts))


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError) as error:
        raise DocumentError(f"{path}: not a readable PDF: {error}") from error
    running = _running_lines(pages)
    words = set(re.findall(r"[a-z]+", " ".join(pages).lower()))

    def rejoin(match: re.Match[str]) -> str:
        # "secu-\nrity" is one word when the text has "security" elsewhere; otherwise the
        # hyphen is the word's own ("agriculture-\nbased").
        before, after = match.group(1), match.group(2)
        return before + ("" if (before + after).lower() in words else "-") + after

    paragraphs = []
    for page in pages:
        lines = [line for line in page.split("\n") if _line_key(line) not in running]
        # Lines inside a paragraph are joined; blank lines and page ends separate paragraphs.
        for block in re.split(r"\n\s*\n", "\n".join(lines)):
            joined = re.sub(r"([A-Za-z]+)-\n([a-z]+)", rejoin, block)
            joined = re.sub(r"\s*\n\s*", " ", joined).strip()
            if joined:
                paragraphs.append(joined)
    return "\n\n".join(paragraphs) + "\n"


#: How many lines at the top and at the bottom of a page may be a running header or footer.
EDGE_LINES = 3


def _line_key(line: str) -> str:
    """A line with its numbers blanked, to recognise a running header or footer."""
    return re.sub(r"\d+", "#", " ".join(line.split())).lower()


def _running_lines(pages: list[str]) -> set[str]:
    """Lines repeated on at least half the pages (three at least): running headers and
    footers such as "Security risk assessment · page 3 of 34", left out of the text."""
    if len(pages) < 3:
        return set()
    seen: dict[str, int] = {}
    for page in pages:
        lines = [line for line in page.split("\n") if line.strip()]
        edges = lines[:EDGE_LINES] + lines[-EDGE_LINES:]  # headers and footers sit there
        for key in {_line_key(line) for line in edges}:
            if key and len(key) > 3:
                seen[key] = seen.get(key, 0) + 1
    return {key for key, n in seen.items() if n >= max(3, len(pages) / 2)}


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_text(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError) as error:
        raise DocumentError(f"{path}: not a Word .docx file: {error}") from error
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as error:
        raise DocumentError(f"{path}: word/document.xml: {error}") from error
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        parts = []
        for node in paragraph.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag == f"{_W}tab":
                parts.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append(" ")
        line = "".join(parts).strip()
        if line:
            paragraphs.append(line)
    return "\n\n".join(paragraphs) + "\n"
