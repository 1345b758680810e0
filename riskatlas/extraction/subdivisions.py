"""Subdivisions named in a text about one country, resolved to ISO 3166-2 codes.

Official advice names the areas it warns about in many forms: "the department of Cauca",
"Norte de Santander departments", "northern Adamawa", "Chiapas State", "Volyn" (pycountry:
"Volynska oblast"), "Estado de Mexico", "Maguindanao" (split in 2022), a misspelt "Akawa Ibom".
``subdivisions_named`` finds them: pycountry's names of the country's subdivisions and the
other names of ``data/subdivision_names.csv`` (English forms, local spellings, former names)
are matched as whole words, without accents or case, a name's first letter in capitals; then,
among capitalised runs left over, a misspelling close to one name (``FUZZY_CUTOFF``).

A name is not the subdivision when its context says it is something else of that name: a
town ("the city of Chihuahua", "Zacatecas City", "Garissa Town", "Villa Guerrero"), a river
("the Tana River"), an island, valley or archipelago ("Lamu Island", "the Sulu Archipelago"),
a border crossing, or part of a longer name ("Bajo Cauca", "the Niger Delta"); nor are the
analyst-defined regions of ``data/places.yaml`` ("the Valley of the Apurímac, Ene and Mantaro
Rivers" names no Apurímac region). The dev set ``tests/unit/extraction/
subdivisions_in_advice.csv`` (made by reading the shared advice pages) measures it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from riskatlas.extraction.gazetteer import Place, gazetteer
from riskatlas.extraction.lexicon import data_text, load_lexicon
from riskatlas.extraction.places import fold
from riskatlas.extraction.sentences import Sentence

#: The least rapidfuzz ratio (0–100) for a capitalised run to be read as a misspelt name.
FUZZY_CUTOFF = 90.0

#: Words after a name that make it the subdivision ("Borno State", "Tana River County").
KIND_WORDS = frozenset({
    "state", "states", "department", "departments", "departamento", "county", "counties",
    "province", "provinces", "region", "regions", "oblast", "oblasts", "prefecture",
    "prefectures", "governorate", "territory"
})  # fmt: skip
#: Capitalised words that may stand before a name without making it part of another name.
FREE_BEFORE = frozenset({
    "the", "all", "and", "or", "in", "to", "of", "from", "within", "parts", "part", "areas",
    "area", "some", "other", "including", "except", "excluding", "north", "south", "east",
    "west", "northern", "southern", "eastern", "western", "central", "north-western",
    "north-eastern", "south-western", "south-eastern", "northwestern", "northeastern",
    "southwestern", "southeastern", "northcentral", "upper", "lower", "greater", "do", "not",
    "travel", "avoid", "reconsider", "level", "specified"
})  # fmt: skip
#: Before a name: it is a town, a lake, a valley… of that name.
_OTHER_BEFORE = re.compile(
    r"(?:\b(?:city|cities|town|towns|port|village|villages|municipality|municipalities|lake|"
    r"valley|river|island|islands|park|constituency)\s+of\s+(?:the\s+)?|\blake\s+)$",
    re.I,
)
#: After a name: it is a town, a river, an island… of that name.
_OTHER_AFTER = re.compile(
    r"^[ \t]+(?:city|town|island|islands|river|valley|valleys|archipelago|sea|peninsula|"
    r"canyon|gap|airport|border[ \t]+crossing|national[ \t]+park|park|lake|bay|highway|road)\b",
    re.I,
)
_KIND_TAIL = re.compile(r"(?:[ \t]+(?:" + "|".join(sorted(KIND_WORDS)) + r"))+$", re.I)
_BORDER_WITH = re.compile(r"\bborders?\s+with\s+(?:the\s+)?$", re.I)
_CONNECTOR = r"(?:de|del|la|las|los|el|y|da|do|of)"
_WORD_BEFORE = re.compile(r"([A-Z][\w’'.\-]*)[ \t]+(?:" + _CONNECTOR + r"[ \t]+)?$")
_WORD_AFTER = re.compile(r"^[ \t]+([A-Z][\w’'\-]*)")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_RUN = re.compile(
    r"(?<![\w’'])[A-Z][\w’'\-]*(?:[ \t]+(?:" + _CONNECTOR + r"[ \t]+)?[A-Z][\w’'\-]*)*"
)


@dataclass(frozen=True)
class SubdivisionMention:
    """A subdivision named in a text: the words, where they are, and the codes they name."""

    text: str
    start: int
    end: int
    codes: tuple[str, ...]
    match: str  # name | fuzzy


@dataclass(frozen=True)
class _Names:
    pattern: re.Pattern[str] | None  # every name of the country's subdivisions, folded
    codes: dict[str, tuple[str, ...]]  # folded name -> codes
    capitals: frozenset[str]  # folded names that match only when written in capitals
    country_names: frozenset[str]  # folded names that are also a country's name


def _key(name: str) -> str:
    """A name folded for matching: lower case, no accents, "/" and "-" as spaces."""
    return " ".join(fold(name).replace("/", " ").replace("-", " ").replace("’", "'").split())


def _name_pattern(key: str) -> str:
    words = [re.escape(w).replace("\\.", "\\.?") for w in key.split()]
    return r"[\s\-/]+".join(words)


@cache
def _aliases() -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    lines = [line for line in data_text("subdivision_names.csv").splitlines() if line.strip()]
    rows = csv.DictReader(io.StringIO("\n".join(line for line in lines if line[0] != "#")))
    found: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for row in rows:
        found.setdefault(row["country"], []).append((row["name"], tuple(row["codes"].split())))
    return found


@cache
def _country_keys() -> frozenset[str]:
    import pycountry

    keys = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                keys.add(_key(value))
    return frozenset(keys)


@cache
def _names(country: str) -> _Names:
    import pycountry

    own = pycountry.countries.get(alpha_2=country)
    own_keys = {_key(getattr(own, a)) for a in ("name", "common_name") if getattr(own, a, None)}
    codes: dict[str, set[str]] = {}
    capitals: set[str] = set()

    def add(name: str, subdivision_codes: tuple[str, ...]) -> None:
        key = _key(name)
        if not key or key in own_keys:
            return  # "México" (MX-MEX) is the country's name: Mexico State names the state
        if name.isupper() and len(name) <= 6:
            capitals.add(key)
        codes.setdefault(key, set()).update(subdivision_codes)

    for sub in pycountry.subdivisions.get(country_code=country) or ():
        name = str(sub.name)
        add(name, (str(sub.code),))
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", name)  # "Zamboanga Peninsula (Region IX)"
        if bare != name:
            add(bare, (str(sub.code),))
        if bare.lower().endswith(" oblast"):
            add(bare[: -len(" oblast")], (str(sub.code),))
    for name, alias_codes in _aliases().get(country, []):
        add(name, alias_codes)
    if not codes:
        return _Names(None, {}, frozenset(), frozenset())
    ordered = sorted(codes, key=lambda k: (-len(k), k))
    pattern = re.compile(
        r"(?<![\w’'])(?:" + "|".join(_name_pattern(k) for k in ordered) + r")(?![\w’'])"
    )
    return _Names(
        pattern,
        {k: tuple(sorted(v)) for k, v in codes.items()},
        frozenset(capitals),
        frozenset(k for k in codes if k in _country_keys()),
    )


@cache
def _region_pattern() -> re.Pattern[str]:
    """The analyst-defined regions' names (places.yaml), folded: they hide what they hold."""
    names = [n for region in load_lexicon("places.yaml")["regions"] for n in region["names"]]
    parts = [r"[\s,\-]+".join(re.escape(w) for w in re.split(r"[\s,]+", _key(n)) if w)
             for n in sorted(names, key=len, reverse=True)]  # fmt: skip
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?:[\s\-]+rivers?)?(?!\w)")


