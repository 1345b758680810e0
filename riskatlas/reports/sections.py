"""The sections of the assessment report, in the order PRODUCT.md gives them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    number: int
    anchor: str
    title: str

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}"


SECTIONS: tuple[Section, ...] = (
    Section(1, "about", "About this assessment"),
    Section(2, "summary", "Executive summary"),
    Section(3, "method", "Method"),
    Section(4, "context", "Context"),
    Section(5, "actors", "Actors"),
    Section(6, "threats", "Threats by category"),
    Section(7, "hot-spots", "Hot spots and no-go areas"),
    Section(8, "exposure", "Exposure"),
    Section(9, "register", "Risk register"),
    Section(10, "mitigation", "Mitigation"),
    Section(11, "levels", "Security levels and triggers"),
    Section(12, "official-advice", "Comparison with official advice"),
    Section(13, "annexes", "Annexes"),
)

ANNEXES: tuple[tuple[str, str, str], ...] = (
    ("A", "incident-log", "Incident log"),
    ("B", "sources", "Graded sources"),
    ("C", "glossary", "Glossary"),
)
