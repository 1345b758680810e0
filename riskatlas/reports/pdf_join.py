"""The parts' PDFs joined into one (``pdf_parts``): pages in order, "page N of M" stamped from
the page-number sheets, one table of named destinations (every part's anchors, on their page
in the whole document), the cross-part links pointed at them and one outline rebuilt from the
parts' bookmarks with their heading levels, as WeasyPrint builds it in a single pass."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import Any, cast

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from riskatlas.reports.pdf_split import ANCHOR_SCHEME

CATALOG_KEYS = ("/Lang", "/PageMode", "/ViewerPreferences", "/MarkInfo")


@dataclass
class RenderedPart:
    pdf: bytes
    pages: int
    bookmarks: list[tuple[int, int, str, float, float, bool]]  # page, level, label, x, y, open
    anchors: dict[str, tuple[int, float, float]]  # name: page, x, y (PDF points)


def join(parts: list[RenderedPart], page_numbers: bytes) -> bytes:
    """One PDF from ``parts`` (the front first), stamped with ``page_numbers`` (a PDF with a
    page for each page of the whole)."""
    writer = PdfWriter()
    offsets = []
    readers = [PdfReader(BytesIO(part.pdf)) for part in parts]
    for reader in readers:
        offsets.append(len(writer.pages))
        for page in reader.pages:
            writer.add_page(page)
    sheets = PdfReader(BytesIO(page_numbers)).pages
    if len(sheets) != len(writer.pages):
        raise ValueError(f"{len(sheets)} page-number sheets for {len(writer.pages)} pages")
    for page, sheet in zip(writer.pages, sheets, strict=True):
        page.merge_page(sheet)
        page.compress_content_streams()  # the merge leaves the page's drawing uncompressed
    _destinations(writer, parts, offsets)
    _links(writer)
    _outline(writer, parts, offsets)
    front = readers[0]
    if front.metadata:
        writer.add_metadata({k: v for k, v in front.metadata.items() if isinstance(v, str)})
    catalog = cast(DictionaryObject, front.trailer["/Root"].get_object())
    for key in CATALOG_KEYS:
        if key in catalog:
            writer._root_object[NameObject(key)] = _plain(catalog[key])
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _plain(value: Any) -> Any:
    """A catalog entry of a part copied by value (names, strings, small dictionaries)."""
    value = value.get_object()
    if isinstance(value, DictionaryObject):
        return DictionaryObject({NameObject(k): _plain(v) for k, v in value.items()})
    return value


def _destinations(writer: PdfWriter, parts: list[RenderedPart], offsets: list[int]) -> None:
    """Every anchor as a named destination on its page of the whole (the first of a name)."""
    found: dict[str, ArrayObject] = {}
    for part, offset in zip(parts, offsets, strict=True):
        for name, (page, x, y) in part.anchors.items():
            if name not in found:
                found[name] = ArrayObject(
                    [
                        writer.pages[offset + page].indirect_reference,
                        NameObject("/XYZ"),
                        FloatObject(x),
                        FloatObject(y),
                        NumberObject(0),
                    ]
                )
    names = ArrayObject()
    for name in sorted(found):
        names.extend([TextStringObject(name), found[name]])
    tree = DictionaryObject({NameObject("/Names"): names})
    writer._root_object[NameObject("/Names")] = DictionaryObject(
        {NameObject("/Dests"): writer._add_object(tree)}
    )


def _links(writer: PdfWriter) -> None:
    """The cross-part links (``riskatlas-anchor:NAME`` URIs) as links to the destination."""
    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            action = annotation.get("/A")
            uri = str(action.get_object().get("/URI", "")) if action is not None else ""
            if uri.startswith(ANCHOR_SCHEME):
                del annotation["/A"]
                annotation[NameObject("/Dest")] = TextStringObject(uri[len(ANCHOR_SCHEME) :])
                if "/Contents" in annotation:
                    annotation[NameObject("/Contents")] = TextStringObject(
                        uri[len(ANCHOR_SCHEME) :]
                    )


def _outline(writer: PdfWriter, parts: list[RenderedPart], offsets: list[int]) -> None:
    """The bookmarks of every part as one tree: a heading is the child of the last heading
    above it of a lower level (h3 under h2, h2 under the cover's h1)."""
    from pypdf.generic import Fit

    stack: list[tuple[int, Any]] = []  # (level, outline item)
    for part, offset in zip(parts, offsets, strict=True):
        for page, level, label, x, y, is_open in part.bookmarks:
            while stack and stack[-1][0] >= level:
                stack.pop()
            item = writer.add_outline_item(
                title=label,
                page_number=offset + page,
                parent=stack[-1][1] if stack else None,
                fit=Fit.xyz(x, y, 0),
                is_open=is_open,
            )
            stack.append((level, item))
