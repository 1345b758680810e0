"""Official advice pages read by rule: the national level and each named area at its level.

One government's Markdown pages for one country (``<government>/<Country>/*.md``) are read
line by line with the level phrases of ``data/advice_levels.yaml``:

* a **statement** is a sentence holding a level phrase ("Do not travel to …", "FCDO advises
  against all but essential travel to …", "[Avoid all travel] to …"), or a bold line
  "**Area – Level 4: Do Not Travel**"; a Markdown heading "### Colombia - Level 3: …" gives
  the national level only. What follows "to"/"in"/"within" up to "due to …" is its target;
* a **list** after a statement ending in ":" takes that statement's level, item by item
  ("Do not travel to:" then "* Arauca"); sub-headings ending in ":" keep the statement; a
  statement ending in "except:" makes its list a note of exceptions;
* a **target** is split into areas: names that are a country's ISO 3166-2 subdivision
  ("Arauca, Cauca (excluding Popayán), and Norte de Santander departments") each become an
  area with its code, the exception kept as a note; a target naming less than a subdivision
  ("within 20 km of the border", "the Catatumbo region in Norte de Santander", "northern
  Adamawa", "the city of Tumaco") is kept whole as a named place with its level, never
  promoted to the subdivision it mentions. "all of X Department" is always the whole of X.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from riskatlas.evidence.areas import country_alpha2, normalise
from riskatlas.extraction.subdivisions import subdivisions_named

KINDS = r"(?:departments?|states?|count(?:y|ies)|provinces?|regions?|oblasts?|prefectures?)"
CUT_WORDS = re.compile(
    r"\s*(?:,\s*)?\b(?:due to|for any (?:reason|purpose)|because of|until further notice"
    r"|where you should)\b",
    re.I,
)
PLURAL_KINDS = r"(?:departments|states|counties|provinces|regions|oblasts|prefectures)"
# "the department of Cauca", "the northwestern states of Kaduna, …" (not "the Ariari region of")
KIND_PREFIX = re.compile(
    rf"^(?:all of\s+)?(?:the\s+)?(?:((?:[\w-]+\s+){{1,2}}){PLURAL_KINDS}|(){KINDS})\s+of\s+", re.I
)
NOT_KIND_WORDS = {"areas", "area", "parts", "part", "within", "some", "border", "of", "other"}
PARTIAL = re.compile(
    r"^(?:and\s+)?(?:within|in|around|near|along|areas?|parts?|some|the area|the part|"
    r"the city|the cities|the town|the towns|the port|city of|cities of|towns? of|"
    r"municipalit\w*)\b|\s(?:in|of|within|north of|south of|east of|west of|bordering)\s",
    re.I,
)
# "northern Adamawa", "western Turkana" (lower case: "West Pokot" is a county's name)
DIRECTION = re.compile(r"^(?:and\s+)?(?:north|south|east|west|central)(?:ern)?\b")
QUALIFIER = re.compile(r"^(?:in|within|the area|along|near|around|north|south|east|west)\b")
INSIDE_EXCEPTION = re.compile(r"where|except|exclud", re.I)
TITLE = re.compile(r"^(?:specified|regional|other)\s+(?:areas?|advisory|risk)\b", re.I)
EXCEPTION_PAREN = re.compile(
    r"\(\s*(?:except|excluding|with the exception of|not including)\b[^)]*\)", re.I
)
EXCEPTION_TAIL = re.compile(
    r"(?:,|\s[-–—])?\s*\b(?:except|excluding|with the exception of)\b.*$", re.I
)
DEICTIC = re.compile(r"^(?:these|this|those|that|such)\b|^the following\b", re.I)
LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
ITEM = re.compile(r"^(\s*)([*+-])\s+(.*)$")
HEADING = re.compile(r"^#{1,6}\s+(.*)$")


@dataclass
class AreaAdvice:
    """One area a government names: a subdivision (``area_code`` set) or a named place."""

    area: str
    level: int
    area_code: str | None = None
    reason: str = ""
    text: str = ""
    note: str = ""
    place: bool = False


@dataclass
class Reading:
    """What one government's pages for one country say, read by rule."""

    level: int | None = None
    text: str = ""
    areas: list[AreaAdvice] = field(default_factory=list)


