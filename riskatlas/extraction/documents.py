"""Reading report files into plain text: .txt, .md, .html, .pdf, .docx.

For .txt and .md the text is the file itself, so offsets index the file. For .html, .pdf and
.docx the text is what a reader sees, one paragraph per block, and offsets index that text.

Reading stays within ``riskatlas.extraction.limits``: a text over the limit, a file too large,
a Word file that would unpack to too much (checked before inflating it) or a damaged file
raise DocumentError with a message, never anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from riskatlas.document.archives import DAMAGED, ArchiveError, open_archive, size_text
from riskatlas.extraction.limits import (
    MAX_DOCX_UNPACKED,
    MAX_FILE_BYTES,
    TextTooLong,
    check_length,
    max_text_chars,
    too_long,
)

PLAIN = (".txt", ".md", ".markdown", ".text", "")
FORMATS = (*PLAIN[:-1], ".html", ".htm", ".pdf", ".docx")


class DocumentError(ValueError):
    """A report file that cannot be read; the message names the file and the reason."""


def read_document(path: str | Path, max_chars: int | None = None) -> str:
    """The plain text of a report file, chosen by its extension, of at most ``max_chars``
    characters (default: ``limits.max_text_chars()``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    limit = max_chars or max_text_chars()
    try:
        if suffix not in (*PLAIN, ".html", ".htm", ".pdf", ".docx"):
            raise DocumentError(
                f"{path}: unsupported file type {suffix!r}; use one of {', '.join(FORMATS)}"
            )
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DocumentError(
                f"{path}: the file is {size_text(size)}, over the limit of "
                f"{size_text(MAX_FILE_BYTES)}"
            )
        return check_length(_text_of(path, suffix, size, limit), limit)
    except TextTooLong as error:
        raise DocumentError(f"{path}: {error}") from error
    except OSError as error:
        raise DocumentError(f"{path}: cannot read: {error.strerror or error}") from error


def _text_of(path: Path, suffix: str, size: int, limit: int) -> str:
    if suffix in PLAIN:
        if size > 4 * limit:  # even four bytes a character would be too many characters
            raise TextTooLong(too_long(None, limit))
        return _decode(path.read_bytes(), path)
    if suffix in (".html", ".htm"):
        return html_text(_decode(path.read_bytes(), path), limit)
    if suffix == ".pdf":
        return _pdf_text(path, limit)
    return _docx_text(path, limit)


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


def html_text(html: str, max_chars: int | None = None) -> str:
    """The visible text of an HTML page, one block per paragraph; TextTooLong as soon as it
    passes ``max_chars``."""
    limit = max_chars or max_text_chars()
    collector = _TextCollector()
    chunk = 1024 * 1024
    for start in range(0, len(html), chunk):
        collector.feed(html[start : start + chunk])
        if sum(map(len, collector.parts)) > 2 * limit:  # blank lines are tidied away later
            raise TextTooLong(too_long(None, limit))
    collector.close()
    return _tidy("".join(collector.parts))


def _tidy(text: str) -> str:
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def _pdf_text(path: Path, limit: int) -> str:
    from pypdf import PdfReader

    pages: list[str] = []
    try:
        reader = PdfReader(str(path))
        for pdf_page in reader.pages:
            pages.append(pdf_page.extract_text() or "")
            if sum(map(len, pages)) > 2 * limit:  # running headers are left out later
                raise TextTooLong(too_long(None, limit))
    except (TextTooLong, MemoryError):
        raise
    except Exception as error:  # pypdf raises many kinds on a damaged or unusual file
        reason = str(error) or type(error).__name__
        raise DocumentError(f"{path}: not a readable PDF: {reason}") from error
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
        # Lines inside a paragraph are joined; blank lines, headings and page ends separate
        # paragraphs.
        for block in re.split(r"\n\s*\n", "\n".join(_set_headings_apart(lines))):
            joined = re.sub(r"([A-Za-z]+)-\n([a-z]+)", rejoin, block)
            joined = re.sub(r"\s*\n\s*", " ", joined).strip()
            if joined:
                paragraphs.append(joined)
    return "\n\n".join(paragraphs) + "\n"


def _set_headings_apart(lines: list[str]) -> list[str]:
    """A page's lines with a blank line around each heading, as a PDF's text seldom has blank
    lines between paragraphs: a heading is a short line (under 60 % of the page's longest)
    without closing punctuation, after a line that ends a sentence (or none) and before a
    line that starts with a capital ("Crime" before "Armed robbery is common…")."""
    longest = max((len(line.strip()) for line in lines), default=0)
    out: list[str] = []
    for i, line in enumerate(lines):
        text = line.strip()
        before = lines[i - 1].strip() if i else ""
        after = lines[i + 1].strip() if i + 1 < len(lines) else ""
        heading = (
            bool(text)
            and len(text) < 0.6 * longest
            and text[-1] not in ".,;:!?-"
            and after[:1].isupper()
            and (not before or before[-1] in ".!?:")
        )
        out += ["", line, ""] if heading else [line]
    return out


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


def _docx_text(path: Path, limit: int) -> str:
    try:
        with open_archive(path, max_unpacked=MAX_DOCX_UNPACKED) as archive:
            if "word/document.xml" not in archive.namelist():
                raise DocumentError(f"{path}: not a Word .docx file: no word/document.xml")
            with archive.open("word/document.xml") as xml:
                paragraphs = list(_docx_paragraphs(xml, limit))
    except (TextTooLong, DocumentError):
        raise
    except ArchiveError as error:
        raise DocumentError(f"{path}: not a readable Word .docx file: {error}") from error
    except ElementTree.ParseError as error:
        raise DocumentError(f"{path}: word/document.xml: {error}") from error
    except DAMAGED as error:
        raise DocumentError(
            f"{path}: not a readable Word .docx file: the archive is damaged ({error})"
        ) from error
    return "\n\n".join(paragraphs) + "\n"


def _paragraph_text(paragraph: ElementTree.Element) -> str:
    parts = []
    for node in paragraph.iter():
        if node.tag == f"{_W}t" and node.text:
            parts.append(node.text)
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append(" ")
    return "".join(parts).strip()


def _docx_paragraphs(xml: IO[bytes], limit: int) -> Iterator[str]:
    """The non-empty paragraphs of word/document.xml in document order (a paragraph inside
    another, as in a text box, after it), read as a stream: each outermost paragraph is
    dropped once read, so memory stays small whatever the size; TextTooLong past ``limit``."""
    open_elements: list[ElementTree.Element] = []
    chars = 0
    for event, element in ElementTree.iterparse(xml, events=("start", "end")):
        if event == "start":
            open_elements.append(element)
            continue
        open_elements.pop()
        if element.tag != f"{_W}p" or any(e.tag == f"{_W}p" for e in open_elements):
            continue
        for paragraph in element.iter(f"{_W}p"):
            line = _paragraph_text(paragraph)
            if line:
                chars += len(line) + 2
                if chars > limit + 2:
                    raise TextTooLong(too_long(None, limit))
                yield line
        if open_elements:
            open_elements[-1].remove(element)
