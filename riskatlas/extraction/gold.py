"""Scoring a draft against hand-made gold annotations (``tests/gold/*.yaml``), field by field."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from riskatlas.extraction.gazetteer import plain


@dataclass
class FieldScore:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "tp": self.true_positive,
            "fp": self.false_positive,
            "fn": self.false_negative,
        }


# Scores one field of a draft against the gold annotations.
Scorer = Callable[[dict[str, Any], dict[str, Any]], FieldScore]


def _count(found: set[Any], wanted: set[Any]) -> FieldScore:
    return FieldScore(len(found & wanted), len(found - wanted), len(wanted - found))


def _surface(text: str) -> str:
    text = text.strip()
    for prefix in ("the ", "The "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return plain(text)


def _matching_start(text: str, starts: list[str]) -> str | None:
    """The gold annotation's opening words that ``text`` starts with, if any."""
    return next((s for s in starts if text.startswith(s)), None)


def _actor_names(actor: dict[str, Any]) -> set[str]:
    return {plain(actor["name"]), *(plain(a) for a in actor["aliases"])}


def _found_actors(
    draft: dict[str, Any], gold: dict[str, Any]
) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """Each gold actor with each draft actor known by its name (as name or alias)."""
    for g in gold["actors"]:
        for actor in draft["actors"]:
            if plain(g["name"]) in _actor_names(actor):
                yield g, actor


def score_categories(draft: dict[str, Any], gold: dict[str, Any]) -> FieldScore:
    """Categories per sentence; a sentence is matched by the gold's opening words."""
    starts = [s["starts"] for s in gold["sentences"]]
    wanted = {(s["starts"], code) for s in gold["sentences"] for code in s["categories"]}
    found = set()
    for sentence in draft["sentences"]:
        key = _matching_start(sentence["text"], starts) or sentence["text"]
        found |= {(key, c["code"]) for c in sentence["categories"]}
    return _count(found, wanted)


def score_places(draft: dict[str, Any], gold: dict[str, Any]) -> FieldScore:
    """Places by their words, each counted once; right only with the gold's ISO code."""
    gold_places = {_surface(p["text"]): p.get("iso") for p in gold["places"]}
    place_hits = FieldScore()
    seen = set()
    for place in draft["places"]:
        surface = _surface(place["text"])
        if surface in seen:
            continue
        seen.add(surface)
        if surface in gold_places and gold_places[surface] == place["iso_3166"]:
            place_hits.true_positive += 1
        else:
            place_hits.false_positive += 1
    place_hits.false_negative = len(set(gold_places) - {s for s in seen if s in gold_places})
    return place_hits


def score_actors(draft: dict[str, Any], gold: dict[str, Any]) -> FieldScore:
    """Actors found under the gold name, whether as their name or one of their aliases."""
    actor_hits = FieldScore()
    matched = set()
    for actor in draft["actors"]:
        names = _actor_names(actor)
        hit = next((g["name"] for g in gold["actors"] if plain(g["name"]) in names), None)
        if hit:
            matched.add(hit)
            actor_hits.true_positive += 1
        else:
            actor_hits.false_positive += 1
    actor_hits.false_negative = len({g["name"] for g in gold["actors"]} - matched)
    return actor_hits


def score_aliases(draft: dict[str, Any], gold: dict[str, Any]) -> FieldScore:
    """The gold actors' aliases found on the matching draft actors (recall only)."""
    wanted = {(g["name"], a) for g in gold["actors"] for a in g.get("aliases", [])}
    found = {
        (g["name"], alias) for g, actor in _found_actors(draft, gold) for alias in actor["aliases"]
    }
    return FieldScore(len(found & wanted), 0, len(wanted - found))


def score_strength(draft: dict[str, Any], gold: dict[str, Any]) -> FieldScore:
    """The strength figures read for the gold actors."""
    wanted = {(g["name"], g["strength"]) for g in gold["actors"] if "strength" in g}
    found = {
        (g["name"], f["value"])
        for g, actor in _found_actors(draft, gold)
        for f in actor["figures"]
        if f["kind"] == "strength"
    }
    return _count(found, wanted)


def score_incidents(draft: dict[str, Any], gold: dict[str, Any]) -> FieldScore:
    """Incidents by their opening words, date and the date's precision."""
    starts = [i["starts"] for i in gold["incidents"]]
    return _count(
        {
            (_matching_start(i["text"], starts) or i["text"], i["when"]["date"],
             i["when"]["precision"])
            for i in draft["incidents"]
        },
        {(i["starts"], i["date"], i["precision"]) for i in gold["incidents"]},
    )  # fmt: skip


def score_recommendations(draft: dict[str, Any], gold: dict[str, Any]) -> FieldScore:
    """Recommendations by their opening words and kind."""
    starts = [r["starts"] for r in gold["recommendations"]]
    return _count(
        {(_matching_start(r["text"], starts) or r["text"], r["kind"])
         for r in draft["recommendations"]},
        {(r["starts"], r["kind"]) for r in gold["recommendations"]},
    )  # fmt: skip


def _score_statements(field: str, value_key: str) -> Scorer:
    """A scorer of statements (trends, likelihood, credibility) by their words and value."""

    def score(draft: dict[str, Any], gold: dict[str, Any]) -> FieldScore:
        return _count(
            {(plain(item["text"]), item[value_key]) for item in draft[field]},
            {(plain(item["text"]), item[value_key]) for item in gold[field]},
        )

    return score


# The fields scored, in the order they are reported.
FIELD_SCORERS: tuple[tuple[str, Scorer], ...] = (
    ("categories", score_categories),
    ("places", score_places),
    ("actors", score_actors),
    ("aliases", score_aliases),
    ("strength", score_strength),
    ("incidents", score_incidents),
    ("recommendations", score_recommendations),
    ("trends", _score_statements("trends", "trend")),
    ("likelihood", _score_statements("likelihood", "likelihood")),
    ("credibility", _score_statements("credibility", "credibility")),
)


def score_draft(draft: dict[str, Any], gold: dict[str, Any]) -> dict[str, FieldScore]:
    """Precision, recall and F1 of each field of ``draft`` against ``gold``."""
    return {field: score(draft, gold) for field, score in FIELD_SCORERS}
