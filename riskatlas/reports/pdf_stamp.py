"""Pages of one PDF drawn onto pages of another by an incremental update: the original bytes
are kept as they are and followed by the new objects (each overlay page as a form XObject with
its resources, the stamped pages' new dictionaries) and a cross-reference section pointing back
to the original's. Rewriting the whole document instead (``PdfWriter``) took about 2 s for the
38-page Chromium report; appending takes milliseconds."""

from __future__ import annotations

import itertools
import re
import zlib
from io import BytesIO
from typing import Any, cast

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)

_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
FORM_NAME = "/RiskatlasStamp"


class _Objects:
    """New objects numbered from the original's ``/Size`` on; ``copy`` brings an object of
    another PDF (the overlay) over, with its references renumbered."""

    def __init__(self, size: int) -> None:
        self.next = size
        self.written: dict[int, Any] = {}  # number: object
        self._copied: dict[tuple[int, int], int] = {}  # (id of the source reader, number)

    def add(self, obj: Any, number: int | None = None) -> IndirectObject:
        if number is None:
            number, self.next = self.next, self.next + 1
        self.written[number] = obj
        return IndirectObject(number, 0, None)

    def copy(self, obj: Any) -> Any:
        if isinstance(obj, IndirectObject):
            key = (id(obj.pdf), obj.idnum)
            if key not in self._copied:
                number, self.next = self.next, self.next + 1
                self._copied[key] = number
                self.written[number] = self.copy(obj.get_object())
            return IndirectObject(self._copied[key], 0, None)
        if isinstance(obj, StreamObject):
            stream: StreamObject = (
                EncodedStreamObject()
                if isinstance(obj, EncodedStreamObject)
                else DecodedStreamObject()
            )
            stream._data = obj._data
            for key, value in obj.items():
                if key != "/Length":
                    stream[NameObject(key)] = self.copy(value)
            return stream
        if isinstance(obj, DictionaryObject):
            return DictionaryObject({NameObject(k): self.copy(v) for k, v in obj.items()})
        if isinstance(obj, ArrayObject):
            return ArrayObject(self.copy(v) for v in obj)
        return obj


