"""Scoring a draft against hand-made gold annotations (``tests/gold/*.yaml``), field by field."""

from __future__ import annotations

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


def score_draft(draft: dict[str, Any], gold: dict[str, Any]) -> dict[str, FieldScore]:
    """Precision, recall and F1 of each field of ``draft`` against ``gold``."""
    scores: dict[str, FieldScore] = {}

    def sentence_key(text: str, starts: list[str]) -> str | None:
        return next((s for s in starts if text.startswith(s)), None)

    starts = [s["starts"] for s in gold["sentences"]]
    wanted = {(s["starts"], code) for s in gold["sentences"] for code in s["categories"]}
    found = set()
    for sentence in draft["sentences"]:
        key = sentence_key(sentence["text"], starts) or sentence["text"]
        found |= {(key, c["code"]) for c in sentence["categories"]}
    scores["categories"] = _count(found, wanted)

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
    scores["places"] = place_hits

    def names(actor: dict[str, Any]) -> set[str]:
        return {plain(actor["name"]), *(plain(a) for a in actor["aliases"])}

    actor_hits = FieldScore()
    matched = set()
    for actor in draft["actors"]:
        hit = next((g["name"] for g in gold["actors"] if plain(g["name"]) in names(actor)), None)
        if hit:
            matched.add(hit)
            actor_hits.true_positive += 1
        else:
            actor_hits.false_positive += 1
    actor_hits.false_negative = len({g["name"] for g in gold["actors"]} - matched)
    scores["actors"] = actor_hits

    aliases_wanted = {(g["name"], a) for g in gold["actors"] for a in g.get("aliases", [])}
    aliases_found = {
        (g["name"], alias)
        for g in gold["actors"]
        for actor in draft["actors"]
        if plain(g["name"]) in names(actor)
        for alias in actor["aliases"]
    }
    scores["aliases"] = FieldScore(
        len(aliases_found & aliases_wanted), 0, len(aliases_wanted - aliases_found)
    )
    strength_wanted = {(g["name"], g["strength"]) for g in gold["actors"] if "strength" in g}
    strength_found = {
        (g["name"], f["value"])
        for g in gold["actors"]
        for actor in draft["actors"]
        if plain(g["name"]) in names(actor)
        for f in actor["figures"]
        if f["kind"] == "strength"
    }
    scores["strength"] = _count(strength_found, strength_wanted)

    incident_starts = [i["starts"] for i in gold["incidents"]]
    scores["incidents"] = _count(
        {
            (sentence_key(i["text"], incident_starts) or i["text"], i["when"]["date"],
             i["when"]["precision"])
            for i in draft["incidents"]
        },
        {(i["starts"], i["date"], i["precision"]) for i in gold["incidents"]},
    )  # fmt: skip

    advice_starts = [r["starts"] for r in gold["recommendations"]]
    scores["recommendations"] = _count(
        {(sentence_key(r["text"], advice_starts) or r["text"], r["kind"])
         for r in draft["recommendations"]},
        {(r["starts"], r["kind"]) for r in gold["recommendations"]},
    )  # fmt: skip

    for field, value_key in (
        ("trends", "trend"),
        ("likelihood", "likelihood"),
        ("credibility", "credibility"),
    ):
        scores[field] = _count(
            {(plain(item["text"]), item[value_key]) for item in draft[field]},
            {(plain(item["text"]), item[value_key]) for item in gold[field]},
        )
    return scores
