"""Optional: organisations found by an installed spaCy English pipeline, added as actors."""

from __future__ import annotations

from functools import cache
from typing import Any

from riskatlas.extraction.actors import Actor


@cache
def _pipeline(name: str) -> Any:  # pragma: no cover - needs an installed spaCy pipeline
    import spacy

    return spacy.load(name, disable=["lemmatizer"])


def add_model_actors(name: str, text: str, actors: list[Actor]) -> None:  # pragma: no cover
    """Add ORG entities the lexicon missed, as actors of type "organisation"."""
    taken = [(s, e) for a in actors for s, e, _ in a.mentions]
    for entity in _pipeline(name)(text).ents:
        if entity.label_ != "ORG":
            continue
        if any(s < entity.end_char and entity.start_char < e for s, e in taken):
            continue
        actors.append(
            Actor(
                name=entity.text,
                type="organisation",
                aliases=[entity.text],
                mentions=[(entity.start_char, entity.end_char, entity.text)],
            )
        )
        taken.append((entity.start_char, entity.end_char))
