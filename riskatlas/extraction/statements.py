"""Statements an analyst reviews, sentence by sentence: trends, recommendations,
likelihood from estimative language and source-credibility cues."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from riskatlas.extraction.lexicon import alternation, any_of, load_lexicon
from riskatlas.extraction.sentences import Sentence


@cache
def _trend_patterns() -> dict[str, re.Pattern[str]]:
    trends = load_lexicon("statements.yaml")["trends"]
    return {value: any_of(words) for value, words in trends.items()}


@dataclass(frozen=True)
class _Advice:
    requirement: re.Pattern[str]
    recommendation: re.Pattern[str]
    obligation: re.Pattern[str]
    subjects: re.Pattern[str]
    imperative: re.Pattern[str]
    not_advice: re.Pattern[str]


@cache
def _advice() -> _Advice:
    data = load_lexicon("statements.yaml")["recommendations"]

    def compiled(key: str) -> re.Pattern[str]:
        return any_of(data[key])

    return _Advice(
        requirement=compiled("requirement"),
        recommendation=compiled("recommendation"),
        obligation=compiled("obligation"),
        subjects=compiled("subjects"),
        imperative=re.compile(r"^(?:" + alternation(data["imperatives"]) + r")", re.I),
        not_advice=compiled("not_advice"),
    )


@cache
def _not_estimates() -> re.Pattern[str]:
    return any_of(load_lexicon("statements.yaml")["not_estimates"])


@cache
def _credibility_patterns() -> list[tuple[int, re.Pattern[str]]]:
    data = load_lexicon("statements.yaml")["credibility"]
    return [(int(grade), any_of(words)) for grade, words in data.items()]


def _span(sentence: Sentence, match: re.Match[str]) -> dict[str, object]:
    return {"text": match.group(), "start": match.start(), "end": match.end()}


def _sentence(sentence: Sentence, codes: list[str]) -> dict[str, object]:
    return {
        "sentence": {"start": sentence.start, "end": sentence.end},
        "categories": codes,
    }


_WORDS = re.compile(r"[A-Za-z']+")


@cache
def _trend_exceptions() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = load_lexicon("statements.yaml")

    def words(key: str) -> frozenset[str]:
        return frozenset(str(w).lower() for w in data[key])

    return words("not_threat_objects"), words("conditional"), words("not_threat_subjects")


def _not_a_threat_trend(text: str, sentence: Sentence, start: int, end: int) -> bool:
    """True when the cue is about something other than a threat (what follows it, or what
    just precedes it: "the economic situation declining") or only conditional."""
    objects, conditional, subjects = _trend_exceptions()
    after = [w.lower() for w in _WORDS.findall(text[end : sentence.end])[:2]]
    before = [w.lower() for w in _WORDS.findall(text[sentence.start : start])[-6:]]
    return (
        any(w in objects for w in after)
        or any(w in conditional for w in before)
        or any(w in subjects for w in before[-2:])
    )


def find_trends(text: str, sentence: Sentence, codes: list[str]) -> list[dict[str, object]]:
    """Trend cues in a sentence: direction on the method's trend scale, per category."""
    found = []
    for direction, pattern in _trend_patterns().items():
        for match in pattern.finditer(text, sentence.start, sentence.end):
            if _not_a_threat_trend(text, sentence, match.start(), match.end()):
                continue
            found.append(
                {"trend": direction, **_span(sentence, match), **_sentence(sentence, codes)}
            )
    found.sort(key=lambda t: t["start"])  # type: ignore[arg-type, return-value]
    # One reading per span: the longest cue wins ("largely passed" over "passed").
    kept: list[dict[str, object]] = []
    for item in found:
        if kept and item["start"] < kept[-1]["end"]:  # type: ignore[operator]
            continue
        kept.append(item)
    return kept


def find_recommendation(
    text: str, sentence: Sentence, codes: list[str]
) -> dict[str, object] | None:
    """The sentence as a recommendation or required measure, if it is one. A lead-in that
    ends with a colon ("You should:") is not: the list items after it are read one by one."""
    if sentence.text.rstrip().endswith(":"):
        return None
    advice = _advice()
    body = advice.not_advice.sub(lambda m: " " * len(m.group()), sentence.text)
    kind = "requirement"
    cue = advice.requirement.search(body)
    if cue is None:
        kind = "recommendation"
        cue = advice.recommendation.search(body) or advice.imperative.match(body)
    if cue is None:
        obligation = advice.obligation.search(body)
        if obligation and (
            not body[: obligation.start()].strip()
            or advice.subjects.search(body, 0, obligation.start())
        ):
            cue = obligation
    if cue is None:
        return None
    return _recommendation(sentence, codes, body, cue.group(), kind)


def _recommendation(
    sentence: Sentence, codes: list[str], body: str, cue: str, kind: str = "recommendation"
) -> dict[str, object]:
    from riskatlas.extraction.measures import closest_mitigation

    return {
        "kind": kind,
        "text": body,
        "start": sentence.start,
        "end": sentence.end,
        "cue": cue,
        "categories": codes,
        "mitigation": closest_mitigation(body),
    }


