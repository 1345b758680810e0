"""Places named in a text, resolved to ISO 3166 codes and coordinates.

Three passes: analyst-defined regions ("the Apurimac, Ene and Lower Huallaga Valleys"),
capitalised names looked up in the gazetteer (a country first; then towns and subdivisions
of the countries the text names), and a fuzzy pass for misspelt towns of those countries
("Handahuaylas" -> Andahuaylas). Capitalised runs that hold more than a place ("Alan
Garcia", "Tupac Amaru") are not places, nor are towns named like ordinary words or people.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from riskatlas.extraction.gazetteer import Place, gazetteer, plain
from riskatlas.extraction.lexicon import load_lexicon

_CONNECTOR = r"(?:de|del|la|las|los|of|the|y|do|da|du|des|el)"
_RUN = re.compile(
    r"(?<![\w’'])[A-Z](?:[\w’'\-]|\.(?=\w))*"
    r"(?:[ \t]+(?:" + _CONNECTOR + r"[ \t]+){0,2}[A-Z](?:[\w’'\-]|\.(?=\w))*)*"
)
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
#: A town outside the countries a text names is kept only when it is this big.
BIG_CITY = 1_000_000
#: A town in a country the text names only in passing is kept when it is this big.
SECONDARY_CITY = 100_000
#: A town that shares its name with a region elsewhere wins when it is this big ("Lima").
SAME_NAME_CITY = 500_000
FUZZY_CUTOFF = 88.0
#: The longest place name tried inside a run of capitalised words.
MAX_NAME_WORDS = 8
#: The most area words before or after a place name ("Lower Huallaga Valley").
MAX_AREA_WORDS = 2
_DEMONYM_ENDINGS = ("ian", "ians", "ean", "eans", "ese", "ish", "an", "ans", "ani", "ite", "ites")


@dataclass(frozen=True)
class PlaceMention:
    text: str
    start: int
    end: int
    place: Place
    match: str  # exact | area | fuzzy | region

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "name": self.place.name,
            "iso_3166": self.place.iso_3166,
            "lat": self.place.lat,
            "lon": self.place.lon,
            "kind": self.place.kind,
            "country": self.place.country,
            "match": self.match,
        }
        if self.place.subdivisions:
            found["subdivisions"] = list(self.place.subdivisions)
        return found


@cache
def _words() -> tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    places = load_lexicon("places.yaml")
    not_places = frozenset(plain(w) for w in load_lexicon("not_places.yaml")["words"])
    titles = frozenset(plain(w) for w in load_lexicon("actors.yaml")["person_titles"])
    return (
        frozenset(plain(w) for w in places["area_words"]),
        frozenset(plain(w) for w in places["area_prefixes"]),
        not_places,
        titles,
    )


@cache
def _region_pattern() -> re.Pattern[str]:
    names = sorted(gazetteer().regions, key=len, reverse=True)
    parts = []
    for name in names:
        words = [re.escape(w) for w in re.split(r"[\s,]+", name) if w]
        parts.append(r"[\s,\-]+".join(words))
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?:[\s\-]+rivers?)?(?!\w)")


def fold(text: str) -> str:
    """``text`` in lower case without accents, character for character (same length)."""
    if text.isascii():  # ASCII lowers one character to one character
        return text.lower()
    return "".join([_fold_char(ch) for ch in text])


@cache
def _fold_char(ch: str) -> str:
    base = unicodedata.normalize("NFKD", ch)
    stripped = "".join(c for c in base if not unicodedata.combining(c))
    return stripped[0].lower() if len(stripped) == 1 else ch.lower()[:1] or ch


def find_places(text: str) -> list[PlaceMention]:
    """Every place named in ``text``, in order, with offsets into ``text``."""
    gaz = gazetteer()
    area_words, area_prefixes, not_places, titles = _words()
    found: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []

    folded = fold(text)
    for match in _region_pattern().finditer(folded):
        key = plain(re.sub(r"[\s\-]+rivers?$", "", match.group()))
        key = plain(re.sub(r"[\s,\-]+", " ", key))
        region = next(
            (p for n, p in gaz.regions.items() if plain(n.replace(",", " ")) == key), None
        )
        if region is None:
            continue
        start = match.start()
        if text[max(0, start - 4) : start].lower() == "the ":
            start -= 4
        found.append(PlaceMention(text[start : match.end()], start, match.end(), region, "region"))
        taken.append((start, match.end()))

    runs = [m for m in _RUN.finditer(text) if not _overlaps(m.start(), m.end(), taken)]
    mentions: dict[str, int] = {}
    for m in runs:
        for p in gaz.lookup(_POSSESSIVE.sub("", _trim_stop(m.group()))):
            if p.kind == "country":
                mentions[p.country] = mentions.get(p.country, 0) + 1
                break
    for area in found:
        if area.place.country:
            mentions[area.place.country] = mentions.get(area.place.country, 0) + 1
    top = max(mentions.values(), default=0)
    # The text's own countries (named most) admit any town; others only big ones.
    primary = {cc for cc, n in mentions.items() if n * 2 >= top}
    countries = Countries(primary, set(mentions) - primary)

    unresolved: list[re.Match[str]] = []
    for run in runs:
        mention = _resolve_run(text, run, countries, area_words, area_prefixes, not_places, titles)
        if mention:
            found.append(mention)
        elif " " not in run.group() and len(run.group()) >= 6:
            unresolved.append(run)

    inside = _neighbourhoods(text, runs, found)
    if inside:
        found = [m for m in found if m.start not in inside] + list(inside.values())
        unresolved = [r for r in unresolved if r.start() not in inside]
    if primary and unresolved:
        found.extend(_fuzzy(text, unresolved, primary, not_places, titles))
    return _in_context(text, sorted(found, key=lambda m: m.start), countries)


#: "the Candelaria area of Bogotá", "the Miraflores district of Lima": a part of a city.
_WITHIN = re.compile(
    r"[ \t]+(?:area|district|neighbou?rhood|quarter|barrio|suburb|sector|comuna|localidad|"
    r"borough)[ \t]+(?:of|in)[ \t]+",
    re.I,
)


def _neighbourhoods(
    text: str, runs: list[re.Match[str]], found: list[PlaceMention]
) -> dict[int, PlaceMention]:
    """Names of a part of a city ("the Candelaria area of Bogotá"), by their start: placed
    in that city's area at its coordinates, whatever else of that name the gazetteer holds
    (a town Candelaria in Valle del Cauca)."""
    at = {m.start: m for m in found}
    inside: dict[int, PlaceMention] = {}
    for run in runs:
        within = _WITHIN.match(text, run.end())
        city = at.get(within.end()) if within else None
        own = at.get(run.start())
        if city is None or city.place.kind != "city" or (own and own.place.kind == "country"):
            continue
        name = _POSSESSIVE.sub("", _trim_stop(run.group()))
        place = city.place._replace(name=name, kind="neighbourhood", population=0)
        end = run.start() + len(name)
        inside[run.start()] = PlaceMention(
            text[run.start() : end], run.start(), end, place, "within"
        )
    return inside


def _in_context(text: str, found: list[PlaceMention], countries: Countries) -> list[PlaceMention]:
    """A town whose name several towns of the text's countries share is the one in an area
    the same line names ("Candelaria … Bogotá" before "Candelaria, Valle del Cauca")."""
    gaz = gazetteer()
    result = []
    for mention in found:
        place = mention.place
        if place.kind == "city" and mention.match in ("exact", "area"):
            same = [
                p
                for p in gaz.lookup(place.name)
                if p.kind == "city" and p.country in countries.primary and p != place
            ]
            if same:
                line = (text.rfind("\n", 0, mention.start) + 1, text.find("\n", mention.end))
                named = {
                    m.place.iso_3166
                    for m in found
                    if m is not mention
                    and line[0] <= m.start
                    and (line[1] < 0 or m.start < line[1])
                }
                chosen = next((p for p in same if p.iso_3166 in named), None)
                if chosen is not None and place.iso_3166 not in named:
                    mention = PlaceMention(
                        mention.text, mention.start, mention.end, chosen, mention.match
                    )
        result.append(mention)
    return result


def _trim_stop(run: str) -> str:
    """A run without its sentence-ending full stop ("Lima." -> "Lima"; "U.S." stays)."""
    if run.endswith(".") and not re.search(r"(?:\b[A-Za-z]\.)+$", run):
        return run[:-1]
    return run


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _preceded_by_title(text: str, start: int, titles: frozenset[str]) -> bool:
    before = re.search(r"([A-Za-z.]+)\s+$", text[max(0, start - 20) : start])
    return bool(before and plain(before.group(1)) in titles)


@dataclass(frozen=True)
class Countries:
    primary: set[str]
    secondary: set[str]


def _choose(
    candidates: list[Place],
    countries: Countries,
    not_places: frozenset[str],
    name: str,
    area_word: str,
) -> Place | None:
    for place in candidates:
        if place.kind == "country":
            return place
    named = countries.primary | countries.secondary
    subdivisions = sorted(
        (p for p in candidates if p.kind == "subdivision" and p.country in named),
        key=lambda p: p.country not in countries.primary,
    )
    town_like_word = plain(name) in not_places or _is_cue_word(name)
    cities = sorted(
        (
            p
            for p in candidates
            if p.kind == "city"
            and not town_like_word
            and (
                p.country in countries.primary
                or (p.country in countries.secondary and p.population >= SECONDARY_CITY)
                or p.population >= BIG_CITY
            )
        ),
        key=lambda p: (p.country in countries.primary, p.country in named, p.population),
        reverse=True,
    )
    if area_word == "city" and cities:
        return cities[0]
    if area_word and subdivisions:
        return subdivisions[0]
    if cities and subdivisions:
        city, subdivision = cities[0], subdivisions[0]
        # "Ayacucho": the town in the region of the same name; "San Martin": the region,
        # not a small town of that name elsewhere; "Lima": the big city.
        inside = city.iso_3166 == subdivision.iso_3166
        return city if inside or city.population >= SAME_NAME_CITY else subdivision
    if cities:
        return cities[0]
    return subdivisions[0] if subdivisions else None


def is_demonym_or_cue(name: str) -> bool:
    """A name that reads as a demonym ("Ukrainian", "Japanese") or a threat cue ("Tsunami");
    narrower than the fuzzy rule's endings, so that "Michoacán" or "Yucatan" stay names."""
    return plain(name).endswith(("ian", "ians", "ean", "eans", "ese", "ish")) or _is_cue_word(name)