def _masked(text: str) -> str:
    """``text`` folded (same length), with Markdown link targets and regions blanked."""
    folded = fold(text)
    folded = _LINK_TARGET.sub(lambda m: "]" + " " * (len(m.group()) - 1), folded)
    return _region_pattern().sub(lambda m: " " * len(m.group()), folded)


def _is_other_place(text: str, start: int, end: int, key: str, names: _Names) -> bool:
    """The context says the name at ``text[start:end]`` is not the subdivision."""
    before, after = text[max(0, start - 40) : start], text[end : end + 40]
    if _OTHER_BEFORE.search(before) or _OTHER_AFTER.match(after):
        return True
    if key in names.country_names and _BORDER_WITH.search(before):
        return True  # "the border with Niger" is the country
    kind_after = re.match(r"^[ \t]+([A-Za-z]+)", after)
    is_kind = bool(kind_after and kind_after.group(1).lower() in KIND_WORDS)
    if key.split()[-1] in ("river", "rivers") and re.search(r"\bthe\s+$", before, re.I):
        return not is_kind  # "the Tana River", not "the Tana River County"
    word = _WORD_BEFORE.search(before)
    if word and word.group(1).lower().rstrip(".") not in FREE_BEFORE | KIND_WORDS:
        return True  # "Villa Guerrero", "Bajo Cauca", "Santa Fé de Antioquia"
    following = _WORD_AFTER.match(after)
    return bool(following and following.group(1).lower() not in KIND_WORDS)  # "Fukushima Dai-ichi"


