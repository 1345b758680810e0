"""Checks the JSON Schema cannot express: references, ISO codes, dates, the matrix.

One checker per section of the interchange document, run in the order of ``SECTION_CHECKS``;
the problems come out in that order (duplicate ids first, then section by section).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from riskatlas.document.problems import Problem
from riskatlas.document.provenance import (
    EVIDENCE_HOLDERS,
    check_judgements,
    list_or_empty,
    section_items,
)
from riskatlas.document.yaml_lines import Path
from riskatlas.geography import is_iso_code
from riskatlas.geography.iso import iso_area, looks_like_iso, neighbours
from riskatlas.method.matrix import Matrix, MatrixError
from riskatlas.method.mitigations import mitigation_library

# The checks run on documents the schema may have refused (so that every problem is reported
# at once): they read every value through these, so a wrong shape is skipped (the schema
# reports it), never a crash.


def _mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def _ids(
    doc: dict[str, Any], key: str, field: str, problems: list[Problem], within: str = ""
) -> set[str]:
    seen: set[str] = set()
    for i, item in section_items(doc, key):
        value = item.get(field)
        if not isinstance(value, str):
            continue
        if value in seen:
            path: Path = (within, key, i, field) if within else (key, i, field)
            where = f"{within}.{key}" if within else key
            problems.append(Problem(path, f"{value!r} is used twice in {where}"))
        seen.add(value)
    return seen


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _not_a_real_date(path: Path, value: Any) -> Iterator[Problem]:
    """A date the schema's pattern lets through but the calendar does not (2009-02-30)."""
    if isinstance(value, str) and len(value) == 10 and _date(value) is None:
        yield Problem(path, f"{value!r} is not a real date")


@dataclass(frozen=True)
class Known:
    """The ids of one kind that a document defines, which other parts may refer to."""

    ids: set[str]
    what: str  # "area": how one is called in a problem
    where: str  # "areas": where they are defined

    def missing(self, path: Path, value: Any) -> Iterator[Problem]:
        """A problem when ``value`` names none of them (with the known ids, if few)."""
        if isinstance(value, str) and value not in self.ids:
            hint = f"; known: {', '.join(sorted(self.ids))}" if 0 < len(self.ids) <= 12 else ""
            yield Problem(path, f"no {self.what} {value!r} in {self.where}{hint}")


@dataclass(frozen=True)
class Names:
    """Everything a document defines that other parts refer to by id or code."""

    sources: Known
    areas: Known
    places: Known
    actors: Known
    risks: Known
    groups: Known
    mitigations: Known  # the document's own and the mitigation library's


def _collect_names(doc: dict[str, Any], problems: list[Problem]) -> Names:
    """The document's ids, adding a problem for each id used twice in its section."""
    exposure = _mapping(doc.get("exposure"))
    sources = _ids(doc, "sources", "id", problems)
    areas = _ids(doc, "areas", "code", problems)
    places = _ids(doc, "places", "id", problems)
    actors = _ids(doc, "actors", "id", problems)
    _ids(doc, "incidents", "id", problems)
    risks = _ids(doc, "risks", "id", problems)
    _ids(doc, "recommendations", "id", problems)
    _ids(doc, "watch_items", "id", problems)
    mitigations = _ids(doc, "mitigations", "code", problems)
    groups = _ids(exposure, "groups", "id", problems, within="exposure")
    return Names(
        sources=Known(sources, "source", "sources"),
        areas=Known(areas, "area", "areas"),
        places=Known(places, "place", "places"),
        actors=Known(actors, "actor", "actors"),
        risks=Known(risks, "risk", "risks"),
        groups=Known(groups, "exposure group", "exposure.groups"),
        mitigations=Known(
            mitigations | {m.code for m in mitigation_library()},
            "mitigation",
            "mitigations or the mitigation library",
        ),
    )


def not_of_country(code: str, country: Any) -> str | None:
    """Why an ISO area is neither the assessed country's nor a bordering country's, or None
    when it is (or either code is unknown: reported on its own). A border area may lie across
    the border (a custom area of Peru's and Bolivia's sides of Lake Titicaca); a Colombian
    department in a Nigeria assessment is a slip."""
    area, home = iso_area(code), iso_area(country) if isinstance(country, str) else None
    if area is None or home is None or not home.is_country:
        return None
    if area.country == home.code or area.country in neighbours(home.code):
        return None
    owner = iso_area(area.country)
    where = owner.name if owner else area.country
    return (
        f"{code!r} is an area of {where}, neither of {home.name} ({home.code}), the country "
        "assessed, nor of a country bordering it"
    )


