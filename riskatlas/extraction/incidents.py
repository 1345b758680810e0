"""Dated incidents: a sentence that reports an event (abduction, bombing, protest...) and
dates it. What, when with precision, where, who and casualties."""

from __future__ import annotations

import re
from functools import cache

from riskatlas.extraction.dates import DateMention, find_dates
from riskatlas.extraction.lexicon import any_of, load_lexicon
from riskatlas.extraction.sentences import Sentence

_NUMBER = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozens": 24, "a dozen": 12,
}  # fmt: skip


@cache
def _triggers() -> list[tuple[str, re.Pattern[str]]]:
    data = load_lexicon("incidents.yaml")["triggers"]
    return [(code, any_of(words)) for code, words in data.items()]


@cache
def _casualty_pattern() -> re.Pattern[str]:
    words = load_lexicon("incidents.yaml")["casualty_words"]
    numbers = "|".join(sorted(_NUMBER, key=len, reverse=True))
    outcomes = "|".join(w for ws in words.values() for w in ws)
    # "four people were killed" or "killing four soldiers"
    return re.compile(
        r"\b(?:(?P<n1>\d+|" + numbers + r")\s+(?:[a-z]+\s+){0,3}?(?P<o1>" + outcomes + r")"
        r"|(?P<o2>"
        + outcomes
        + r")\s+(?:of\s+)?(?:at\s+least\s+|some\s+)?(?P<n2>\d+|"
        + numbers
        + r"))\b",
        re.I,
    )


@cache
def _owner_pattern() -> re.Pattern[str]:
    words = load_lexicon("incidents.yaml")["owner_words"]
    return re.compile(r"[\s-]+(?:" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)


def _is_owner(text: str, end: int) -> bool:
    """True when the place ending at ``end`` names an owner ("the US embassy")."""
    return _owner_pattern().match(text, end) is not None


def _outcome(word: str) -> str:
    words = load_lexicon("incidents.yaml")["casualty_words"]
    return next(kind for kind, ws in words.items() if word.lower() in ws)


def find_incident(
    text: str,
    sentence: Sentence,
    codes: list[str],
    places: list[dict[str, object]],
    actors: list[dict[str, object]],
) -> dict[str, object] | None:
    """The incident a sentence reports, when it has an event word and a date of a year or
    finer (decades such as "the 1980s" describe periods, not incidents)."""
    triggers = []
    for code, pattern in _triggers():
        for match in pattern.finditer(text, sentence.start, sentence.end):
            triggers.append((match.start(), match.end(), code, match.group()))
    if not triggers:
        return None
    dates = [
        d
        for d in find_dates(text, sentence.start, sentence.end)
        if d.precision in ("day", "month", "year")
    ]
    if not dates:
        return None
    when: DateMention = max(dates, key=lambda d: ("year", "month", "day").index(d.precision))
    casualties = _casualties(text, sentence)
    what = sorted({code for _, _, code, _ in triggers} | set(codes))
    return {
        "text": sentence.text,
        "start": sentence.start,
        "end": sentence.end,
        "what": [t[3] for t in sorted(triggers)],
        "categories": what,
        "when": when.as_dict(),
        "where": [
            {k: p[k] for k in ("text", "start", "end", "name", "iso_3166")}
            for p in places
            if sentence.start <= p["start"] < sentence.end  # type: ignore[operator]
            and not _is_owner(text, p["end"])  # type: ignore[arg-type]
        ],
        "who": _who(sentence, actors),
        "casualties": casualties,
    }


def _casualties(text: str, sentence: Sentence) -> dict[str, int]:
    """The counts of killed, injured and abducted the sentence gives. Its dates are blanked
    first: the year of "On 3 May 2021 gunmen killed five" is no count of dead."""
    chars = list(text[sentence.start : sentence.end])
    for date in find_dates(text, sentence.start, sentence.end):
        chars[date.start - sentence.start : date.end - sentence.start] = " " * len(date.text)
    casualties: dict[str, int] = {}
    for match in _casualty_pattern().finditer("".join(chars)):
        raw = (match.group("n1") or match.group("n2")).lower()
        count = _NUMBER.get(raw) or int(raw)
        kind = _outcome(match.group("o1") or match.group("o2"))
        casualties[kind] = casualties.get(kind, 0) + count
    return casualties


def _who(sentence: Sentence, actors: list[dict[str, object]]) -> list[str]:
    """Actors named in the sentence: named groups when there are any, else unnamed ones."""
    present = [
        a
        for a in actors
        if any(sentence.start <= m["start"] < sentence.end for m in a["mentions"])  # type: ignore[attr-defined]
    ]
    named = [a for a in present if not a["generic"]] or present
    return sorted({str(a["name"]) for a in named})
