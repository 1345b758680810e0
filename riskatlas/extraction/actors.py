"""Actors named in a text: known groups, groups named with a group word, acronyms learned
from the text ("Shining Path (SP)"), unnamed actors ("drug traffickers"), and strength
figures near them ("around 300 fighters")."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from riskatlas.extraction.lexicon import load_lexicon
from riskatlas.extraction.sentences import Sentence

_ACRONYM_AFTER = re.compile(r"\s*\(\s*([A-Z][A-Z0-9\-]{1,7})\s*\)")
_NAME = re.compile(r"[A-Z][\w’'\-]*(?:[ \t]+(?:of|de|del|la|the|for)?[ \t]*[A-Z][\w’'\-]*)*")
_APPROX = (
    r"(?:(?:estimated|thought|believed|said)\s+(?:to\s+be\s+|at\s+)?)?"
    r"(?:(around|about|approximately|approx\.?|some|roughly|nearly|almost|up\s+to|"
    r"more\s+than|over|at\s+least|fewer\s+than|less\s+than|an\s+estimated)\s+)?"
)
_NUMBER_WORDS = {
    "hundred": 100,
    "a hundred": 100,
    "a thousand": 1000,
    "thousand": 1000,
    "several hundred": 300,
    "several thousand": 3000,
    "a few hundred": 300,
    "a few thousand": 3000,
    "dozens": 24,
}


@dataclass
class Actor:
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    generic: bool = False
    mentions: list[tuple[int, int, str]] = field(default_factory=list)
    figures: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "type": self.type,
            "aliases": sorted(set(self.aliases) - {self.name}),
            "generic": self.generic,
            "mentions": [{"text": t, "start": s, "end": e} for s, e, t in self.mentions],
            "figures": self.figures,
        }


def _key(name: str) -> str:
    """A name with its spaces and hyphens folded, so "Al-Shabaab" finds "Al Shabaab"."""
    return re.sub(r"[\s\-]+", " ", name.strip())


@cache
def _lexicon() -> dict:
    return load_lexicon("actors.yaml")


@cache
def _known_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, str, bool]]]:
    lexicon = _lexicon()
    by_name: dict[str, tuple[str, str, bool]] = {}
    for entry in lexicon["known"]:
        for name in entry["names"]:
            by_name[_key(name)] = (entry["name"], entry["type"], False)
    for entry in lexicon["generic"]:
        for name in entry["names"]:
            by_name[_key(name.lower())] = (entry["name"], entry["type"], True)
    parts = []
    for name in sorted(by_name, key=len, reverse=True):
        body = re.escape(name).replace(r"\ ", r"[\s\-]+")
        # Acronyms and proper names are case-sensitive; generic nouns are not.
        parts.append(f"(?i:{body})" if by_name[name][2] else body)
    pattern = re.compile(r"(?<![\w\-])(?:" + "|".join(parts) + r")(?![\w\-])")
    return pattern, by_name


@cache
def _strength_pattern() -> re.Pattern[str]:
    units = "|".join(sorted(_lexicon()["strength_units"], key=len, reverse=True))
    words = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
    return re.compile(
        _APPROX + r"(\d{1,3}(?:[,.]\d{3})+|\d+|" + words + r")\s+(?:\w+\s+)?(" + units + r")\b",
        re.IGNORECASE,
    )


def find_actors(text: str, sentences: list[Sentence]) -> list[Actor]:
    """Actors in ``text`` with every mention, learned aliases and strength figures."""
    pattern, by_name = _known_pattern()
    group_words = _lexicon()["group_words"]
    actors: dict[str, Actor] = {}
    mentions: list[tuple[int, int, str]] = []  # start, end, actor key

    taken = bytearray(len(text))  # characters already read as an actor mention

    def add(key: str, kind: str, generic: bool, start: int, end: int, alias: str) -> None:
        actor = actors.setdefault(key, Actor(name=key, type=kind, generic=generic))
        if alias not in actor.aliases:
            actor.aliases.append(alias)
        if not any(taken[start:end]):
            taken[start:end] = b"\x01" * (end - start)
            actor.mentions.append((start, end, text[start:end]))
            mentions.append((start, end, key))

    for match in pattern.finditer(text):
        surface = _key(match.group())
        known = by_name.get(surface) or by_name.get(surface.lower())
        if known is None:
            known = next((v for k, v in by_name.items() if k.lower() == surface.lower()), None)
        if known is None:  # pragma: no cover - the pattern only matches listed names
            continue
        add(known[0], known[1], known[2], match.start(), match.end(), match.group())

    # Capitalised names followed by a group word: "the Sinaloa Cartel", "X guerrilla group".
    group_re = re.compile(
        r"(?<![\w\-])((?:[A-Z][\w’'\-]*[ \t]+(?:(?:de|del|la|las|los|of|the|for)[ \t]+)?){1,5}?)"
        r"(\([A-Z][A-Z0-9\-]{1,7}\)[ \t]+)?"
        r"((?i:" + "|".join(map(re.escape, group_words)) + r"))\b"
    )
    for match in group_re.finditer(text):
        if _covered(match.start(), match.end(), mentions):
            continue
        words = match.group(1).split()
        while words and words[0].lower() in {"the", "a", "an", "this", "that", "their", "his"}:
            words = words[1:]
        group_word = match.group(3)
        if not words or words[-1].lower() in {"of", "the", "for", "de", "del", "la"}:
            continue
        if group_word[0].isupper() and not match.group(2):
            words.append(group_word)  # "World Health Organization", "Sinaloa Cartel"
        elif len(words) == 1 and not words[0].isupper() and _sentence_start(text, match.start(1)):
            continue  # "Fire brigades ...", "Gangs ..." open a sentence: ordinary words
        name = " ".join(words)
        start = match.start(1) + match.group(1).index(words[0])
        end = start + len(name)
        if text[start:end] != name or name.lower() in {"guerrilla", "armed"}:
            continue
        add(name, group_words[group_word.lower()], False, start, end, name)

    # Acronyms introduced in brackets after an actor: "Shining Path (SL)".
    learned: dict[str, str] = {}
    for _start, end, key in sorted(mentions):
        after = _ACRONYM_AFTER.match(text, end)
        if after and not actors[key].generic:
            learned[after.group(1)] = key
            add(key, actors[key].type, False, after.start(1), after.end(1), after.group(1))
    for acronym, key in learned.items():
        for match in re.finditer(r"(?<![\w\-])" + re.escape(acronym) + r"(?![\w\-])", text):
            add(key, actors[key].type, False, match.start(), match.end(), acronym)

    _attach_strength(text, sentences, actors, mentions)
    ordered = sorted(actors.values(), key=lambda a: (a.generic, min(m[0] for m in a.mentions)))
    for actor in ordered:
        actor.mentions.sort()
    return ordered


def _sentence_start(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \t*#-•")
    return not before or before[-1] in ".!?:\n"


def _covered(start: int, end: int, mentions: list[tuple[int, int, str]]) -> bool:
    return any(s < end and start < e for s, e, _ in mentions)


def _attach_strength(
    text: str,
    sentences: list[Sentence],
    actors: dict[str, Actor],
    mentions: list[tuple[int, int, str]],
) -> None:
    pattern = _strength_pattern()
    for sentence in sentences:
        for match in pattern.finditer(text, sentence.start, sentence.end):
            before = [m for m in mentions if sentence.start <= m[0] < match.start()]
            named = [m for m in before if not actors[m[2]].generic] or before
            if not named:
                continue
            key = max(named, key=lambda m: m[0])[2]
            raw = match.group(2).lower()
            value = _NUMBER_WORDS.get(raw) or int(re.sub(r"[,.]", "", raw))
            actors[key].figures.append(
                {
                    "kind": "strength",
                    "value": value,
                    "unit": match.group(3).lower(),
                    "qualifier": (match.group(1) or "").lower() or None,
                    "text": match.group().strip(),
                    "start": match.start(),
                    "end": match.end(),
                }
            )