def subdivisions_named(text: str, country: str) -> list[SubdivisionMention]:
    """The subdivisions of ``country`` (ISO 3166-1 alpha-2) that ``text`` names, in order."""
    names = _names(country.upper())
    if names.pattern is None:
        return []
    masked = _masked(text)
    found: list[SubdivisionMention] = []
    for match in names.pattern.finditer(masked):
        start, end = match.span()
        key = _key(match.group())
        written = text[start:end]
        if not written[:1].isupper() or (key in names.capitals and not written.isupper()):
            continue
        if key not in names.codes or _is_other_place(text, start, end, key, names):
            continue
        found.append(SubdivisionMention(written, start, end, names.codes[key], "name"))
    found.extend(_misspelt(text, masked, names, found))
    return sorted(found, key=lambda m: m.start)


def _misspelt(
    text: str, masked: str, names: _Names, found: list[SubdivisionMention]
) -> list[SubdivisionMention]:
    """Capitalised runs no name matched that are one slip from a name ("Akawa Ibom")."""
    from rapidfuzz import fuzz, process

    choices = [k for k in names.codes if len(k) >= 5 and k not in names.capitals]
    taken = [(m.start, m.end) for m in found]
    extra = []
    for run in _RUN.finditer(text):
        start, end = run.span()
        if any(start < e and s < end for s, e in taken) or masked[start:end].isspace():
            continue
        written = _KIND_TAIL.sub("", run.group())
        end = start + len(written)
        key = _key(written)
        if key in names.codes or len(key) < 5:
            continue
        best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None or _is_other_place(text, start, end, best[0], names):
            continue
        extra.append(SubdivisionMention(text[start:end], start, end, names.codes[best[0]], "fuzzy"))
    return extra


def subdivision_codes(text: str, country: str) -> list[str]:
    """The ISO 3166-2 codes of the subdivisions ``text`` names, each once, in order."""
    codes: list[str] = []
    for mention in subdivisions_named(text, country):
        codes.extend(c for c in mention.codes if c not in codes)
    return codes


def country_code(country: str) -> str:
    """``country`` as an ISO 3166-1 alpha-2 code ("co" -> "CO"); ValueError naming it when it
    is none."""
    import pycountry

    code = country.strip().upper()
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(f"country {country!r}: not an ISO 3166-1 alpha-2 code (CO, NG, PE…)")
    return code


@cache
def _subdivision_places(country: str) -> dict[str, Place]:
    """The gazetteer's subdivisions of ``country`` (name, coordinates) by ISO 3166-2 code."""
    return {
        place.iso_3166: place
        for _name, place in gazetteer().by_country.get(country, [])
        if place.kind == "subdivision"
    }


_KIND_BEFORE = re.compile(r"\b(?:" + "|".join(sorted(KIND_WORDS)) + r")\s+of\s+(?:the\s+)?$", re.I)
_KIND_AFTER = re.compile(r"^[ \t]+(?:" + "|".join(sorted(KIND_WORDS)) + r")\b", re.I)


