"""The incident timeline (report and assessment page): a later incident's line to its label,
on its way to a lower lane, does not strike through an earlier incident's words."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from riskatlas.reports import build_context
from riskatlas.reports.charts import timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_no_line_crosses_a_label(peru: dict[str, Any]) -> None:
    svg = ET.fromstring(timeline_svg(build_context(peru).incidents))
    drawn = list(svg)
    # The incidents' lines: from the axis down to their label.
    leaders = [e for e in drawn if e.tag == f"{SVG}line" and e.get("x1") == e.get("x2")]
    leaders = [e for e in leaders if float(e.get("y2", 0)) - float(e.get("y1", 0)) > 8]
    # The incidents' titles: grey, under their bold number and date (the years are centred).
    titles = [e for e in drawn if e.tag == f"{SVG}text" and e.get("fill")]
    titles = [e for e in titles if e.get("text-anchor") is None]
    assert len(leaders) == len(titles) == 4  # Peru's four incidents
    crossed = 0
    for title in titles:
        left, base = float(title.get("x", 0)), float(title.get("y", 0))
        right = left + len(title.text or "") * 4.6
        for line in leaders:
            x, bottom = float(line.get("x1", 0)), float(line.get("y2", 0))
            if not (left < x < right and bottom > base):
                continue  # the line does not pass through this title's row
            crossed += 1
            # A white ground drawn over the line, under the title, covers the crossing.
            between = drawn[drawn.index(line) + 1 : drawn.index(title)]
            assert any(
                e.tag == f"{SVG}rect"
                and e.get("fill") == "#ffffff"
                and float(e.get("x", 0)) <= x <= float(e.get("x", 0)) + float(e.get("width", 0))
                and float(e.get("y", 0)) <= base <= float(e.get("y", 0)) + float(e.get("height", 0))
                for e in between
            ), (title.text, x)
    assert crossed == 3  # 2002's line through 2000's title, 2003's through both
