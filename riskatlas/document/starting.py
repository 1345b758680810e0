"""A new assessment as an interchange document: the country and the areas ticked (ISO 3166-2
subdivisions, and custom areas made of several of them), the details, and what it starts
with — a team's template (exposure groups, context sections, matrix) or another assessment
(as a template: its matrix, exposure groups, measures and section titles, its risks if
wanted; or a full copy). The document is then checked and stored like any other.
Pure Python."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from riskatlas.geography import iso_area, subdivisions_of
from riskatlas.method._data import load_data
from riskatlas.method.gates import COPIED, TO_WRITE
from riskatlas.method.matrix import Matrix, MatrixError, default_matrix

FORMAT = 1


@dataclass(frozen=True)
class Template:
    """What a team's new assessments start with."""

    exposure_groups: list[dict[str, Any]]
    context: list[dict[str, Any]]
    matrix: dict[str, Any]


def default_template() -> Template:
    """The shipped template: national staff, international staff, drivers; the report's
    context sections; the default 5×5 matrix."""
    data = load_data("team_template.yaml")
    return Template(
        exposure_groups=copy.deepcopy(data["exposure_groups"]),
        context=copy.deepcopy(data["context"]),
        matrix=default_matrix().to_dict(),
    )


@dataclass(frozen=True)
class CustomArea:
    name: str
    parts: tuple[str, ...]

    @property
    def code(self) -> str:
        return slug_of(self.name)


@dataclass
class NewAssessment:
    """What the person starting an assessment gives."""

    slug: str
    title: str
    country: str
    scope: str
    author: str
    as_of: str
    review_by: str = ""
    areas: list[str] = field(default_factory=list)
    custom_areas: list[CustomArea] = field(default_factory=list)
    # The template's context sections, each with what it should cover (publication refuses
    # them until each is written or deleted); without, the draft starts with none.
    with_context: bool = True


class StartProblem(ValueError):
    """What is wrong with a new assessment's details, field by field (nothing was made)."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{k}: {m}" for k, ms in problems.items() for m in ms))


def slug_of(text: str) -> str:
    """``VRAEM (valleys)`` → ``vraem-valleys``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def read_custom_areas(text: str) -> tuple[list[CustomArea], list[str]]:
    """Custom areas written one a line as ``Name: CODE, CODE`` (VRAEM: PE-AYA, PE-CUS), and
    the problems, each naming its line."""
    areas, problems = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, colon, rest = line.partition(":")
        parts = tuple(p.strip().upper() for p in rest.split(",") if p.strip())
        if not colon or not name.strip() or not parts:
            problems.append(f"line {number}: write the name, a colon and its areas' codes")
        elif not slug_of(name):
            problems.append(f"line {number}: the name needs letters or digits")
        else:
            areas.append(CustomArea(name.strip(), parts))
    return areas, problems


def check_new(new: NewAssessment) -> dict[str, list[str]]:
    """The problems with the details, by field; empty when all is well."""
    problems: dict[str, list[str]] = {}

    def say(key: str, message: str) -> None:
        problems.setdefault(key, []).append(message)

    country = iso_area(new.country)
    if country is None or not country.is_country:
        say("country", f"{new.country!r} is not an ISO 3166-1 country code")
        return problems
    subdivisions = {a.code for a in subdivisions_of(new.country)}
    for code in new.areas:
        if code not in subdivisions:
            say("areas", f"{code} is not a subdivision of {country.name}")
    seen = {new.country, *new.areas}
    for area in new.custom_areas:
        if area.code in seen:
            say("custom_areas", f"{area.name}: another area has the id {area.code!r}")
        seen.add(area.code)
        for part in area.parts:
            if part not in subdivisions:
                say("custom_areas", f"{area.name}: {part} is not a subdivision of {country.name}")
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", new.slug):
        say("slug", "lower-case letters, digits and hyphens, e.g. co-2026")
    for key in ("title", "scope", "author"):
        if not getattr(new, key).strip():
            say(key, "This field is required.")
    if new.review_by and new.as_of and new.review_by < new.as_of:
        say("review_by", "the review date is before the as-of date")
    return problems