def clean(text: str) -> str:
    """Markdown to plain text: links to their text, emphasis to spaces, escapes dropped."""
    text = LINK.sub(r"\1", text)
    text = re.sub(r"\[([^\]]*)\]", r"\1", text)
    text = text.replace("**", " ").replace("__", " ").replace("\\", "")
    text = re.sub(r"(?<!\w)[*_`]|[*_`](?!\w)", " ", text)
    return re.sub(r"\s+([.,;:])(?=\s|$)", r"\1", " ".join(text.split()))


def cut(text: str) -> str:
    """The text before its reason ("… due to crime"), outside brackets."""
    for found in CUT_WORDS.finditer(text):
        head = text[: found.start()]
        if head.count("(") <= head.count(")"):
            return head
    return text


def phrase_pattern(phrases: dict[str, int]) -> re.Pattern[str]:
    alternatives = sorted(phrases, key=len, reverse=True)
    return re.compile(
        r"(?:level\s*[1-4]\s*:\s*)?\b(" + "|".join(re.escape(p) for p in alternatives) + r")\b",
        re.I,
    )


def sentences(text: str) -> list[str]:
    """Sentences of a line (not split inside brackets)."""
    masked, groups = _mask(text)
    parts = re.split(r"(?<=[a-z0-9)\]\x03])[.;]\s+(?=[A-Z\[])", masked)
    return [_unmask(p, groups) for p in parts if p.strip()]


class _Matcher:
    """Names to a country's ISO 3166-2 codes by the subdivision resolver, never a longer name
    that merely holds a subdivision's ("Sulu Archipelago" is not Sulu)."""

    def __init__(self, iso3: str, country: str) -> None:
        self.iso3 = iso3
        self.country = normalise(country)
        self.alpha2 = country_alpha2(iso3) or ""

    def codes(self, name: str) -> tuple[str, ...]:
        """The ISO 3166-2 codes of the subdivision ``name`` names whole, by the resolver of
        ``riskatlas.extraction.subdivisions``: its names, other names and misspellings, and its
        context rules ("Zacatecas City" is a town, "the Tana River" a river: no code)."""
        name = name.strip(" ,.;:")
        if not self.alpha2 or not re.sub(r"^(?:all of|the)\s+", "", name, flags=re.I)[:1].isupper():
            return ()
        found = subdivisions_named(name, self.alpha2)
        rest = name
        for mention in reversed(found):
            rest = rest[: mention.start] + rest[mention.end :]
        rest = re.sub(rf"^(?:all of|the)\s+|\b{KINDS}\b|[\s()/,.;:]", "", rest, flags=re.I)
        # The whole name is one subdivision ("Mexico State (Estado de Mexico)", "Norte de
        # Santander departments"), nothing else of it left over.
        if found and not rest and len({m.codes for m in found}) == 1:
            return found[0].codes
        return ()

    def is_country(self, name: str) -> bool:
        name = re.sub(r"^(?:all of|the whole of|the)\s+|\s+overall$", "", name.strip(), flags=re.I)
        return normalise(name) == self.country


def _mask(text: str) -> tuple[str, list[str]]:
    """Bracketed text hidden from splitting: "Cauca (excluding X, Y and Z)" stays one part."""
    groups: list[str] = []

    def hide(found: re.Match[str]) -> str:
        groups.append(found.group(0))
        return f"\x02{len(groups) - 1}\x03"

    return re.sub(r"\([^()]*\)", hide, text), groups


def _unmask(text: str, groups: list[str]) -> str:
    return re.sub("\x02(\\d+)\x03", lambda m: groups[int(m.group(1))], text)


