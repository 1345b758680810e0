"""The threat taxonomy: stable category codes, names and the US advisory letters."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from riskatlas.method._data import load_data


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    description: str
    includes: tuple[str, ...] = ()
    us_letters: tuple[str, ...] = ()


@dataclass(frozen=True)
class Taxonomy:
    id: str
    version: int
    categories: tuple[Category, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.categories)

    def get(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(f"unknown threat category {code!r}; known: {', '.join(self.codes)}")

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def name(self, code: str) -> str:
        return self.get(code).name

    def for_us_letter(self, letter: str) -> Category | None:
        """The category that a US State Department indicator letter (C, T, K…) belongs to."""
        for category in self.categories:
            if letter.upper() in category.us_letters:
                return category
        return None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Taxonomy:
        return cls(
            id=data["id"],
            version=int(data["version"]),
            categories=tuple(
                Category(
                    code=c["code"],
                    name=c["name"],
                    description=c.get("description", ""),
                    includes=tuple(c.get("includes") or ()),
                    us_letters=tuple(c.get("us_letters") or ()),
                )
                for c in data["categories"]
            ),
        )


@cache
def default_taxonomy() -> Taxonomy:
    return Taxonomy.from_dict(load_data("taxonomy.yaml"))
