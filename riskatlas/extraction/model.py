"""Optional: what an installed spaCy English pipeline adds to the lexicon engine.

Two things the lexicons cannot do and the pipeline's named entities can, kept narrow because
the small pipeline's entities are noisy (on the seed it calls "ATM", "State", "Handahuaylas"
and "the Ayacucho Department" organisations):

- places no gazetteer holds ("Toccate", a hamlet): a ``GPE`` entity that is the object of a
  locative preposition ("near Toccate"; ``places.yaml`` ``locative_prepositions``), is not a
  gazetteer name (those the place rules kept or dropped on purpose), not a demonym, threat
  cue or ``not_places`` word, and covers no place or actor already found, becomes a place
  with no ISO 3166 code (``kind: "named place"``, ``match: "model"``) for the analyst to
  locate;
- named groups the lexicon's patterns missed: an ``ORG`` entity that names a group (one of
  ``actors.yaml``'s group words, e.g. "Revolutionary Armed Front") and covers no place or
  actor already found.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from riskatlas.extraction.actors import Actor
from riskatlas.extraction.lexicon import load_lexicon

#: Entities shorter than this (after trimming "the") are not trusted.
MIN_LETTERS = 3
_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")


@cache
def pipeline(name: str) -> Any:
    """The installed pipeline ``name``, loaded once per process (about 1 s)."""
    import spacy

    return spacy.load(name, disable=["lemmatizer"])


@cache
def _not_places() -> frozenset[str]:
    return frozenset(str(w).casefold() for w in load_lexicon("not_places.yaml")["words"])


@cache
def _locative() -> frozenset[str]:
    return frozenset(str(w) for w in load_lexicon("places.yaml")["locative_prepositions"])


def _unknown_place(entity: Any, surface: str) -> bool:
    """A GPE entity worth proposing as a place the gazetteer does not know."""
    from riskatlas.extraction.gazetteer import gazetteer
    from riskatlas.extraction.places import is_demonym_or_cue

    root = entity.root
    return (
        root.dep_ == "pobj"
        and root.head.lower_ in _locative()
        and not surface.isupper()
        and not any(w.casefold() in _not_places() for w in surface.split())
        and not gazetteer().lookup(surface)
        and not is_demonym_or_cue(surface)
    )


@cache
def _group_words() -> dict[str, str]:
    return {
        str(k).casefold(): str(v) for k, v in load_lexicon("actors.yaml")["group_words"].items()
    }


#: The pipeline reads the text in pieces of whole sentences up to about this many characters,
#: so that a long report neither hits spaCy's length limit nor holds one huge parse in memory.
CHUNK = 20_000


def _chunks(text: str, limit: int) -> list[tuple[int, int]]:
    """Pieces of whole sentences of up to ``CHUNK`` characters; a sentence longer than
    ``limit`` (spaCy's ``max_length``: text without full stops) is cut into plain slices."""
    from riskatlas.extraction.sentences import split_sentences

    size = min(CHUNK, limit)
    spans: list[tuple[int, int]] = []
    for sentence in split_sentences(text):
        if spans and sentence.end - spans[-1][0] <= size:
            spans[-1] = (spans[-1][0], sentence.end)
            continue
        for start in range(sentence.start, sentence.end, size):
            spans.append((start, min(start + size, sentence.end)))
    return spans


def _entities(nlp: Any, text: str) -> list[tuple[Any, int]]:
    """The pipeline's entities over the whole text, each with the offset of its piece."""
    spans = _chunks(text, nlp.max_length)
    found: list[tuple[Any, int]] = []
    for (start, _), doc in zip(spans, nlp.pipe(text[s:e] for s, e in spans), strict=True):
        found.extend((entity, start) for entity in doc.ents)
    return found


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _trimmed(text: str, start: int, end: int) -> tuple[int, str]:
    """The entity without a leading article: (new start, text)."""
    article = _LEADING_ARTICLE.match(text[start:end])
    if article:
        start += article.end()
    return start, text[start:end]


def add_model_findings(
    name: str,
    text: str,
    places: list[dict[str, object]],
    actors: list[Actor],
) -> None:
    """Add the pipeline's unknown places and named groups to ``places`` and ``actors``."""
    taken = [(int(p["start"]), int(p["end"])) for p in places]  # type: ignore[call-overload]
    taken += [(s, e) for a in actors for s, e, _ in a.mentions]
    group_words = _group_words()
    for entity, offset in _entities(pipeline(name), text):
        if entity.label_ not in ("GPE", "ORG"):
            continue
        start, surface = _trimmed(text, offset + entity.start_char, offset + entity.end_char)
        end = offset + entity.end_char
        words = surface.split()
        if (
            sum(c.isalpha() for c in surface) < MIN_LETTERS
            or not surface[:1].isupper()
            or _overlaps(start, end, taken)
        ):
            continue
        if entity.label_ == "GPE":
            if not _unknown_place(entity, surface):
                continue
            places.append(
                {
                    "text": surface,
                    "start": start,
                    "end": end,
                    "name": surface,
                    "iso_3166": None,
                    "lat": None,
                    "lon": None,
                    "kind": "named place",
                    "country": None,
                    "match": "model",
                }
            )
        else:
            kinds = [group_words[w.casefold()] for w in words if w.casefold() in group_words]
            if not kinds:
                continue
            actors.append(
                Actor(
                    name=surface,
                    type=kinds[-1],
                    aliases=[surface],
                    mentions=[(start, end, surface)],
                )
            )
        taken.append((start, end))