def _chunks(text: str) -> list[str]:
    """A target's parts: split at commas, and at "and"/"or" between names ("West Pokot and
    western Turkana"), not inside a description ("border regions with South Sudan and …")."""
    masked, groups = _mask(text)
    parts: list[str] = []
    for part in re.split(r",\s*(?:and\s+|or\s+)?", masked):
        subs = re.split(r"\s+(?:and|or)\s+", part.strip())
        parts.extend(subs if subs[0][:1].isupper() else [part.strip()])
    return [_unmask(p, groups).strip() for p in parts if p.strip()]


def _paren_names(chunk: str, matcher: _Matcher) -> list[tuple[str, str | None]] | None:
    """ "border counties (Garissa, Wajir, Mandera)": the names in brackets after a kind."""
    found = re.search(rf"\b{KINDS}\s*\(([^)]*)\)\s*$", chunk, re.I)
    if not found:
        return None
    named = [(n, matcher.codes(n)) for n in _chunks(found.group(1))]
    if not named or not all(codes for _n, codes in named):
        return None
    return [(n, code) for n, codes in named for code in codes]


def read_target(
    text: str, level: int, matcher: _Matcher, sentence: str
) -> tuple[bool, list[AreaAdvice]]:
    """(names the whole country?, areas) for one statement's target or one list item."""
    target = re.sub(r"[,;]?\s*\b(?:and|or)$", "", cut(text).strip(" :;.,")).strip(" :;.,")
    inline = re.match(r"the following [\w\s]+:\s*(.+)$", target, re.I)
    if inline:  # "the following regions: Crimea, Luhansk, …"
        target = inline.group(1)
    if not target or DEICTIC.match(target) or TITLE.match(target):
        return False, []
    including = ""
    found = re.search(r",\s*including\b(.*)$", target, re.I)
    if found and not EXCEPTION_PAREN.search(found.group(0)):
        including, target = found.group(1), target[: found.start()]
    later = re.search(r",\s*including\s+(all of\b.*)$", text[len(target) :], re.I)
    if later and not including:  # "… due to …, including all of Mandera and Garissa counties"
        including = later.group(1)
    if matcher.is_country(target):
        return True, _included(including, level, matcher, sentence)
    note = ""
    tail = next(
        (t for t in EXCEPTION_TAIL.finditer(target)
         if target[: t.start()].count("(") <= target[: t.start()].count(")")),
        None,
    )  # fmt: skip
    if tail:
        note, target = target[tail.start() :].strip(" ,-–—"), target[: tail.start()]
    prefix = KIND_PREFIX.match(target)
    if prefix and not set((prefix.group(1) or "").lower().split()) & NOT_KIND_WORDS:
        target = target[prefix.end() :]
    target = re.sub(rf"\b({KINDS})\s+bordering\b.*$", r"\1", target, flags=re.I)
    areas: list[AreaAdvice] = []
    rest: list[str] = []
    for chunk in _chunks(target):
        bare = re.sub(r"^all of\s+", "", re.sub(r"\s*\([^)]*\)", "", chunk), flags=re.I)
        if areas and not rest and QUALIFIER.match(bare):  # "Cesar, in the municipalities of …"
            areas, rest = [], [target]
            break
        if rest or PARTIAL.search(bare) or DIRECTION.match(bare):
            rest.append(chunk)
            continue
        paren = EXCEPTION_PAREN.search(chunk)
        own_note = paren.group(0).strip("() ") if paren else ""
        name = EXCEPTION_PAREN.sub("", chunk).strip()
        # "Mexico City (Ciudad de Mexico)": the name before the brackets will do.
        codes = matcher.codes(name) or matcher.codes(re.sub(r"\s*\([^)]*\)\s*$", "", name))
        named: list[tuple[str, str | None]] = [(name, c) for c in codes]
        named = named or _paren_names(name, matcher) or [(name, None)]
        for area_name, code in named:
            if code:
                area_name = re.sub(rf"^all of\s+|\s+{KINDS}$", "", area_name, flags=re.I)
            areas.append(AreaAdvice(area_name, level, code, text=sentence, note=own_note,
                                    place=code is None))  # fmt: skip
    if rest:
        start = target.find(rest[0])
        whole = target[start:] if areas and start >= 0 else target
        areas.append(AreaAdvice(whole.strip(" ,"), level, None, text=sentence, place=True))
    if note and areas:
        areas[-1].note = "; ".join(n for n in (areas[-1].note, note) if n)
    return False, areas + _included(including, level, matcher, sentence)


