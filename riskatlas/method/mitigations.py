"""The default mitigation library (data file), searchable by text and threat category."""

from __future__ import annotations

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
