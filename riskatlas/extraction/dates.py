"""Dates in report text, with their precision: day, month, year or decade."""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_MONTH2 = _MONTH.replace("month", "month2")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = _DAY.replace("day", "day2")
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_PATTERNS = [
    ("day", re.compile(r"\b(?P<year>1[89]\d\d|20\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    ("day", re.compile(r"\b" + _DAY + r"(?:\s+of)?\s+" + _MONTH + r",?\s+" + _YEAR + r"\b", re.I)),
    ("day", re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b", re.I)),
    ("month", re.compile(r"\b" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR + r"\b", re.I)),
    ("decade", re.compile(r"\b(?P<year>1[89]\d0|20\d0)['’]?s\b")),
    ("year", re.compile(r"\b" + _YEAR + r"\b")),
]


@dataclass(frozen=True)
class DateMention:
    text: str
    start: int
    end: int
    value: str  # ISO 8601: 2003-06-09, 2003-06, 2003, 1980s
    precision: str  # day | month | year | decade

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "date": self.value,
            "precision": self.precision,
        }


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Dates in ``text[start:end]``, most precise reading first where readings overlap."""
    end = len(text) if end is None else end
    found: list[DateMention] = []
    taken = bytearray(end - start)  # characters already read as part of a date
    for precision, pattern in _PATTERNS:
        for match in pattern.finditer(text, start, end):
            if any(taken[match.start() - start : match.end() - start]):
                continue
            value = _value(match, precision)
            if value is None:
                continue
            found.append(DateMention(match.group(), match.start(), match.end(), value, precision))
            taken[match.start() - start : match.end() - start] = b"\x01" * (
                match.end() - match.start()
            )
    return sorted(found, key=lambda d: d.start)


def _value(match: re.Match[str], precision: str) -> str | None:
    year = int(match.group("year"))
    if precision in ("year", "decade"):
        return f"{year}s" if precision == "decade" else str(year)
    raw_month = match.group("month").lower().rstrip(".")
    month = int(raw_month) if raw_month.isdigit() else MONTHS[raw_month]
    if precision == "month":
        if raw_month == "may" and not match.group().split()[0].istitle():
            return None  # "may 2011" in lower case is the verb
        return f"{year:04d}-{month:02d}"
    day = int(match.group("day"))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