def _included(text: str, level: int, matcher: _Matcher, sentence: str) -> list[AreaAdvice]:
    """Subdivisions an "including …" clause names ("including Crimea and the regions of
    Donetsk and Luhansk"); a city there ("the capital Abuja") is no subdivision."""
    if not text.strip() or re.match(r"\s*(?:in\s|the capital|the city|cities)", text, re.I):
        return []
    text = re.sub(r"\b(?:all of|the regions? of|the)\s+", "", text, flags=re.I)
    areas = []
    for chunk in _chunks(re.sub(rf"\s+{KINDS}\b.*$", "", text, flags=re.I)):
        for code in matcher.codes(chunk):
            areas.append(AreaAdvice(chunk, level, code, text=sentence))
    return areas


@dataclass
class _Context:
    """The statement a following list belongs to."""

    level: int
    sentence: str
    exceptions: bool = False
    partial: bool = False
    areas: list[AreaAdvice] = field(default_factory=list)
    listing: bool = False  # a list may follow (the statement ended with ":")
    items: int = 0  # list items read under it


def _statements(
    sentence: str, pattern: re.Pattern[str], phrases: dict[str, int]
) -> list[tuple[int, str, str]]:
    """(level, text before the phrase, text after it) for each statement in a sentence: a
    later phrase inside an exception ("… where you should avoid non-essential travel")
    belongs to the first."""
    matches = [
        m
        for i, m in enumerate(pattern.finditer(sentence))
        if i == 0 or not INSIDE_EXCEPTION.search(sentence[max(0, m.start() - 40) : m.start()])
    ]
    result = []
    for i, m in enumerate(matches):
        start = matches[i - 1].end() if i else 0
        end = matches[i + 1].start() if i + 1 < len(matches) else len(sentence)
        level = phrases[m.group(1).lower()]
        result.append((level, sentence[start : m.start()], sentence[m.end() : end]))
    return result


def read_pages(
    text: str, phrases: dict[str, int], iso3: str, country: str, status_heading: str = ""
) -> Reading:
    """The national level and the areas one government's main pages state for a country."""
    pattern = phrase_pattern(phrases)
    matcher = _Matcher(iso3, country)
    reading = Reading()
    context: _Context | None = None
    last_item: list[AreaAdvice] = []
    list_marker = ""
    status_next = False
    for raw in text.splitlines():
        if not raw.strip():
            continue
        item = ITEM.match(raw)
        heading = HEADING.match(raw.strip())
        line = clean(heading.group(1) if heading else raw)
        if status_next and not heading:
            status_next = False
            found = pattern.fullmatch(line.strip(" .:"))
            if found and reading.level is None:
                reading.level, reading.text = phrases[found.group(1).lower()], line
            continue
        if heading and status_heading and line.lower().startswith(status_heading.lower()):
            status_next = True
            continue
        statement = pattern.search(cut(EXCEPTION_PAREN.sub("", line)))
        if item and context is not None and context.listing and not statement:
            marker, indent = item.group(2), len(item.group(1))
            list_marker = list_marker or marker
            body = clean(item.group(3))
            if marker != list_marker or indent >= 2:
                for area in last_item:
                    area.note = "; ".join(n for n in (area.note, body.rstrip(":")) if n)
                continue
            context.items += 1
            last_item = _list_item(body, context, matcher, reading)
            continue
        list_marker, last_item = "", []
        found = pattern.search(line)
        if not found:
            if heading and not line.endswith(":"):
                context = None
            elif (
                context is not None and line.rstrip(" .").endswith(":")
                and (heading or raw.lstrip().startswith("**") or not context.items)
            ):  # fmt: skip
                # "This area consists of:" under a statement that named its area: its parts
                context.partial = (
                    context.partial
                    or bool(re.match(r"parts\b", line, re.I))
                    or (not context.listing and any(a.place for a in context.areas))
                )
                context.listing = True
            elif not line.rstrip(" .").endswith(":"):
                context = None
            continue
        context = _statement_line(line, bool(heading), pattern, phrases, matcher, reading)
    return _deduplicated(reading)