def _is_cue_word(name: str) -> bool:
    """A one-word name that is also a threat cue ("Hurricane", Utah) is not read as a town."""
    from riskatlas.extraction.categories import category_cues

    return " " not in name.strip() and bool(category_cues(name))


def _resolve_run(
    text: str,
    run: re.Match[str],
    countries: Countries,
    area_words: frozenset[str],
    area_prefixes: frozenset[str],
    not_places: frozenset[str],
    titles: frozenset[str],
) -> PlaceMention | None:
    gaz = gazetteer()
    raw = run.group()
    body = _POSSESSIVE.sub("", _trim_stop(raw))
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", body)]
    if _preceded_by_title(text, run.start(), titles):
        return None
    n = len(words)
    for size in range(min(n, MAX_NAME_WORDS), 0, -1):
        for first in range(0, n - size + 1):
            last = first + size - 1
            name = body[words[first][0] : words[last][1]]
            candidates = gaz.lookup(name)
            if not candidates:
                continue
            is_country = any(p.kind == "country" for p in candidates)
            # Area words around a name are few ("Greater Lima", "Ayacucho Department").
            near = first <= MAX_AREA_WORDS and n - 1 - last <= MAX_AREA_WORDS
            if not (near or is_country):
                continue
            before = {plain(body[s:e]) for s, e in words[:first]} if near else {"-"}
            after = [plain(body[s:e]) for s, e in words[last + 1 :]] if near else ["-"]
            whole = not before and not after
            areas = not before - area_prefixes and all(w in area_words for w in after)
            if not (whole or areas or is_country):
                continue
            area_word = after[-1] if after and not whole else ""
            place = _choose(candidates, countries, not_places, name, area_word)
            if place is None:
                continue
            match = "exact" if whole else "area"
            if is_country and not (whole or areas):
                start, end = run.start() + words[first][0], run.start() + words[last][1]
                match = "exact"
            else:
                start, end = run.start(), run.start() + len(body)
            return PlaceMention(text[start:end], start, end, place, match)
    return None


def _fuzzy(
    text: str,
    runs: list[re.Match[str]],
    countries: set[str],
    not_places: frozenset[str],
    titles: frozenset[str],
) -> list[PlaceMention]:
    from rapidfuzz import fuzz, process

    choices = gazetteer().names_in(countries)
    names = [name for name, _ in choices]
    found = []
    for run in runs:
        word = _POSSESSIVE.sub("", _trim_stop(run.group()))
        if plain(word) in not_places or _preceded_by_title(text, run.start(), titles):
            continue
        if plain(word).endswith(_DEMONYM_ENDINGS) or _is_cue_word(word):
            continue  # "Australian", "Peruvians", "Japanese" are people, not misspelt towns
        best = process.extractOne(plain(word), names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            continue
        place = choices[best[2]][1]
        end = run.start() + len(word)
        found.append(PlaceMention(text[run.start() : end], run.start(), end, place, "fuzzy"))
    return found
