"""Admiralty (NATO) source grading: reliability A–F, credibility 1–6."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from riskatlas.method._data import load_data

_GRADE = re.compile(r"^\s*([A-Fa-f])\s*[-/]?\s*([1-6])\s*$")


@dataclass(frozen=True)
class Grade:
    reliability: str
    credibility: int

    def __str__(self) -> str:
        return f"{self.reliability}{self.credibility}"

    @property
    def reliability_name(self) -> str:
        return reliability_names()[self.reliability]

    @property
    def credibility_name(self) -> str:
        return credibility_names()[self.credibility]

    def describe(self) -> str:
        return f"{self}: {self.reliability_name.lower()} source, {self.credibility_name.lower()}"


@cache
def reliability_names() -> dict[str, str]:
    return {r["code"]: r["name"] for r in load_data("admiralty.yaml")["reliability"]}


@cache
def credibility_names() -> dict[int, str]:
    return {int(c["code"]): c["name"] for c in load_data("admiralty.yaml")["credibility"]}


def parse_grade(text: str) -> Grade:
    """Parse "B2", "b-2" or "B/2" into a Grade; raise ValueError with the reason otherwise."""
    match = _GRADE.match(str(text))
    if not match:
        raise ValueError(
            f"{text!r} is not an Admiralty grade: expected a reliability letter A–F and a "
            "credibility digit 1–6, such as B2"
        )
    return Grade(match.group(1).upper(), int(match.group(2)))