def _list_item(
    body: str, context: _Context, matcher: _Matcher, reading: Reading
) -> list[AreaAdvice]:
    if len(sentences(body)) > 1:  # prose, not a place
        return []
    sentence = f"{context.sentence} {body}".strip()
    if context.exceptions and not re.match(r"all of\b", body, re.I):
        for area in context.areas:
            area.note = "; ".join(n for n in (area.note, body) if n)
        return []
    if context.partial:
        name = cut(body).strip(" :;.,")
        areas = [AreaAdvice(name, context.level, None, text=sentence, place=True)] if name else []
    else:
        _whole, areas = read_target(body, context.level, matcher, sentence)
    reading.areas.extend(areas)
    return areas


def _statement_line(
    line: str,
    heading: bool,
    pattern: re.Pattern[str],
    phrases: dict[str, int],
    matcher: _Matcher,
    reading: Reading,
) -> _Context | None:
    """Read each statement of a line; the context for a list that may follow it."""
    context = None
    for sentence in sentences(line):
        for level, before, after in _statements(sentence, pattern, phrases):
            dash = re.search(r"^(.*?)\s*[-–—]\s*$", before)
            if dash and dash.group(1).strip():
                whole, areas = read_target(dash.group(1), level, matcher, sentence)
                if heading and not whole:
                    areas = []  # a section title; the sentences under it say where
                context = _Context(level, sentence, areas=areas)
            else:
                whole, areas, context = _after_phrase(after, level, matcher, sentence)
            if whole and reading.level is None:
                reading.level, reading.text = level, sentence
            reading.areas.extend(areas)
    if context is not None and line.rstrip(" .*").endswith(":"):
        context.listing = True
    return context


INTRO_END = re.compile(r"(?:,?\s*\b(except(?: for| the)?|excluding))?\s*:[\s.:]*$", re.I)


def _after_phrase(
    after: str, level: int, matcher: _Matcher, sentence: str
) -> tuple[bool, list[AreaAdvice], _Context]:
    """(whole country?, areas, list context) for the words after a level phrase."""
    after = re.sub(r"^\s*(?:travel\b)?\s*", "", after)
    lead = re.match(r"(?:to|in|on|within|when travel+ing to)\b", after, re.I)
    target = after.strip() if lead else ""
    if not target.lower().startswith("within"):
        target = re.sub(r"^(?:to|in|on|when travel+ing to)\b\s*", "", target, flags=re.I)
    intro = INTRO_END.search(target)
    if intro:
        target = target[: intro.start()]
    whole, areas = read_target(target, level, matcher, sentence) if target else (False, [])
    exceptions = bool(intro and intro.group(1))
    if exceptions and not areas and target.strip():
        areas = [AreaAdvice(cut(target).strip(" ,"), level, text=sentence, place=True)]
    partial = bool(
        intro and not exceptions and target.strip() and not DEICTIC.match(target.strip())
        and not any(a.area_code for a in areas)
    )  # fmt: skip
    return whole, areas, _Context(level, sentence, exceptions, partial, areas, bool(intro))


def _deduplicated(reading: Reading) -> Reading:
    """One row per subdivision (the highest level stated for it; notes joined); places once."""
    seen: dict[str, AreaAdvice] = {}
    areas: list[AreaAdvice] = []
    for area in reading.areas:
        key = area.area_code or f"place:{area.area.lower()}:{area.level}"
        first = seen.get(key)
        if first is None:
            seen[key] = area
            areas.append(area)
        elif area.level > first.level:
            first.level, first.text, first.note = area.level, area.text, area.note
        elif area.level == first.level and area.note and area.note not in first.note:
            first.note = "; ".join(n for n in (first.note, area.note) if n)
    reading.areas = areas
    return reading
