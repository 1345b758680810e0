"""What a sentence with threat categories is: a threat statement, or advice, a reference,
a heading or a context sentence that names no harm (``data/threat_sentences.yaml``).

Official advice mixes threats ("Kidnapping rates remain high") with what to do about them
("If you fall victim to a kidnapping, follow the kidnapper's instructions"), who to ask ("UK
Counter Terrorism Policing has information and advice on…") and practicalities ("There are
authorised taxi booths at most airports"). All of them carry threat categories, since the
categories say what a sentence is about; only the first kind is proposed as a threat
sentence. Advice is proposed as a recommendation when the recommendation reader finds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from riskatlas.extraction.lexicon import alternation, any_of, load_lexicon
from riskatlas.extraction.sentences import Sentence

#: What a sentence with threat categories is; only ``THREAT`` is proposed as a threat sentence.
THREAT = "threat"
ADVICE = "advice"  # advice to the reader: what to do, avoid, check
REFERENCE = "reference"  # who to contact, where to read more, a link alone
HEADING = "heading"  # a Markdown heading or a line in bold alone
CONTEXT = "context"  # names no harm: vehicles, places, documents, services
KINDS = (THREAT, ADVICE, REFERENCE, HEADING, CONTEXT)

#: A Markdown link, its target masked (``mask_links``) or not.
_MARKDOWN_LINK = re.compile(r"\[[^\]\n]*\](?:\([^)\n]*\))?")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)[^*_\n]+\1\s*:?\s*$")
_WORD = re.compile(r"[^\W\d_]{2,}")
#: A sentence with fewer words outside its links is a reference ("[Kidnapping](…) (see …)").
MIN_WORDS_OUTSIDE_LINKS = 3


@dataclass(frozen=True)
class _Cues:
    imperative: re.Pattern[str]
    after_lead_in: re.Pattern[str]
    phrase: re.Pattern[str]
    reference: re.Pattern[str]
    harm: re.Pattern[str]


@cache
def _cues() -> _Cues:
    data = load_lexicon("threat_sentences.yaml")
    verbs = [
        *(str(w) for w in data["imperatives"]),
        *(str(w) for w in load_lexicon("statements.yaml")["recommendations"]["imperatives"]),
    ]
    verb = alternation(verbs)
    lead_in = alternation([str(w) for w in data["lead_ins"]])
    return _Cues(
        imperative=re.compile(r"^[\s\"'“‘(*]*" + verb, re.I),
        # "During elections, avoid…", "If you are affected, follow…".
        after_lead_in=re.compile(
            r"^[\s\"'“‘(*]*" + lead_in + r"[^,;:.\n]{0,200},\s*(?:and\s+|then\s+)?" + verb,
            re.I,
        ),
        phrase=any_of(data["advice_phrases"]),
        reference=any_of(data["references"]),
        harm=any_of(data["harm"]),
    )


def _line_prefix(text: str, start: int) -> str:
    """What the sentence's line holds before it (a heading's ``#``, a list marker)."""
    return text[text.rfind("\n", 0, start) + 1 : start]


def advice_cue(body: str) -> str | None:
    """The words that make ``body`` (one sentence) advice to the reader: an imperative
    opening it, or opening its main clause after a lead-in ("During elections, avoid"), or
    an advice phrase anywhere ("To protect yourself from crime:", "you should")."""
    cues = _cues()
    found = (
        cues.imperative.match(body) or cues.after_lead_in.match(body) or cues.phrase.search(body)
    )
    return found.group().strip(" \t\"'“‘(*") if found else None


def is_reference(body: str) -> bool:
    """Who to contact or where to read more ("… has information and advice on"), or a link
    alone."""
    outside_links = _MARKDOWN_LINK.sub(" ", body)
    return (
        bool(_cues().reference.search(body))
        or len(_WORD.findall(outside_links)) < MIN_WORDS_OUTSIDE_LINKS
    )


def sentence_kind(text: str, sentence: Sentence, advice: bool = False) -> str:
    """What ``sentence`` of ``text`` (link targets masked or not) is, one of ``KINDS``.
    ``advice``: the recommendation reader already took it for advice."""
    body = text[sentence.start : sentence.end]
    if _line_prefix(text, sentence.start).lstrip().startswith("#") or _BOLD_LINE.match(body):
        return HEADING
    if advice:
        return ADVICE
    if is_reference(body):
        return REFERENCE
    if advice_cue(body):
        return ADVICE
    if not _cues().harm.search(body):
        return CONTEXT
    return THREAT