def _replaces(place: dict[str, Any], start: int, end: int, text: str, country: str) -> bool:
    """A place found by name that a subdivision the resolver found at ``start:end`` replaces:
    one inside it and shorter; one that is that name and kind words ("Niger State" or "Mexico
    State" read as the country); a town of the same name where a kind word says the
    subdivision is meant ("Puebla state", "the state of Puebla"); one of another country; one
    with no code (the optional model's)."""
    p_start, p_end = int(place["start"]), int(place["end"])
    if p_start == start and p_end > end and _KIND_TAIL.fullmatch(" " + text[end:p_end].strip()):
        return True
    if not (start <= p_start and p_end <= end):
        return False
    if p_end - p_start < end - start:
        return True
    if place.get("kind") == "country":  # "Niger" alone is the country; "Mexico State" is not
        return bool(_KIND_TAIL.search(text[p_start:p_end]))
    if place.get("kind") == "city" and place.get("iso_3166") in _subdivision_places(country):
        return bool(_KIND_BEFORE.search(text[max(0, start - 40) : start])
                    or _KIND_AFTER.match(text[end : end + 40]))  # fmt: skip
    return place.get("country") != country or not place.get("iso_3166")


def subdivision_places(
    text: str, sentences: Iterable[Sentence], country: str, places: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The subdivisions of ``country`` (the country of the assessment or document being read)
    that ``sentences`` of ``text`` name, as draft places (``kind`` subdivision, ``match``
    "subdivision", or "fuzzy" for a misspelt name of two words or more: a single word one slip
    from a name is too often a word, "Crime" for Crimea), even where the text never names the
    country. They are added to ``places`` (found by name, ``places.find_places``), replacing
    what they cover (``_replaces``); a place already coded with the same subdivision is kept.
    Returns the places added."""
    country = country.upper()
    known = _subdivision_places(country)
    added: list[dict[str, Any]] = []
    for sentence in sentences:
        for mention in subdivisions_named(text[sentence.start : sentence.end], country):
            if mention.match == "fuzzy" and len(mention.text.split()) < 2:
                continue  # "Crime" (Crimea), "Drivers" (Rivers), "Atlantic" (Atlántico)
            start, end = sentence.start + mention.start, sentence.start + mention.end
            while end > start and text[end - 1] in "’'\"":
                end -= 1  # "(‘Estado de México’)"
            overlapping = [p for p in places if int(p["start"]) < end and start < int(p["end"])]
            if not all(_replaces(p, start, end, text, country) for p in overlapping):
                continue  # kept as found ("Kaduna", a town coded NG-KD, stays the town)
            for place in overlapping:
                end = max(end, int(place["end"]))  # "Niger State", kind word and all
                places.remove(place)
            for code in mention.codes:
                sub = known.get(code)
                added.append({
                    "text": text[start:end], "start": start, "end": end,
                    "name": sub.name if sub else code, "iso_3166": code,
                    "lat": sub.lat if sub else None, "lon": sub.lon if sub else None,
                    "kind": "subdivision", "country": country,
                    "match": "fuzzy" if mention.match == "fuzzy" else "subdivision",
                })  # fmt: skip
    places.extend(added)
    return added


@dataclass(frozen=True)
class PlaceScores:
    """Codes found against codes expected, over a set of texts (micro-averaged)."""

    found_right: int
    found_wrong: int
    missed: int
    errors: tuple[tuple[int, tuple[str, ...], tuple[str, ...]], ...]  # (row, missed, extra)

    @property
    def precision(self) -> float:
        found = self.found_right + self.found_wrong
        return self.found_right / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.found_right + self.missed
        return self.found_right / expected if expected else 1.0


def read_place_set(text: str) -> list[dict[str, str]]:
    """The rows of a place set (``government,country,text,expected``; ``#`` lines are notes)."""
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(lines))))
    for number, row in enumerate(rows, start=2):
        missing = [c for c in ("country", "text", "expected") if row.get(c) is None]
        if missing:
            raise ValueError(f"place set row {number}: no {', '.join(missing)}")
    return rows


def score_places(rows: list[dict[str, str]]) -> PlaceScores:
    """Precision and recall of ``subdivision_codes`` on rows with their expected codes."""
    right = wrong = missed = 0
    errors = []
    for number, row in enumerate(rows):
        expected = set(row["expected"].split())
        found = set(subdivision_codes(row["text"], row["country"]))
        right += len(expected & found)
        wrong += len(found - expected)
        missed += len(expected - found)
        if expected != found:
            errors.append(
                (number, tuple(sorted(expected - found)), tuple(sorted(found - expected)))
            )
    return PlaceScores(right, wrong, missed, tuple(errors))
