"""Charts as inline SVG written in Python: the same markup works in a browser and in the PDF.

No JavaScript and no chart library: a heat map of the risk matrix, risks by category as
stacked bars coloured by residual level, and an incident timeline.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.sax.saxutils import escape

from riskatlas.method import MatrixLevel
from riskatlas.method.register import RatedRisk
from riskatlas.reports.heat_maps import HeatMap
from riskatlas.reports.incidents import IncidentView

FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
INK = "#1f2933"
MUTED = "#6b7785"
RULE = "#d5dae0"


def ink(colour: str) -> str:
    """Dark or white text, whichever reads better on ``colour`` (#rrggbb)."""
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    return INK if luminance > 0.3 else "#ffffff"


def _text(x: float, y: float, text: str, size: float = 9, **attrs: str) -> str:
    extra = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" {extra}>{escape(text)}</text>'


def _svg(width: float, height: float, body: Iterable[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(label)}" '
        f'font-family="{FONT}" fill="{INK}">' + "".join(body) + "</svg>"
    )


HEAT_CELL, HEAT_LEFT, HEAT_TOP = 52, 92, 26  # cell size and the margins for the axis labels


def heat_map_svg(
    heat: HeatMap, likelihood_names: dict[int, str], impact_names: dict[int, str]
) -> str:
    """One matrix: each cell in its level colour with the count of risks and their numbers."""
    cell, left, top = HEAT_CELL, HEAT_LEFT, HEAT_TOP
    cols, rows = len(heat.likelihood_values), len(heat.impact_values)
    width, height = left + cols * cell + 8, top + rows * cell + 52
    body = [
        _text(
            left + cols * cell / 2,
            14,
            f"{heat.kind.capitalize()} risk",
            11,
            text_anchor="middle",
            font_weight="bold",
        )
    ]
    body += _heat_cells(heat)
    body += _impact_axis(heat, impact_names)
    body += _likelihood_axis(heat, likelihood_names)
    body += _heat_axis_titles(cols, rows)
    return _svg(width, height, body, f"{heat.kind} risk heat map: {heat.total} risks")


def _heat_cells(heat: HeatMap) -> list[str]:
    """The cells, each with its count and risk labels when it holds risks."""
    cell, left, top = HEAT_CELL, HEAT_LEFT, HEAT_TOP
    impacts = list(reversed(heat.impact_values))
    body = []
    for c in heat.cells:
        col = heat.likelihood_values.index(c.likelihood)
        row = impacts.index(c.impact)
        x, y = left + col * cell, top + row * cell
        colour = c.level.colour
        body.append(
            f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{colour}" '
            f'fill-opacity="{1 if c.count else 0.35}" stroke="#ffffff" stroke-width="2"/>'
        )
        if c.count:
            fg = ink(colour)
            body.append(
                _text(
                    x + cell / 2,
                    y + 24,
                    str(c.count),
                    15,
                    text_anchor="middle",
                    font_weight="bold",
                    fill=fg,
                )
            )
            labels = [f"R{n}" for n in c.risks]
            for i, line in enumerate(_wrap(labels, 3)[:2]):
                body.append(
                    _text(x + cell / 2, y + 36 + i * 9, line, 7, text_anchor="middle", fill=fg)
                )
    return body


def _impact_axis(heat: HeatMap, impact_names: dict[int, str]) -> list[str]:
    """Impact values and names down the left, highest at the top."""
    cell, left, top = HEAT_CELL, HEAT_LEFT, HEAT_TOP
    body = []
    for row, impact in enumerate(reversed(heat.impact_values)):
        ty = top + row * cell + cell / 2
        body.append(_text(left - 6, ty - 1, str(impact), 9, text_anchor="end", font_weight="bold"))
        body.append(
            _text(left - 6, ty + 9, impact_names.get(impact, ""), 7, text_anchor="end", fill=MUTED)
        )
    return body


def _likelihood_axis(heat: HeatMap, likelihood_names: dict[int, str]) -> list[str]:
    """Likelihood values and names along the bottom."""
    cell, left, top = HEAT_CELL, HEAT_LEFT, HEAT_TOP
    rows = len(heat.impact_values)
    body = []
    for col, likelihood in enumerate(heat.likelihood_values):
        tx = left + col * cell + cell / 2
        ty = top + rows * cell
        body.append(
            _text(tx, ty + 12, str(likelihood), 9, text_anchor="middle", font_weight="bold")
        )
        body.append(
            _text(
                tx,
                ty + 21,
                likelihood_names.get(likelihood, ""),
                6.5,
                text_anchor="middle",
                fill=MUTED,
            )
        )
    return body


def _heat_axis_titles(cols: int, rows: int) -> list[str]:
    """The axis titles: "Likelihood →" under the grid and "Impact →" up its left side."""
    cell, left, top = HEAT_CELL, HEAT_LEFT, HEAT_TOP
    return [
        _text(
            left + cols * cell / 2,
            top + rows * cell + 40,
            "Likelihood →",
            9,
            text_anchor="middle",
            fill=MUTED,
        ),
        _text(
            12,
            top + rows * cell / 2,
            "Impact →",
            9,
            text_anchor="middle",
            fill=MUTED,
            transform=f"rotate(-90 12 {top + rows * cell / 2})",
        ),
    ]


def _wrap(labels: list[str], per_line: int) -> list[str]:
    lines = [" ".join(labels[i : i + per_line]) for i in range(0, len(labels), per_line)]
    if len(lines) > 2:
        lines = [lines[0], lines[1] + " …"]
    return lines


def category_bars_svg(
    by_category: list[tuple[str, list[RatedRisk]]], levels: Iterable[MatrixLevel]
) -> str:
    """Risks by category, each bar split into residual levels (highest first)."""
    ordered = sorted(levels, key=lambda lv: -lv.rank)
    label_w, bar_h, gap, unit_max = 210, 16, 7, 300
    biggest = max((len(rs) for _, rs in by_category), default=1) or 1
    unit = min(48, unit_max / biggest)
    height = 12 + len(by_category) * (bar_h + gap) + 30
    width = label_w + unit * biggest + 40
    width = max(width, label_w + 330)
    body = []
    for i, (name, risks) in enumerate(by_category):
        y = 8 + i * (bar_h + gap)
        body.append(_text(label_w - 8, y + bar_h / 2 + 3.5, name, 9, text_anchor="end"))
        x = float(label_w)
        for level in ordered:
            n = sum(1 for r in risks if r.residual.level.code == level.code)
            if not n:
                continue
            body.append(
                f'<rect x="{x:.1f}" y="{y}" width="{n * unit:.1f}" height="{bar_h}" '
                f'fill="{level.colour}" stroke="#ffffff" stroke-width="1"/>'
            )
            if n * unit >= 12:
                body.append(
                    _text(
                        x + n * unit / 2,
                        y + bar_h / 2 + 3.5,
                        str(n),
                        8.5,
                        text_anchor="middle",
                        fill=ink(level.colour),
                    )
                )
            x += n * unit
        body.append(_text(x + 5, y + bar_h / 2 + 3.5, str(len(risks)), 9, font_weight="bold"))
    # Legend.
    y = 12 + len(by_category) * (bar_h + gap) + 6
    x = float(label_w)
    body.append(_text(label_w - 8, y + 8, "Residual level", 8, text_anchor="end", fill=MUTED))
    for level in reversed(ordered):
        body.append(f'<rect x="{x:.1f}" y="{y}" width="10" height="10" fill="{level.colour}"/>')
        body.append(_text(x + 13, y + 8.5, level.name, 8))
        x += 20 + len(level.name) * 5.2
    return _svg(width, height, body, "risks by category and residual level")


def timeline_svg(incidents: list[IncidentView]) -> str:
    """Incidents on a time axis, numbered as in the incident log."""
    if not incidents:
        return ""
    width, left, right, axis_y = 680, 30, 30, 30
    years = [int(i.date[:4]) for i in incidents]
    first, last = min(years), max(years) + 1
    span = max(last - first, 1)

    def x_of(date: str) -> float:
        parts = [int(p) for p in date.split("-")]
        month = parts[1] if len(parts) > 1 else 7  # a year alone sits mid-year
        day = parts[2] if len(parts) > 2 else 15
        fraction = (parts[0] - first) + (month - 1 + (day - 1) / 31) / 12
        return left + fraction / span * (width - left - right)

    lanes: list[float] = []  # right edge of the last label in each lane
    placed = []
    for inc in incidents:
        x = x_of(inc.date)
        label = f"{inc.number}. {inc.when}"
        title = inc.title if len(inc.title) <= 46 else inc.title[:44] + "…"
        text_w = max(len(label), len(title)) * 4.6
        start = max(2.0, min(x - 3, width - 2 - text_w))
        lane = next((n for n, edge in enumerate(lanes) if edge < start - 6), None)
        if lane is None:
            lanes.append(0.0)
            lane = len(lanes) - 1
        lanes[lane] = start + text_w
        placed.append((inc, x, start, lane, label, title, text_w))
    height = axis_y + 24 + len(lanes) * 26 + 6
    body = [
        f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" '
        f'stroke="{MUTED}" stroke-width="1.2"/>'
    ]
    step = 1 if span <= 12 else (2 if span <= 24 else 5)
    for year in range(first, last + 1, step):
        x = left + (year - first) / span * (width - left - right)
        body.append(
            f'<line x1="{x:.1f}" y1="{axis_y - 4}" x2="{x:.1f}" y2="{axis_y + 4}" '
            f'stroke="{MUTED}"/>'
        )
        body.append(_text(x, axis_y - 8, str(year), 8, text_anchor="middle", fill=MUTED))
    for inc, x, _, lane, *_ in placed:
        y = axis_y + 20 + lane * 26
        body.append(
            f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{y - 8}" '
            f'stroke="{RULE}" stroke-width="1"/>'
        )
        if inc.precision == "year":  # only the year is known: a hollow marker
            body.append(
                f'<circle cx="{x:.1f}" cy="{axis_y}" r="3.5" fill="#ffffff" '
                f'stroke="#1d4e89" stroke-width="1.5"/>'
            )
        else:
            body.append(f'<circle cx="{x:.1f}" cy="{axis_y}" r="4" fill="#1d4e89"/>')
    # The labels over the lines, each on a white ground: a later incident's line, on its way to
    # a lower lane, passes behind an earlier label instead of striking through its words.
    for _, _, start, lane, label, title, text_w in placed:
        y = axis_y + 20 + lane * 26
        body.append(
            f'<rect x="{start - 1:.1f}" y="{y - 8}" width="{text_w + 2:.1f}" height="20" '
            f'fill="#ffffff"/>'
        )
        body.append(_text(start, y, label, 7.5, font_weight="bold"))
        body.append(_text(start, y + 9, title, 7.5, fill=MUTED))
    return _svg(width, height, body, f"timeline of {len(incidents)} incidents")