def _meta(new: NewAssessment) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "slug": new.slug,
        "title": new.title.strip(),
        "country": new.country,
        "version": 1,
        "status": "draft",
        "scope": new.scope.strip(),
        "author": {"name": new.author.strip()},
        "as_of": new.as_of,
    }
    if new.review_by:
        meta["review_by"] = new.review_by
    return meta


def _areas(new: NewAssessment, already: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    out = list(already or [{"code": new.country}])
    have = {a["code"] for a in out}
    for code in new.areas:
        if code not in have:
            out.append({"code": code})
            have.add(code)
    for custom in new.custom_areas:
        if custom.code not in have:
            out.append({"code": custom.code, "name": custom.name, "parts": list(custom.parts)})
            have.add(custom.code)
    return out


def from_template(new: NewAssessment, template: Template) -> dict[str, Any]:
    """A new draft with the template's exposure groups, context sections and matrix."""
    _refuse(new)
    doc: dict[str, Any] = {
        "riskatlas": FORMAT,
        "assessment": _meta(new),
        "matrix": copy.deepcopy(template.matrix),
        "sources": [],
        "areas": _areas(new),
        "risks": [],
    }
    if template.exposure_groups:
        doc["exposure"] = {"groups": copy.deepcopy(template.exposure_groups)}
    if template.context and new.with_context:
        doc["context"] = copy.deepcopy(template.context)
    return doc


def from_assessment(
    new: NewAssessment, source: dict[str, Any], *, full_copy: bool, with_risks: bool = False
) -> dict[str, Any]:
    """A new draft started from another assessment's document ``source``.

    A full copy keeps every part (the country must be the same; the areas ticked are added).
    As a template it keeps the matrix, the exposure groups, the measures and the context
    sections' topics and titles (their text is about the other country: each says so), and,
    when ``with_risks``, the risks (for the whole country, without their evidence)."""
    if full_copy and new.country != source["assessment"]["country"]:
        raise StartProblem({"country": ["a full copy keeps the country of the assessment copied"]})
    _refuse(new)
    if full_copy:
        doc = copy.deepcopy(source)
        doc["assessment"] = {**_kept_meta(source["assessment"]), **_meta(new)}
        doc["areas"] = _areas(new, doc.get("areas"))
        doc.setdefault("sources", [])
        doc.setdefault("risks", [])
        return doc
    was = source["assessment"]
    doc = from_template(
        new,
        Template(
            exposure_groups=copy.deepcopy((source.get("exposure") or {}).get("groups") or []),
            context=[
                {
                    "topic": s["topic"],
                    "title": s["title"],
                    "text": TO_WRITE.format(
                        title=was["title"], country=_country_name(was["country"])
                    ),
                }
                for s in source.get("context") or []
            ],
            matrix=copy.deepcopy(source.get("matrix") or default_matrix().to_dict()),
        ),
    )
    if source.get("mitigations"):
        doc["mitigations"] = copy.deepcopy(source["mitigations"])
    if with_risks:
        doc["risks"] = [
            _risk_for(risk, new.country, was["slug"]) for risk in source.get("risks") or []
        ]
    return doc


def matrix_problems(data: Any) -> list[str]:
    """What is wrong with a matrix given as data (a template's), in words."""
    try:
        Matrix.from_dict(data).check()
    except (MatrixError, KeyError, TypeError, ValueError, AttributeError) as exc:
        return [str(exc) or type(exc).__name__]
    return []


def _risk_for(risk: dict[str, Any], country: str, was: str) -> dict[str, Any]:
    out = {k: copy.deepcopy(v) for k, v in risk.items() if k != "evidence"}
    out["area"] = country
    out["rationale"] = COPIED.format(slug=was) + risk["rationale"]
    return out


def _kept_meta(meta: dict[str, Any]) -> dict[str, Any]:
    keep = ("language", "field_visit", "likelihood_period", "risk_appetite", "summary")
    return {k: meta[k] for k in (*keep, "trend", "trend_note") if k in meta}


def _country_name(code: str) -> str:
    area = iso_area(code)
    return area.name if area else code


def _refuse(new: NewAssessment) -> None:
    problems = check_new(new)
    if problems:
        raise StartProblem(problems)
