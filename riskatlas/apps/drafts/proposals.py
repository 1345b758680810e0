"""Which parts of an extraction draft are worth an analyst's review, as plain rows.

Pure Python on the engine's dict (no Django): one row per sentence with threat categories
that states a threat,
per distinct place below country level, per named actor (or unnamed one with a strength
figure), per incident, trend, likelihood, recommendation and credibility cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Proposal:
    kind: str
    payload: dict[str, Any]
    start: int
    end: int
    quote: str


def sentence_at(draft: dict[str, Any], offset: int) -> dict[str, Any] | None:
    """The draft's sentence that contains ``offset``."""
    for sentence in draft["sentences"]:
        if sentence["start"] <= offset < sentence["end"]:
            return sentence
    return None


def _quote(draft: dict[str, Any], text: str, start: int, end: int) -> str:
    sentence = sentence_at(draft, start)
    if sentence is not None:
        return text[sentence["start"] : sentence["end"]]
    return text[start:end]


#: A threat sentence needs this many words outside link targets to be worth a review: a
#: heading ("Terrorism") or a link line ("[Next: Health](…)") is not evidence.
MIN_SENTENCE_WORDS = 4
_WORD = re.compile(r"[^\W\d_]{2,}")


def worth_reviewing(sentence: str) -> bool:
    from riskatlas.extraction.paragraphs import mask_links

    return len(_WORD.findall(mask_links(sentence))) >= MIN_SENTENCE_WORDS


def proposals(draft: dict[str, Any], text: str) -> list[Proposal]:
    """The rows to store for review, in text order within each kind."""
    rows: list[Proposal] = []
    for sentence in draft["sentences"]:
        # Advice, references, headings and context sentences carry categories but state no
        # threat (extraction/threats.py); a draft from an older engine says nothing: kept.
        states_threat = sentence.get("statement", "threat") == "threat"
        if sentence["categories"] and states_threat and worth_reviewing(sentence["text"]):
            s, e = sentence["start"], sentence["end"]
            rows.append(Proposal("category", sentence, s, e, text[s:e]))

    seen: dict[tuple[str, str], int] = {}
    for place in draft["places"]:
        if place.get("kind") == "country":
            continue  # the assessment's own area, or a country named in passing
        key = (place["name"], place.get("iso_3166") or "")
        if key in seen:
            continue
        seen[key] = len(rows)
        quote = _quote(draft, text, place["start"], place["end"])
        rows.append(Proposal("place", place, place["start"], place["end"], quote))

    for actor in draft["actors"]:
        if actor.get("generic") and not actor.get("figures"):
            continue
        figure = next((f for f in actor.get("figures", []) if f["kind"] == "strength"), None)
        first = actor["mentions"][0]
        quote = _quote(draft, text, figure["start"] if figure else first["start"], first["end"])
        rows.append(Proposal("actor", actor, first["start"], first["end"], quote))

    advice = draft.get("official_advice") or {}
    for statement in advice.get("statements", []):
        payload = {**statement, "government": advice.get("government")}
        quote = _quote(draft, text, statement["start"], statement["end"])
        rows.append(Proposal("advice", payload, statement["start"], statement["end"], quote))

    for incident in draft["incidents"]:
        rows.append(
            Proposal("incident", incident, incident["start"], incident["end"], incident["text"])
        )
    for kind, part in (
        ("trend", "trends"),
        ("likelihood", "likelihood"),
        ("credibility", "credibility"),
    ):
        for cue in draft[part]:
            sentence = cue["sentence"]
            quote = text[sentence["start"] : sentence["end"]]
            rows.append(Proposal(kind, cue, cue["start"], cue["end"], quote))
    for advice in draft["recommendations"]:
        rows.append(
            Proposal("recommendation", advice, advice["start"], advice["end"], advice["text"])
        )
    return rows


def categories_of(kind: str, payload: dict[str, Any]) -> list[str]:
    """The threat category codes an item bears on."""
    if kind == "category":
        return [c["code"] for c in payload.get("categories", [])]
    return list(payload.get("categories", []))
