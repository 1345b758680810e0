"""The flash messages' colours (riskatlas/static/riskatlas/app.css): a warning reads amber and an
error red, whatever else the stylesheet says. A second, later ``.message`` rule once gave every
message the success green, warnings included (seen on the check-ins page)."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "riskatlas" / "static" / "riskatlas" / "app.css"


def _rules(selector: str, css: str) -> list[tuple[int, str]]:
    """(position, declarations) of every rule whose selector list is exactly ``selector``."""
    return [
        (m.start(), m.group(2))
        for m in re.finditer(r"(?m)^([^{}\n]+)\{([^}]*)\}", css)
        if m.group(1).strip() == selector
    ]


def test_a_kind_of_message_keeps_its_own_colours():
    css = CSS.read_text(encoding="utf-8")
    base = _rules(".message", css)
    assert len(base) == 1, "one rule for every message, so that no later one hides the kinds"
    for kind, background in (("warning", "#fef3c7"), ("error", "#fee4e2"), ("success", "#dcfce7")):
        rules = _rules(f".message-{kind}", css)
        assert rules and all(position > base[0][0] for position, _ in rules), kind
        assert f"background: {background}" in rules[-1][1], kind