def advice_as_recommendation(
    text: str, sentence: Sentence, codes: list[str]
) -> dict[str, object] | None:
    """A sentence the threat reader takes for advice that ``find_recommendation`` does not:
    an imperative after a lead-in clause ("If you fall victim to a kidnapping, follow the
    kidnapper's instructions") or a verb of ``threat_sentences.yaml`` ("Allow extra time")."""
    from riskatlas.extraction.threats import advice_cue, is_reference

    body = sentence.text
    if body.rstrip().endswith(":") or is_reference(text[sentence.start : sentence.end]):
        return None
    cue = advice_cue(body)
    return _recommendation(sentence, codes, body, cue) if cue else None


_MONTH_MAY = re.compile(r"(?<=\S\s)May\b")


def find_likelihood(text: str, sentence: Sentence, codes: list[str]) -> dict[str, object] | None:
    """Estimative language in the sentence, on the method's likelihood scale."""
    from riskatlas.method import likelihood_from_words

    scan = _not_estimates().sub(lambda m: " " * len(m.group()), sentence.text)
    # "May" with a capital inside a sentence is the month ("from November to May").
    scan = _MONTH_MAY.sub("   ", scan)
    term = likelihood_from_words(scan)
    if term is None:
        return None
    pattern = any_of(list(term.words))
    # The phrase the method read: the longest of the term's words, the first among equals.
    matches = list(pattern.finditer(scan))
    if not matches:  # pragma: no cover - the method found the term in this sentence
        return None
    match = max(matches, key=lambda m: (len(m.group()), -m.start()))
    return {
        "likelihood": term.likelihood,
        "probability": list(term.probability),
        "text": match.group(),
        "start": sentence.start + match.start(),
        "end": sentence.start + match.end(),
        **_sentence(sentence, codes),
    }


def find_credibility(text: str, sentence: Sentence) -> list[dict[str, object]]:
    """Source-credibility cues in the sentence, graded 1-6 on the Admiralty scale."""
    from riskatlas.method.grading import credibility_names

    names = credibility_names()
    found: list[dict[str, object]] = []
    for grade, pattern in _credibility_patterns():
        for match in pattern.finditer(text, sentence.start, sentence.end):
            if any(match.start() < f["end"] and f["start"] < match.end() for f in found):  # type: ignore[operator]
                continue
            found.append(
                {
                    "credibility": grade,
                    "credibility_name": names[grade],
                    **_span(sentence, match),
                    "sentence": {"start": sentence.start, "end": sentence.end},
                }
            )
    return sorted(found, key=lambda f: f["start"])  # type: ignore[arg-type, return-value]


#: Each government's level phrases and names, shared with the evidence package's reading of
#: official advice (read as a file: importing that package would load DuckDB).
ADVICE_LEVELS = Path(__file__).resolve().parents[1] / "evidence" / "data" / "advice_levels.yaml"


@cache
def _advice_tables() -> tuple[list[tuple[int, re.Pattern[str]]], dict[str, re.Pattern[str]]]:
    governments = yaml.safe_load(ADVICE_LEVELS.read_text(encoding="utf-8"))["governments"]
    by_level: dict[int, set[str]] = {}
    for government in governments.values():
        for phrase, level in government["phrases"].items():
            by_level.setdefault(int(level), set()).add(str(phrase))
    levels = [(level, any_of(sorted(p))) for level, p in by_level.items()]
    names = {
        str(g["code"]): re.compile(alternation([str(n) for n in g["names"]]))
        for g in governments.values()
    }
    return levels, names


def advice_government(text: str) -> str | None:
    """Whose advice ``text`` is (the interchange code: UK, CA, AU, US, IE), by the names it
    uses most for its government or citizens; None when it names none."""
    counts = {code: len(pattern.findall(text)) for code, pattern in _advice_tables()[1].items()}
    best = max(counts, key=lambda code: counts[code])
    return best if counts[best] else None


def find_advice(
    text: str, sentence: Sentence, places: list[dict[str, object]]
) -> dict[str, object] | None:
    """Official advice in the sentence: its level (4 do not travel … 1 normal precautions),
    the wording, the places below country level it applies to and the countries it names."""
    found = [
        (level, match)
        for level, pattern in _advice_tables()[0]
        for match in pattern.finditer(text, sentence.start, sentence.end)
    ]
    if not found:
        return None
    level, match = max(found, key=lambda f: f[0])  # "all travel" to some, "all but" to others
    where: list[dict[str, object]] = []
    countries: list[str] = []
    for p in places:
        if not sentence.start <= int(p["start"]) < sentence.end:  # type: ignore[call-overload]
            continue
        if p.get("kind") == "country":
            countries.append(str(p["iso_3166"]))
        elif all(w["name"] != p["name"] for w in where):
            where.append({k: p[k] for k in ("text", "name", "iso_3166")})
    return {
        "level": level,
        "text": match.group(),
        "start": match.start(),
        "end": match.end(),
        "places": where,
        # A statement naming no place below country level is about the whole country only
        # when it names the country ("advise against all travel to Haiti").
        "countries": sorted(set(countries)),
        "sentence": {"start": sentence.start, "end": sentence.end},
    }