def check_areas(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """ISO codes must exist and be of the country assessed or one bordering it; custom areas
    need a name and parts made of ISO codes."""
    country = _mapping(doc.get("assessment")).get("country")
    for i, area in section_items(doc, "areas"):
        code = area.get("code")
        if not isinstance(code, str):
            continue
        if looks_like_iso(code):
            if not is_iso_code(code):
                yield Problem(("areas", i, "code"), f"{code!r} is not an ISO 3166 code")
            elif elsewhere := not_of_country(code, country):
                yield Problem(("areas", i, "code"), elsewhere)
            if "parts" in area:
                yield Problem(
                    ("areas", i, "parts"), "only a custom area (lower-case code) has parts"
                )
        else:
            if not area.get("parts"):
                yield Problem(("areas", i), f"custom area {code!r} needs parts (ISO 3166 codes)")
            if not area.get("name"):
                yield Problem(("areas", i), f"custom area {code!r} needs a name")
        for j, part in enumerate(list_or_empty(area.get("parts"))):
            if isinstance(part, str) and looks_like_iso(part) and not is_iso_code(part):
                yield Problem(("areas", i, "parts", j), f"{part!r} is not an ISO 3166 code")
            elif isinstance(part, str) and (elsewhere := not_of_country(part, country)):
                yield Problem(("areas", i, "parts", j), elsewhere)
        if "level" in area and not area.get("level_reason"):
            yield Problem(("areas", i, "level"), "a security level set by hand needs level_reason")
        if "level" in area and area.get("not_assessed_reason"):
            yield Problem(
                ("areas", i, "not_assessed_reason"),
                "an area with a security level set by hand is assessed; leave this out",
            )


def check_assessment(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """The country is an ISO 3166-1 code; dates are real and in order."""
    assessment = _mapping(doc.get("assessment"))
    country = assessment.get("country")
    if isinstance(country, str) and not is_iso_code(country):
        yield Problem(("assessment", "country"), f"{country!r} is not an ISO 3166-1 country code")
    visit = _mapping(assessment.get("field_visit"))
    yield from _not_a_real_date(("assessment", "as_of"), assessment.get("as_of"))
    yield from _not_a_real_date(("assessment", "review_by"), assessment.get("review_by"))
    yield from _not_a_real_date(("assessment", "field_visit", "start"), visit.get("start"))
    yield from _not_a_real_date(("assessment", "field_visit", "end"), visit.get("end"))
    start, end = _date(visit.get("start")), _date(visit.get("end"))
    if start and end and end < start:
        yield Problem(("assessment", "field_visit", "end"), "the visit ends before it starts")
    as_of, review_by = _date(assessment.get("as_of")), _date(assessment.get("review_by"))
    if as_of and review_by and review_by < as_of:
        yield Problem(("assessment", "review_by"), "the review-by date is before the as-of date")


def check_places(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """Each place lies in a listed area."""
    for i, place in section_items(doc, "places"):
        yield from names.areas.missing(("places", i, "area"), place.get("area"))


def check_actors(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """An actor's areas, linked actors and the source of its strength are listed."""
    for i, actor in section_items(doc, "actors"):
        for j, code in enumerate(list_or_empty(actor.get("areas"))):
            yield from names.areas.missing(("actors", i, "areas", j), code)
        for j, link in enumerate(list_or_empty(actor.get("links"))):
            if isinstance(link, dict):
                yield from names.actors.missing(
                    ("actors", i, "links", j, "actor"), link.get("actor")
                )
        strength = _mapping(actor.get("strength"))
        path: Path = ("actors", i, "strength", "source")
        yield from names.sources.missing(path, strength.get("source"))


def check_incidents(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """An incident's place, area and actors are listed; its date is real."""
    for i, incident in section_items(doc, "incidents"):
        yield from names.places.missing(("incidents", i, "place"), incident.get("place"))
        yield from names.areas.missing(("incidents", i, "area"), incident.get("area"))
        for j, actor in enumerate(list_or_empty(incident.get("actors"))):
            yield from names.actors.missing(("incidents", i, "actors", j), actor)
        yield from _not_a_real_date(("incidents", i, "date"), incident.get("date"))


def check_risks(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """A risk's area, exposed groups and measures are listed."""
    for i, risk in section_items(doc, "risks"):
        yield from names.areas.missing(("risks", i, "area"), risk.get("area"))
        for j, group in enumerate(list_or_empty(risk.get("exposed"))):
            yield from names.groups.missing(("risks", i, "exposed", j), group)
        for j, code in enumerate(list_or_empty(risk.get("measures"))):
            yield from names.mitigations.missing(("risks", i, "measures", j), code)


def check_recommendations(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """A recommendation's mitigation, risks and groups are listed."""
    for i, rec in section_items(doc, "recommendations"):
        path: Path = ("recommendations", i, "mitigation")
        yield from names.mitigations.missing(path, rec.get("mitigation"))
        for j, risk_id in enumerate(list_or_empty(rec.get("risks"))):
            yield from names.risks.missing(("recommendations", i, "risks", j), risk_id)
        for j, group in enumerate(list_or_empty(rec.get("applies_to"))):
            yield from names.groups.missing(("recommendations", i, "applies_to", j), group)


def check_watch_items(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """A watch item's areas are listed."""
    for i, item in section_items(doc, "watch_items"):
        for j, code in enumerate(list_or_empty(item.get("areas"))):
            yield from names.areas.missing(("watch_items", i, "areas", j), code)


def check_exposure(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """Sites and route ends are listed places; activities are in listed areas."""
    exposure = _mapping(doc.get("exposure"))
    for i, site in section_items(exposure, "sites"):
        yield from names.places.missing(("exposure", "sites", i, "place"), site.get("place"))
    for i, route in section_items(exposure, "routes"):
        for end in ("from", "to"):
            yield from names.places.missing(("exposure", "routes", i, end), route.get(end))
    for i, activity in section_items(exposure, "activities"):
        for j, code in enumerate(list_or_empty(activity.get("areas"))):
            yield from names.areas.missing(("exposure", "activities", i, "areas", j), code)


def check_dates(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """The days of sources, actors' strength, watch items and official advice exist (the
    schema's pattern lets 2024-02-30 through)."""
    for i, source in section_items(doc, "sources"):
        yield from _not_a_real_date(("sources", i, "date"), source.get("date"))
    for i, actor in section_items(doc, "actors"):
        strength = _mapping(actor.get("strength"))
        yield from _not_a_real_date(("actors", i, "strength", "as_of"), strength.get("as_of"))
    for i, item in section_items(doc, "watch_items"):
        yield from _not_a_real_date(("watch_items", i, "date"), item.get("date"))
    for i, advice in section_items(doc, "official_advice"):
        yield from _not_a_real_date(("official_advice", i, "as_of"), advice.get("as_of"))


def check_threats(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """One threat narrative per category: what a category looks like here is said once."""
    seen: set[Any] = set()
    for i, threat in section_items(doc, "threats"):
        category = threat.get("category")
        if not isinstance(category, str):  # a wrong type is the schema check's to name
            continue
        if category in seen:
            yield Problem(
                ("threats", i, "category"),
                f"{category!r} is described twice in threats: one narrative per category",
            )
        seen.add(category)


def check_evidence(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """Every piece of evidence, in every section that holds some, cites a listed source; a
    judgement names who, when and why."""
    for key in EVIDENCE_HOLDERS:
        for i, item in section_items(doc, key):
            for j, ev in enumerate(list_or_empty(item.get("evidence"))):
                if isinstance(ev, dict):
                    yield from names.sources.missing(
                        (key, i, "evidence", j, "source"), ev.get("source")
                    )
    yield from check_judgements(doc)


def check_matrix(doc: dict[str, Any], names: Names) -> Iterator[Problem]:
    """The matrix is well formed and every risk's rating is on its scales."""
    data = doc.get("matrix")
    if not isinstance(data, dict):
        return
    try:
        matrix = Matrix.from_dict(data)
    except (MatrixError, ValueError, OverflowError) as exc:
        yield Problem(("matrix",), str(exc))
        return
    for i, risk in section_items(doc, "risks"):
        for which in ("inherent", "current", "residual"):
            rating = risk.get(which)
            if isinstance(rating, dict):
                yield from _off_the_matrix(matrix, ("risks", i, which), rating)


def _off_the_matrix(matrix: Matrix, path: Path, rating: dict[str, Any]) -> Iterator[Problem]:
    # Values off the 1-5 scale are the schema's to report; here only those a smaller
    # matrix lacks.
    likelihood, impact = rating.get("likelihood"), rating.get("impact")
    if _on_scale(likelihood) and likelihood not in matrix.likelihood_values:
        yield Problem(
            (*path, "likelihood"),
            f"{likelihood!r} is not on the matrix's likelihood scale "
            f"{list(matrix.likelihood_values)}",
        )
    if _on_scale(impact) and impact not in matrix.impact_values:
        yield Problem(
            (*path, "impact"),
            f"{impact!r} is not on the matrix's impact scale {list(matrix.impact_values)}",
        )


def _on_scale(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


SECTION_CHECKS: tuple[Callable[[dict[str, Any], Names], Iterator[Problem]], ...] = (
    check_areas,
    check_assessment,
    check_places,
    check_actors,
    check_incidents,
    check_risks,
    check_recommendations,
    check_watch_items,
    check_exposure,
    check_threats,
    check_dates,
    check_evidence,
    check_matrix,
)


def check_references(doc: dict[str, Any]) -> list[Problem]:
    """Every problem the schema cannot see: ids used twice, then each section's checks."""
    problems: list[Problem] = []
    if not isinstance(doc, dict):
        return problems
    names = _collect_names(doc, problems)
    for check in SECTION_CHECKS:
        problems.extend(check(doc, names))
    return problems
