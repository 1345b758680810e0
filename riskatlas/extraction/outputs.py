"""What ``riskatlas extract`` writes, as plain calls: one document's draft, and a JSON Lines
batch (lines ``{"id", "text"}`` in, lines ``{"id", ...draft}`` out).

The command line (``riskatlas/commands/extract.py``) only parses arguments, shows progress and
writes; bad batch lines come back here as ``(field, reason)`` for it to report.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskatlas.extraction.engine import extract
from riskatlas.extraction.subdivisions import country_code

# Formats whose text is extracted from the file (not the file itself): the draft carries that
# text, since its offsets index it.
EXTRACTED_TEXT = frozenset({"html", "htm", "pdf", "docx"})


def source_format(path: str | Path) -> str:
    """The format named by a report file's extension (``text`` without one)."""
    return Path(path).suffix.lower().lstrip(".") or "text"


def document_draft(
    text: str,
    source: str,
    fmt: str = "text",
    *,
    use_model: bool = True,
    country: str | None = None,
) -> dict[str, Any]:
    """The draft of one report as ``riskatlas extract`` prints it: where it came from, the
    engine's draft, and (for .html, .htm, .pdf and .docx) the extracted text its offsets index.
    ``country``: the country the report is about (its subdivisions are coded in threat
    sentences, ``engine.extract``)."""
    document: dict[str, Any] = {
        "source": {"path": source, "format": fmt},
        **extract(text, use_model=use_model, country=country),
    }
    if fmt in EXTRACTED_TEXT:
        document["text"] = text
    return document


def parse_line(line: str) -> tuple[Any, tuple[str, str] | None]:
    """A batch line's record, and ``(field, reason)`` when it is not ``{"id", "text": str}``
    with, optionally, ``"country"``: an ISO 3166-1 alpha-2 code."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return None, ("(line)", f"not JSON: {error.msg} at column {error.colno}")
    if not isinstance(record, dict):
        return record, ("(line)", "expected an object with id and text")
    if "id" not in record:
        return record, ("id", "missing")
    if not isinstance(record.get("text"), str):
        return record, ("text", "missing or not a string")
    country = record.get("country")
    if country is not None:
        try:
            country_code(country if isinstance(country, str) else "")
        except ValueError:
            return record, ("country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
    return record, None


@dataclass(frozen=True)
class BatchLine:
    """One non-blank input line and its output line: ``{"id", ...draft}``, or for a bad line
    ``{"id", "line", "error"}`` with ``problem`` = ``(field, reason)``."""

    number: int
    output: dict[str, Any]
    problem: tuple[str, str] | None = None


def extract_lines(
    lines: Iterable[str], *, use_model: bool = True, country: str | None = None
) -> Iterator[BatchLine]:
    """Extract every non-blank line of a JSON Lines batch, in order (numbers count from 1 and
    include blank lines, as an editor does); a line's ``country`` comes before ``country``."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record, problem = parse_line(line)
        if problem:
            field, reason = problem
            bad_id = record.get("id") if isinstance(record, dict) else None
            output = {"id": bad_id, "line": number, "error": f"{field}: {reason}"}
            yield BatchLine(number, output, problem)
            continue
        draft = extract(
            record["text"], use_model=use_model, country=record.get("country") or country
        )
        yield BatchLine(number, {"id": record["id"], **draft})
