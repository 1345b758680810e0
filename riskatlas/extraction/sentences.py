"""Splitting text into sentences with character offsets into the original text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from riskatlas.extraction.lexicon import load_lexicon

_LINE = re.compile(r"[^\n]+")
# A full stop, question or exclamation mark, maybe closing quotes or brackets, then space and
# something that can start a sentence.
_BOUNDARY = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"“‘(\[*]?[A-Z0-9¿¡])")
_MARKER = re.compile(r"^\s*(?:#{1,6}\s+|[*+\-•]\s+|\d{1,3}[.)]\s+|>\s*)?")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?…]$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(a.lower().rstrip(".") for a in load_lexicon("abbreviations.yaml"))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text``: a line break always ends one; so does ., ! or ? before a capital.

    List markers and Markdown heading marks are left outside the sentence span.
    """
    abbreviations = _abbreviations()
    sentences: list[Sentence] = []
    for line in _LINE.finditer(text):
        offset = line.start()
        body = line.group()
        marker = _MARKER.match(body)
        start = marker.end() if marker else 0
        for boundary in _BOUNDARY.finditer(body, start):
            head = body[start : boundary.start() + 1]
            # Only the last word matters; searching the whole head made long lines quadratic.
            word = _WORD_BEFORE.search(head, _last_word_start(head))
            if word and (
                word.group(1).lower().rstrip(".") in abbreviations
                or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word.group(1))
            ):
                continue
            _add(sentences, text, offset + start, offset + boundary.end())
            start = boundary.end()
        _add(sentences, text, offset + start, offset + len(body))
    return sentences


def _last_word_start(head: str) -> int:
    """Where the run of word characters and dots ending ``head`` (before its mark) begins."""
    i = len(head) - 1
    while i > 0 and (head[i - 1].isalnum() or head[i - 1] in "._"):
        i -= 1
    return i


def _add(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    if end > start and any(ch.isalnum() for ch in text[start:end]):
        sentences.append(Sentence(start, end, text[start:end]))
