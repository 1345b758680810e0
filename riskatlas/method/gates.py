"""Publication gates: what a version must hold before it is approved or published.

Which gates exist, what each asks and which workflow steps it applies to is data
(``data/publication_gates.yaml``); the checks are the plain functions below, one per gate
code, each taking the version's normalised interchange document and answering the reasons it
fails (none when it passes). ``refusals`` runs every gate that applies to a step and is not
switched off, and gives every reason at once, each naming what is missing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import cache
from typing import Any

from riskatlas.geography import area_label, iso_area
from riskatlas.method._data import load_data
from riskatlas.method.areas import area_names, level_of, overall_level, parts_of, risks_in
from riskatlas.method.register import RatedRisk, rate_risks
from riskatlas.method.staleness import review_by_standing

STEPS = ("approve", "publish")
GATES_FILE = "publication_gates.yaml"


@dataclass(frozen=True)
class Gate:
    """One publication gate as the data file describes it."""

    code: str
    name: str
    requires: str
    steps: tuple[str, ...]


class Reason(str):
    """A gate's reason in words, which also says what it is about, so that a page can lead to
    where it is put right: ``section`` "details" (``key`` the field), "context" (``key`` the
    section's number, from 1), "areas" (an area's code; "" for the country) or "risks" (a
    risk's id)."""

    section: str
    key: str

    def __new__(cls, text: str, section: str, key: str = "") -> Reason:
        reason = super().__new__(cls, text)
        reason.section, reason.key = section, key
        return reason


def _summary(doc: dict[str, Any], today: dt.date) -> list[str]:
    if (doc["assessment"].get("summary") or "").strip():
        return []
    return [Reason("no executive summary", "details", "summary")]


def _review_by(doc: dict[str, Any], today: dt.date) -> list[str]:
    review_by = doc["assessment"].get("review_by")
    reasons = {
        "unset": "no review-by date",
        "past": f"review-by date {review_by} is past",
        "today": f"review-by date {review_by} is today; it must be in the future",
    }
    standing = review_by_standing(review_by, today)
    return [Reason(reasons[standing], "details", "review_by")] if standing in reasons else []


def _areas_assessed(doc: dict[str, Any], today: dt.date) -> list[str]:
    risks = rate_risks(doc)
    parts = parts_of(doc)
    names = area_names(doc)  # named as readers see them: "Ayacucho (PE-AYA)", "VRAEM"
    out: list[str] = []
    country = doc["assessment"]["country"]
    for area in doc.get("areas") or []:
        code = area["code"]
        level = level_of(area, risks_in(code, risks, parts)).level
        if level is None and not (area.get("not_assessed_reason") or "").strip():
            label = area_label(names[code], code)
            out.append(Reason(f"area {label}: not assessed without a reason", "areas", code))
    if country not in names and overall_level(doc, risks).level is None:
        iso = iso_area(country)
        text = (
            f"country {area_label(iso.name if iso else '', country)}: no overall level (no "
            "country-wide risk), and no area of its own with a level or a reason it is not "
            "assessed"
        )
        out.append(Reason(text, "areas"))
    return out


def risk_named(risk: RatedRisk) -> str:
    """A risk as the gates name it: its number in the register (R1 the worst) and its title,
    as the register shows it: 'risk R2 “Street crime in Lima”'."""
    return f"risk {risk.label} “{risk.title}”"


def _risk_rationale(doc: dict[str, Any], today: dt.date) -> list[str]:
    return [
        Reason(f"{risk_named(risk)} has no rationale", "risks", risk.id)
        for risk in rate_risks(doc)
        if not (risk.rationale or "").strip()
    ]


# What a new assessment is given to replace (``riskatlas.document.starting`` writes them): a
# context section started from another assessment, and a risk copied from one.
TO_WRITE = "To write for this assessment (in {title} this section was about {country})."
COPIED = "Copied from {slug}; to be reassessed here. "
_MARKS = (
    re.compile(r"To write for this assessment \(in .* this section was about .*\)\.", re.S),
    re.compile(r"Copied from [a-z0-9-]+; to be reassessed here\. ", re.S),
)


def _shown(text: str) -> str:
    return text if len(text) <= 60 else text[:59] + "…"


def is_guidance(text: str, guidance: Collection[str] = ()) -> bool:
    """Whether a context section's ``text`` is still the guidance it started with: one of
    ``guidance`` (the team template's "To cover: …") or the note that it is to be written."""
    text = (text or "").strip()
    texts = {t.strip() for t in guidance if t and t.strip()}
    return bool(text) and (text in texts or _MARKS[0].match(text) is not None)


def guidance_left(doc: dict[str, Any], guidance: Collection[str] = ()) -> list[str]:
    """Each part that still holds the guidance a new assessment started with: a context
    section whose text is one of ``guidance`` (the team template's "To cover: …") or says it
    is to be written, a risk whose rationale says it was copied and is to be reassessed (in
    the register's order)."""
    out: list[str] = []
    for number, section in enumerate(doc.get("context") or [], start=1):
        text = (section.get("text") or "").strip()
        if is_guidance(text, guidance):
            said = (
                f"context section {number} “{section.get('title', '')}”: its text is still the "
                f"template's guidance (“{_shown(text)}”); write it or delete the section"
            )
            out.append(Reason(said, "context", str(number)))
    for risk in rate_risks(doc) if doc.get("risks") else []:
        if _MARKS[1].match(risk.rationale):
            said = (
                f"{risk_named(risk)}: its rationale is still the copy's "
                f"(“{_shown(risk.rationale)}”); reassess it here and say why"
            )
            out.append(Reason(said, "risks", risk.id))
    return out


def _guidance(doc: dict[str, Any], today: dt.date) -> list[str]:
    return guidance_left(doc)


Check = Callable[[dict[str, Any], dt.date], list[str]]

CHECKS: dict[str, Check] = {
    "summary": _summary,
    "review-by": _review_by,
    "areas-assessed": _areas_assessed,
    "risk-rationale": _risk_rationale,
    # ``refusals`` gives this one the template's own texts too (``guidance``).
    "guidance": _guidance,
}


def read_gates(data: dict[str, Any], source: str = GATES_FILE) -> tuple[Gate, ...]:
    """The gates of a parsed gates file; a ValueError names the entry and field that is wrong
    (a gate without a check, a step that does not exist, a code given twice)."""
    out: list[Gate] = []
    for index, entry in enumerate((data or {}).get("gates") or [], start=1):
        where = f"{source}: gates[{index}]"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: each gate is a mapping with code, name and steps")
        for field in ("code", "name", "steps"):
            if not entry.get(field):
                raise ValueError(f"{where}: {field} is missing")
        code = str(entry["code"])
        if code not in CHECKS:
            raise ValueError(
                f"{where}: code: no check for gate {code!r} (known: {', '.join(CHECKS)})"
            )
        if any(g.code == code for g in out):
            raise ValueError(f"{where}: code: gate {code!r} is listed twice")
        steps = tuple(str(s) for s in entry["steps"])
        unknown = [s for s in steps if s not in STEPS]
        if unknown:
            raise ValueError(
                f"{where}: steps: {', '.join(unknown)} is not a step (steps: {', '.join(STEPS)})"
            )
        out.append(Gate(code, str(entry["name"]), str(entry.get("requires", "")), steps))
    return tuple(out)


@cache
def publication_gates() -> tuple[Gate, ...]:
    """The gates of the bundled data file."""
    return read_gates(load_data(GATES_FILE))


def refusals(
    doc: dict[str, Any],
    step: str,
    *,
    today: dt.date | None = None,
    off: Collection[str] = (),
    gates: tuple[Gate, ...] | None = None,
    guidance: Collection[str] = (),
) -> list[str]:
    """Every reason the normalised document ``doc`` may not take ``step`` (approve or
    publish), gate by gate in the file's order; gates whose code is in ``off`` are skipped.
    ``guidance``: the texts of the team's template that must not be published as written."""
    if step not in STEPS:
        raise ValueError(f"step must be one of {', '.join(STEPS)}, not {step!r}")
    today = today or dt.date.today()
    out: list[str] = []
    for gate in gates if gates is not None else publication_gates():
        if step in gate.steps and gate.code not in off:
            if gate.code == "guidance":
                out.extend(guidance_left(doc, guidance))
            else:
                out.extend(CHECKS[gate.code](doc, today))
    return out