def _stream(data: bytes, entries: dict[str, Any] | None = None) -> EncodedStreamObject:
    stream = EncodedStreamObject()
    stream._data = zlib.compress(data)
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    for key, value in (entries or {}).items():
        stream[NameObject(key)] = value
    return stream


Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _times(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF's row-vector convention: a point goes ``p × m × n``)."""
    return (
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    )


def _inverse(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def _text_ends(operations: list[Any]) -> list[tuple[int, float, Matrix]]:
    """Each text object's end in the drawing: the index after its ``ET``, the baseline of its
    last positioned text (points from the page's bottom) and the transformation there."""
    ctm, stack = IDENTITY, []
    line = text = IDENTITY
    ends = []
    for index, (operands, operator) in enumerate(operations):
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q" and stack:
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = _times(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        elif operator == b"BT":
            line = text = IDENTITY
        elif operator == b"Tm":
            line = text = tuple(float(v) for v in operands)  # type: ignore[assignment]
        elif operator in (b"Td", b"TD"):
            move = (1.0, 0.0, 0.0, 1.0, float(operands[0]), float(operands[1]))
            line = text = _times(move, line)
        elif operator == b"ET":
            ends.append((index + 1, _times(text, ctm)[5], ctm))
    return ends


def stamp(
    pdf: bytes,
    overlay: bytes,
    places: list[tuple[int, float, float]],
    reader: PdfReader | None = None,
    outline: list[tuple[int, str, str]] | None = None,
    drawings: list[tuple[bytes, Any]] | None = None,
) -> bytes:
    """``pdf`` with each page of ``overlay`` drawn on a page of it: ``places`` gives, for each
    overlay page in order, the page (from 0) and a band of that page (top and bottom, points
    from the page's top). ``drawings`` instead of ``overlay``: for each place, a drawing in the
    page's coordinates and its resources (which may refer to ``pdf``'s own objects). The
    overlay goes into the page's drawing after the last text whose baseline lies in the band
    (at the end if none does), so that text read out of the PDF comes in reading order.
    ``reader`` is ``pdf`` already read, if it is at hand. ``outline``: (level, title, named
    destination) of each heading, in order, written as the document's outline (a heading
    under the last one above it of a lower level), all open."""
    from pypdf.generic import ContentStream

    found = _STARTXREF.search(pdf[-1024:])
    if found is None:
        raise ValueError("the PDF has no cross-reference offset at its end")
    reader = reader or PdfReader(BytesIO(pdf))
    trailer = reader.trailer
    objects = _Objects(int(str(trailer["/Size"])))
    by_page = _forms_by_page(objects, places, _sheets(objects, reader, overlay, places, drawings))
    for number, forms in by_page.items():
        page = reader.pages[number]
        reference = page.indirect_reference
        assert reference is not None
        height = float(page.mediabox.top)
        drawing = page.get_contents()
        operations = list(ContentStream(drawing, reader).operations) if drawing is not None else []
        ends = _text_ends(operations)
        inserts: list[tuple[int, Matrix, str]] = []
        resources = page.get("/Resources")
        resources = (
            DictionaryObject(resources.get_object().items()) if resources else DictionaryObject()
        )
        xobjects = resources.get("/XObject")
        xobjects = (
            DictionaryObject(xobjects.get_object().items()) if xobjects else DictionaryObject()
        )
        for count, (top, bottom, form) in enumerate(forms):
            name = f"{FORM_NAME}{count}"
            xobjects[NameObject(name)] = form
            inside = [end for end in ends if top <= height - end[1] <= bottom]
            at, ctm = (inside[-1][0], inside[-1][2]) if inside else (len(operations), IDENTITY)
            inserts.append((at, ctm, name))
        resources[NameObject("/XObject")] = xobjects
        # From the last place back, so that the earlier indexes stay right.
        for at, ctm, name in sorted(inserts, key=lambda x: -x[0]):
            back = [FloatObject(v) for v in _inverse(ctm)]
            operations[at:at] = [
                ([], b"q"),
                (back, b"cm"),
                ([NameObject(name)], b"Do"),
                ([], b"Q"),
            ]
        content = ContentStream(None, reader)
        content.operations = operations
        new_page = DictionaryObject(page.items())
        new_page[NameObject("/Resources")] = resources
        new_page[NameObject("/Contents")] = objects.add(_stream(content.get_data()))
        objects.add(new_page, reference.idnum)
    if outline:
        _write_outline(objects, reader, outline)
    return _appended(pdf, objects, trailer, int(found.group(1)))


def _sheets(
    objects: _Objects,
    reader: PdfReader,
    overlay: bytes,
    places: list[tuple[int, float, float]],
    drawings: list[tuple[bytes, Any]] | None,
) -> list[tuple[bytes, Any, Any]]:
    """What goes on each place: (drawing, box, resources), from ``drawings`` (on the page's
    own box) or from the overlay's pages (their resources copied over)."""
    sheets: list[tuple[bytes, Any, Any]] = []
    if drawings is not None:
        sheets = [
            (data, reader.pages[number].mediabox, resources)
            for (number, _, _), (data, resources) in zip(places, drawings, strict=True)
        ]
    elif places:
        for sheet in PdfReader(BytesIO(overlay)).pages:
            drawing = sheet.get_contents()  # a stream: empty of keys, so test it against None
            resources = objects.copy(sheet.get(NameObject("/Resources"), DictionaryObject()))
            sheets.append(
                (drawing.get_data() if drawing is not None else b"", sheet.mediabox, resources)
            )
    if len(sheets) != len(places):
        raise ValueError(f"{len(sheets)} overlay pages for {len(places)} places")
    return sheets


def _forms_by_page(
    objects: _Objects, places: list[tuple[int, float, float]], sheets: list[tuple[bytes, Any, Any]]
) -> dict[int, list[tuple[float, float, IndirectObject]]]:
    """Each drawing (its data, box and resources) as a form XObject added to ``objects``, by
    the page it goes on."""
    by_page: dict[int, list[tuple[float, float, IndirectObject]]] = {}
    for (number, top, bottom), (data, box, resources) in zip(places, sheets, strict=True):
        form = objects.add(
            _stream(
                data,
                {
                    "/Type": NameObject("/XObject"),
                    "/Subtype": NameObject("/Form"),
                    "/BBox": ArrayObject(FloatObject(float(v)) for v in box),
                    "/Resources": resources,
                },
            )
        )
        by_page.setdefault(number, []).append((top, bottom, form))
    return by_page


def _write_outline(
    objects: _Objects, reader: PdfReader, headings: list[tuple[int, str, str]]
) -> None:
    """The outline from ``headings`` whose destination the PDF has, and the catalog that
    points to it."""
    from pypdf.generic import TextStringObject

    root_reference = reader.trailer.raw_get("/Root")
    catalog = cast(DictionaryObject, reader.trailer["/Root"].get_object())
    dests = catalog.get("/Dests")
    names = set(cast(DictionaryObject, dests.get_object()).keys()) if dests is not None else set()
    kept = [(level, title, "/" + name) for level, title, name in headings if "/" + name in names]
    if not kept:
        return
    top = DictionaryObject({NameObject("/Type"): NameObject("/Outlines")})
    top_reference = objects.add(top)
    # Each item: its dictionary, its reference, its children; a stack of the open levels.
    root: dict[str, Any] = {"item": top, "ref": top_reference, "children": []}
    stack: list[tuple[int, dict[str, Any]]] = [(0, root)]
    for level, title, name in kept:
        while len(stack) > 1 and stack[-1][0] >= level:
            stack.pop()
        item = DictionaryObject(
            {
                NameObject("/Title"): TextStringObject(title),
                NameObject("/Dest"): NameObject(name),
                NameObject("/Parent"): stack[-1][1]["ref"],
            }
        )
        node = {"item": item, "ref": objects.add(item), "children": []}
        stack[-1][1]["children"].append(node)
        stack.append((level, node))

    def link(node: dict[str, Any]) -> int:
        """Siblings and children joined; the number of items below ``node``, all open."""
        children = node["children"]
        count = 0
        for before, after in itertools.pairwise(children):
            before["item"][NameObject("/Next")] = after["ref"]
            after["item"][NameObject("/Prev")] = before["ref"]
        for child in children:
            count += 1 + link(child)
        if children:
            node["item"][NameObject("/First")] = children[0]["ref"]
            node["item"][NameObject("/Last")] = children[-1]["ref"]
            node["item"][NameObject("/Count")] = NumberObject(count)
        return count

    link(root)
    new_catalog = DictionaryObject(catalog.items())
    new_catalog[NameObject("/Outlines")] = top_reference
    objects.add(new_catalog, root_reference.idnum)


def _appended(pdf: bytes, objects: _Objects, trailer: Any, previous: int) -> bytes:
    out = BytesIO()
    out.write(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects.written):
        offsets[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode())
        objects.written[number].write_to_stream(out)
        out.write(b"\nendobj\n")
    start = out.tell()
    out.write(b"xref\n")
    numbers = sorted(offsets)
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    for run in runs:
        out.write(f"{run[0]} {len(run)}\n".encode())
        for number in run:
            out.write(f"{offsets[number]:010d} 00000 n \n".encode())
    new_trailer = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(max(objects.next, int(str(trailer["/Size"])))),
            NameObject("/Prev"): NumberObject(previous),
        }
    )
    for key in ("/Root", "/Info", "/ID"):
        if key in trailer:
            new_trailer[NameObject(key)] = trailer.raw_get(key)
    out.write(b"trailer\n")
    new_trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{start}\n%%EOF\n".encode())
    return out.getvalue()


__all__ = ["stamp"]
