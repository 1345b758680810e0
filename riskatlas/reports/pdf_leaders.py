"""The contents' dotted leaders and page numbers drawn straight into Chromium's PDF, in the
report's own font as the PDF already holds it (its DejaVu Sans: Chromium keeps the font's glyph
numbers in the subset it embeds, and the page numbers of the footer and the text's full stops
put every digit and the dot in it), instead of printing a page of them with the browser and
stamping that in (a second load and print: 0.2-0.3 s on the shared machine). The drawing is the
same as that page's (``pdf_chromium.numbers_html``): the number set against the content's right
edge, the dots from the end of the entry's text up to 0.6 em before it, grey, on the entry's
baseline. ``None`` when the font or a glyph is not found: the caller prints the page then."""

from __future__ import annotations

import math
import re
from typing import Any

from pypdf.generic import DictionaryObject, IndirectObject, NameObject

FONT = "/RiskatlasLeaders"
GREY = (0x6B / 255, 0x77 / 255, 0x85 / 255)  # #6b7785, the contents' numbers
ASCENT = 0.928  # DejaVu Sans: the baseline under the inline box's top, in em
BOX = 1.164  # DejaVu Sans: its inline box's height, in em
DOT_GAP = 0.6  # em between the leader's last dot and the number
_BFCHAR = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _glyphs(font: Any) -> dict[str, tuple[int, float]]:
    """Each character of a Type 0 font with Identity-H encoding: its code and advance (1/1000
    em), from its ``/ToUnicode`` map and its descendant's ``/W`` widths."""
    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
        return {}
    to_unicode = font.get("/ToUnicode")
    descendant = font["/DescendantFonts"][0].get_object()
    if to_unicode is None:
        return {}
    text = to_unicode.get_object().get_data().decode("latin-1")
    codes: dict[str, int] = {}
    for section in re.findall(r"beginbfrange(.*?)endbfrange", text, re.DOTALL):
        for low, high, first in _BFRANGE.findall(section):
            for code in range(int(low, 16), int(high, 16) + 1):
                codes.setdefault(chr(int(first, 16) + code - int(low, 16)), code)
    for section in re.findall(r"beginbfchar(.*?)endbfchar", text, re.DOTALL):
        for code, unicode in _BFCHAR.findall(section):
            if len(unicode) == 4:
                codes.setdefault(chr(int(unicode, 16)), int(code, 16))
    widths = _widths(descendant.get("/W") or [], float(descendant.get("/DW", 1000)))
    return {char: (code, widths(code)) for char, code in codes.items()}


def _widths(entries: Any, default: float) -> Any:
    """A code's advance from a CID font's ``/W`` array (``c [w…]`` and ``c1 c2 w`` runs)."""
    found: dict[int, float] = {}
    index = 0
    while index < len(entries) - 1:
        first, then = int(entries[index]), entries[index + 1]
        if isinstance(then, list):
            for offset, width in enumerate(then):
                found[first + offset] = float(width)
            index += 2
        else:
            for code in range(first, int(then) + 1):
                found[code] = float(entries[index + 2])
            index += 3
    return lambda code: found.get(code, default)


def _font(page: Any, needed: set[str]) -> tuple[IndirectObject, dict[str, tuple[int, float]]]:
    """The page's regular DejaVu Sans (its reference and glyphs) if it has ``needed``."""
    resources: Any = page.get("/Resources")
    fonts: Any = resources.get_object().get("/Font") if resources is not None else None
    for reference in fonts.get_object().values() if fonts is not None else []:
        font = reference.get_object()
        if str(font.get("/BaseFont", "")).endswith("+DejaVuSans"):
            glyphs = _glyphs(font)
            if needed <= glyphs.keys() and isinstance(reference, IndirectObject):
                return reference, glyphs
    raise LookupError("no DejaVu Sans with the contents' characters")


def leaders(reader: Any, lines: list[Any], right: float) -> list[tuple[bytes, Any]] | None:
    """For each contents line (``pdf_chromium.Line``), its leader and number as a drawing in
    the page's own coordinates and the resources it needs, for ``pdf_stamp.stamp``; ``None``
    when the report's font in the PDF lacks what they need."""
    needed = {"."} | {digit for line in lines for digit in str(line.number)}
    drawings: list[tuple[bytes, Any]] = []
    fonts: dict[int, tuple[IndirectObject, dict[str, tuple[int, float]]]] = {}
    for line in lines:
        page = reader.pages[line.page]
        try:
            reference, glyphs = fonts.get(line.page) or _font(page, needed)
        except LookupError:
            return None
        fonts[line.page] = (reference, glyphs)
        size = line.height / BOX  # the font size that makes the entry's inline box
        number = str(line.number)
        number_width = sum(glyphs[d][1] for d in number) * size / 1000
        dot = glyphs["."][1] * size / 1000
        number_left = right - number_width
        dots_end = number_left - DOT_GAP * size
        count = max(0, math.floor((dots_end - line.left) / dot)) if dot > 0 else 0
        baseline = float(page.mediabox.top) - (line.top + ASCENT * size)
        hex_dots = f"{glyphs['.'][0]:04X}" * count
        hex_number = "".join(f"{glyphs[d][0]:04X}" for d in number)
        drawing = (
            f"q {GREY[0]:.4f} {GREY[1]:.4f} {GREY[2]:.4f} rg BT {FONT} {size:.3f} Tf "
            f"1 0 0 1 {dots_end - count * dot:.3f} {baseline:.3f} Tm <{hex_dots}> Tj "
            f"1 0 0 1 {number_left:.3f} {baseline:.3f} Tm <{hex_number}> Tj ET Q"
        )
        resources = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject(FONT): reference})}
        )
        drawings.append((drawing.encode("ascii"), resources))
    return drawings


__all__ = ["leaders"]
