"""Whose is each statement: a cited source with a verbatim quote, or a named judgement.

A source of kind ``analyst`` is a judgement, not a text: it names who made it (``author``) and
when (``date``), and each evidence item citing it says why (``note``) and quotes nothing.
Every other source is a text (or a mission, a data set) that evidence quotes verbatim.

``check_judgements`` is part of every validation (a judgement without who, when or why is an
error). ``check_quotes`` needs the cited documents' texts, which only the caller can supply
(``riskatlas validate --source-text ID=FILE``): it refuses a quote the text does not contain,
whitespace aside. ``unattributed`` lists what has no provenance at all: a risk rating with no
judgement behind it, a recommendation, a hand-set area level or no-go area, or a place's
coordinates with no evidence (``riskatlas validate --provenance``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from riskatlas.document.problems import Problem
from riskatlas.document.yaml_lines import Path

JUDGEMENT_KIND = "analyst"

# Every section whose items carry an ``evidence`` list.
EVIDENCE_HOLDERS = (
    "areas",
    "places",
    "context",
    "actors",
    "incidents",
    "threats",
    "risks",
    "recommendations",
    "watch_items",
)

_SPACE = re.compile(r"\s+")


def normalise_space(text: str) -> str:
    """``text`` with every run of whitespace (line breaks included) made one space."""
    return _SPACE.sub(" ", text).strip()


def list_or_empty(value: Any) -> list[Any]:
    """``value`` if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def section_items(doc: Mapping[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The position and item of each mapping in the document's list ``key`` (others skipped:
    their shape is the schema check's to name)."""
    for i, item in enumerate(list_or_empty(doc.get(key))):
        if isinstance(item, dict):
            yield i, item


def evidence_items(doc: Mapping[str, Any]) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every evidence item of the document with its path (``("risks", 3, "evidence", 0)``)."""
    for key in EVIDENCE_HOLDERS:
        for i, item in section_items(doc, key):
            for j, ev in enumerate(list_or_empty(item.get("evidence"))):
                if isinstance(ev, dict):
                    yield (key, i, "evidence", j), ev


def judgement_sources(doc: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The document's judgement sources (kind ``analyst``), by id."""
    return {
        s["id"]: s
        for _, s in section_items(doc, "sources")
        if s.get("kind") == JUDGEMENT_KIND and isinstance(s.get("id"), str)
    }


def is_judgement(doc: Mapping[str, Any], evidence: Mapping[str, Any]) -> bool:
    return evidence.get("source") in judgement_sources(doc)


def check_judgements(doc: Mapping[str, Any]) -> Iterator[Problem]:
    """A judgement names who and when (its source) and why (each evidence item's note), and
    never passes for a quote."""
    for i, source in section_items(doc, "sources"):
        if source.get("kind") != JUDGEMENT_KIND:
            continue
        if not source.get("author"):
            yield Problem(
                ("sources", i), "a judgement (kind analyst) must name who made it: add author"
            )
        if not source.get("date"):
            yield Problem(("sources", i), "a judgement (kind analyst) must say when: add date")
    judgements = judgement_sources(doc)
    for path, ev in evidence_items(doc):
        if ev.get("source") not in judgements:
            continue
        if ev.get("quote"):
            yield Problem(
                (*path, "quote"),
                f"{ev['source']!r} is a judgement, not a text: say why in note, quote nothing "
                "(a quote is cited to the source it comes from)",
            )
        if not ev.get("note"):
            yield Problem(path, f"a judgement ({ev['source']!r}) must say why: add note")


def check_quotes(doc: Mapping[str, Any], texts: Mapping[str, str]) -> list[Problem]:
    """Every quote cited to a source whose text is in ``texts`` (by source id) is in that text,
    whitespace aside; the problems name the quote and where it is cited."""
    problems: list[Problem] = []
    known = {s.get("id") for _, s in section_items(doc, "sources")}
    normalised = {sid: normalise_space(text) for sid, text in texts.items()}
    for sid in texts:
        if sid not in known:
            problems.append(Problem(("sources",), f"no source {sid!r} to check quotes against"))
    for path, ev in evidence_items(doc):
        source, quote = ev.get("source"), ev.get("quote")
        if (
            source in normalised
            and isinstance(quote, str)
            and normalise_space(quote) not in normalised[source]
        ):
            shown = quote if len(quote) <= 80 else quote[:77] + "..."
            problems.append(
                Problem(
                    (*path, "quote"),
                    f"not in the text of source {source!r} (whitespace aside): {shown!r}",
                )
            )
    return problems


def _has_judgement(doc: Mapping[str, Any], item: Mapping[str, Any]) -> bool:
    evidence = list_or_empty(item.get("evidence"))
    return any(isinstance(ev, dict) and is_judgement(doc, ev) for ev in evidence)


def unattributed(doc: Mapping[str, Any]) -> list[Problem]:
    """What the document states without saying whose it is."""
    problems: list[Problem] = []
    for i, risk in section_items(doc, "risks"):
        if not _has_judgement(doc, risk):
            problems.append(
                Problem(
                    ("risks", i, "evidence"),
                    "the ratings are a judgement: cite who made them (an analyst source, with "
                    "why in note)",
                )
            )
    for i, rec in section_items(doc, "recommendations"):
        if not list_or_empty(rec.get("evidence")):
            problems.append(
                Problem(
                    ("recommendations", i, "evidence"),
                    "say whose the recommendation is: a quote of the source that makes it, or "
                    "a judgement",
                )
            )
    for i, area in section_items(doc, "areas"):
        if "level" in area and not _has_judgement(doc, area):
            problems.append(
                Problem(
                    ("areas", i, "evidence"),
                    "a level set by hand is a judgement: cite who set it (an analyst source)",
                )
            )
        elif area.get("no_go") and not list_or_empty(area.get("evidence")):
            problems.append(
                Problem(("areas", i, "evidence"), "say whose decision the no-go area is")
            )
    for i, place in section_items(doc, "places"):
        if ("lat" in place or "lon" in place) and not list_or_empty(place.get("evidence")):
            problems.append(
                Problem(("places", i, "evidence"), "say where the coordinates come from")
            )
    return problems
