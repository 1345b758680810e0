"""The default mitigation library (data file), searchable by text and threat category."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from riskatlas.method._data import load_data


@dataclass(frozen=True)
class Mitigation:
    code: str
    name: str
    domain: str
    description: str
    threats: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "domain": self.domain,
            "description": self.description,
            "threats": list(self.threats),
        }


@cache
def mitigation_library() -> tuple[Mitigation, ...]:
    return tuple(
        Mitigation(
            code=m["code"],
            name=m["name"],
            domain=m["domain"],
            description=m["description"],
            threats=tuple(m.get("threats") or ()),
        )
        for m in load_data("mitigations.yaml")["mitigations"]
    )


def find_mitigation(code: str) -> Mitigation | None:
    return next((m for m in mitigation_library() if m.code == code), None)


def search_mitigations(text: str = "", threat: str | None = None) -> list[Mitigation]:
    words = text.lower().split()
    out = []
    for m in mitigation_library():
        haystack = f"{m.code} {m.name} {m.description} {m.domain}".lower()
        if all(w in haystack for w in words) and (threat is None or threat in m.threats):
            out.append(m)
    return out


_WORD = re.compile(r"[a-z]{4,}")
# fmt: off
_COMMON = frozenset((
    "about", "after", "also", "among", "been", "from", "have", "into", "many", "more", "most",
    "other", "over", "some", "such", "than", "that", "their", "them", "there", "these", "they",
    "this", "those", "very", "were", "what", "when", "where", "which", "while", "with",
    "within", "without",
))
# fmt: on


def _stems(text: str) -> set[str]:
    """The words of ``text`` worth comparing, by their first four letters (roads, road and
    roadworthy; driving and drivers)."""
    return {w[:4] for w in _WORD.findall(text.lower()) if w not in _COMMON}


def suggest_mitigations(threat: str, text: str = "") -> list[Mitigation]:
    """The library's measures for ``threat``, those sharing most words with ``text`` (a
    risk's title and rationale) first, a word of the measure's name counting twice; then in
    the library's order."""
    wanted = _stems(text)

    def shared(m: Mitigation) -> int:
        named = wanted & _stems(m.name)
        return 2 * len(named) + len(wanted & _stems(m.description) - named)

    found = [m for m in mitigation_library() if threat in m.threats]
    return sorted(found, key=lambda m: -shared(m))
