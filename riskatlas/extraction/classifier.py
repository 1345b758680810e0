"""Paragraph categories from the lexicon and a small linear model over words, the lexicon's
cues and the paragraphs around one (``data/paragraph_model.json``, trained by
``python -m riskatlas.extraction.train``).

Each category has its own logistic regression (one against the rest). A paragraph's features
are its words and word pairs, the lexicon's summed cue weight per category, and the lexicon's
weights of the paragraph before and after it; headings are never among them. Inference is
plain Python: a dictionary look-up per feature.

The two are combined: a paragraph keeps the lexicon's categories (``paragraphs.py``), gains
those the model gives at least ``THRESHOLD``, and loses a lexicon category the model gives
less than ``VETO`` when the model saw at least ``VETO_SUPPORT`` paragraphs of it in training
and the paragraph's own cues for it weigh less than ``VETO_KEEPS``. So a category the model
knows little about is left to the lexicon, and so is one the paragraph names outright
("Ayahuasca … psychedelic rituals of spiritual cleansing" stays health, whatever headings
the model learned from).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from riskatlas.extraction.categories import CategoryScore, category_cues
from riskatlas.extraction.lexicon import data_text
from riskatlas.extraction.paragraphs import mask_links, paragraph_categories, weigh

MODEL_FILE = "paragraph_model.json"
#: The model adds a category when its probability reaches this.
THRESHOLD = 0.5
#: The model removes a lexicon category when its probability is below this...
VETO = 0.1
#: ...and it was trained on at least this many paragraphs of that category, unless the
#: paragraph's own cues for it weigh at least this much (a category it names outright).
VETO_SUPPORT = 30
VETO_KEEPS = 3.0
#: A category that is not among a paragraph's main ones but one of whose cues of at least this
#: weight (the lexicon's full weight: "kidnapping", "sexual assault", "romance scams") is in the
#: paragraph's own words is "also named" (``also_named``): a reader labels everything a
#: paragraph names, a heading files it under its main topic, and the two measures disagree on
#: exactly these.
NAMED = 1.0
#: The lexicon weight that counts as "full" for the lexicon features (weights are capped).
LEXICON_CAP = 3.0

_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)*")


def words(text: str) -> list[str]:
    """Lower-case words of ``text`` (link targets left out), ``'s`` and plural ``s`` cut."""
    found = []
    for word in _WORD.findall(mask_links(text).lower()):
        word = word.replace("’", "'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if len(word) > 1:
            found.append(word)
    return found


def word_features(text: str) -> set[str]:
    """The word and word-pair features of one paragraph."""
    tokens = words(text)
    features = {f"w:{w}" for w in tokens}
    features.update(f"b:{a}_{b}" for a, b in pairwise(tokens))
    return features


def page_features(
    texts: list[str], weights: list[dict[str, float]] | None = None
) -> list[dict[str, float]]:
    """The feature vector of each paragraph of a page, read in order (no headings).
    ``weights`` are the lexicon's weights of each paragraph when already known."""
    if weights is None:
        weights = [weigh(t) for t in texts]
    vectors = []
    for i, text in enumerate(texts):
        vector = dict.fromkeys(word_features(text), 1.0)
        vector["bias"] = 1.0
        for code, weight in weights[i].items():
            vector[f"lex:{code}"] = min(weight, LEXICON_CAP) / LEXICON_CAP
        top = _top(weights[i])
        if top:
            vector[f"top:{top}"] = 1.0
        if i > 0:  # the paragraph before: reports keep to a topic for a while
            for code, weight in weights[i - 1].items():
                vector[f"prev_lex:{code}"] = min(weight, LEXICON_CAP) / LEXICON_CAP
            before = _top(weights[i - 1])
            if before:
                vector[f"prev:{before}"] = 1.0
                if before == top:
                    vector[f"same:{before}"] = 1.0
        vectors.append(vector)
    return vectors


def _top(weights: dict[str, float]) -> str | None:
    if not weights:
        return None
    code, weight = max(weights.items(), key=lambda kv: (kv[1], kv[0]))
    return code if weight >= 0.5 else None


@dataclass(frozen=True)
class ParagraphModel:
    """Per category: feature weights (the bias is the feature ``bias``)."""

    weights: dict[str, dict[str, float]]
    #: training paragraphs per category
    support: dict[str, int]
    threshold: float = THRESHOLD

    def probabilities(self, vector: dict[str, float]) -> dict[str, float]:
        result = {}
        for code, table in self.weights.items():
            z = sum(table.get(name, 0.0) * value for name, value in vector.items())
            result[code] = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
        return result

    def classify_page(self, texts: list[str]) -> list[list[CategoryScore]]:
        """The categories of each paragraph of a page, best first: the lexicon's, with the
        model's additions and vetoes. The score is the model's probability, or the lexicon's
        share of the weight for a category the model does not know."""
        result = []
        weights = [weigh(t) for t in texts]
        lexicon = paragraph_categories(texts, weights)
        vectors = page_features(texts, weights)
        for vector, found, own in zip(vectors, lexicon, weights, strict=True):
            probabilities = self.probabilities(vector)
            scores = {s.code: s.score for s in found}
            for code, p in probabilities.items():
                vetoed = (
                    p < VETO
                    and self.support.get(code, 0) >= VETO_SUPPORT
                    and own.get(code, 0.0) < VETO_KEEPS
                )
                if p >= self.threshold or (code in scores and not vetoed):
                    scores[code] = round(p, 3)
                elif code in scores:
                    del scores[code]
            kept = [CategoryScore(code, score) for code, score in scores.items()]
            kept.sort(key=lambda c: (-c.score, c.code))
            result.append(kept)
        return result

    def classify_page_named(
        self, texts: list[str]
    ) -> tuple[list[list[CategoryScore]], list[list[CategoryScore]]]:
        """The main categories of each paragraph (``classify_page``) and those it also names."""
        main = self.classify_page(texts)
        return main, also_named(texts, main)

    def as_json(self, meta: dict[str, object]) -> str:
        tables = {code: dict(sorted(table.items())) for code, table in sorted(self.weights.items())}
        return json.dumps(
            {
                "meta": meta,
                "threshold": self.threshold,
                "support": dict(sorted(self.support.items())),
                "weights": tables,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )


def from_json(text: str) -> ParagraphModel:
    data = json.loads(text)
    return ParagraphModel(
        {code: dict(table) for code, table in data["weights"].items()},
        {code: int(n) for code, n in data["support"].items()},
        float(data["threshold"]),
    )


@cache
def shipped_model() -> ParagraphModel | None:
    """The model in ``data/paragraph_model.json``, or None when it has not been trained."""
    try:
        return from_json(data_text(MODEL_FILE))
    except FileNotFoundError:
        return None


def also_named(
    texts: list[str],
    main: list[list[CategoryScore]],
    weights: list[dict[str, float]] | None = None,
) -> list[list[CategoryScore]]:
    """Per paragraph, the categories its own words name outright (a cue weighing at least
    ``NAMED``; the paragraphs around it do not count, nor do weaker cues however many) that are
    not among its ``main`` ones; scored by their share of the paragraph's own cue weight, best
    first."""
    if weights is None:
        weights = [weigh(t) for t in texts]
    result = []
    for text, found, own in zip(texts, main, weights, strict=True):
        codes = {c.code for c in found}
        total = sum(own.values())
        strongest = strongest_cues(text)
        named = [
            CategoryScore(code, round(weight / total, 3))
            for code, weight in own.items()
            if strongest.get(code, 0.0) >= NAMED and code not in codes
        ]
        named.sort(key=lambda c: (-c.score, c.code))
        result.append(named)
    return result


def page_categories(texts: list[str]) -> list[list[CategoryScore]]:
    """The engine's categories of a page's paragraphs: lexicon and model combined, or the
    lexicon alone when no model has been trained."""
    model = shipped_model()
    return model.classify_page(texts) if model else paragraph_categories(texts)


def page_categories_named(
    texts: list[str],
) -> tuple[list[list[CategoryScore]], list[list[CategoryScore]]]:
    """The main categories of a page's paragraphs (``page_categories``) and, for each, the
    categories it also names outright."""
    main = page_categories(texts)
    return main, also_named(texts, main)


def strongest_cues(text: str) -> dict[str, float]:
    """Per category, the weight of its strongest cue in ``text`` (link targets left out)."""
    strongest: dict[str, float] = {}
    for _, _, code, weight in category_cues(mask_links(text)):
        strongest[code] = max(strongest.get(code, 0.0), weight)
    return strongest
