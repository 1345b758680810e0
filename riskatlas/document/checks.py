"""Checks the JSON Schema cannot express: references, ISO codes, dates, the matrix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from riskatlas.document.problems import Problem
from riskatlas.geography import is_iso_code
from riskatlas.geography.iso import looks_like_iso
from riskatlas.method.matrix import Matrix, MatrixError
from riskatlas.method.mitigations import mitigation_library

EVIDENCE_HOLDERS = (
    "context",
    "actors",
    "incidents",
    "threats",
    "risks",
    "recommendations",
    "watch_items",
)


def _items(doc: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = doc.get(key) or []
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def _ids(doc: dict[str, Any], key: str, field: str, problems: list[Problem]) -> set[str]:
    seen: set[str] = set()
    for i, item in _items(doc, key):
        value = item.get(field)
        if not isinstance(value, str):
            continue
        if value in seen:
            problems.append(Problem((key, i, field), f"{value!r} is used twice in {key}"))
        seen.add(value)
    return seen


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def check_references(doc: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(doc, dict):
        return problems
    exposure = doc.get("exposure") or {}

    source_ids = _ids(doc, "sources", "id", problems)
    area_codes = _ids(doc, "areas", "code", problems)
    place_ids = _ids(doc, "places", "id", problems)
    actor_ids = _ids(doc, "actors", "id", problems)
    _ids(doc, "incidents", "id", problems)
    risk_ids = _ids(doc, "risks", "id", problems)
    _ids(doc, "recommendations", "id", problems)
    _ids(doc, "watch_items", "id", problems)
    doc_mitigations = _ids(doc, "mitigations", "code", problems)
    group_ids = _ids(exposure, "groups", "id", problems) if isinstance(exposure, dict) else set()
    mitigation_codes = doc_mitigations | {m.code for m in mitigation_library()}

    def need(path: tuple[Any, ...], value: Any, known: set[str], what: str, where: str) -> None:
        if isinstance(value, str) and value not in known:
            hint = f"; known: {', '.join(sorted(known))}" if 0 < len(known) <= 12 else ""
            problems.append(Problem(path, f"no {what} {value!r} in {where}{hint}"))

    # Areas: ISO codes must exist; custom areas need parts made of ISO codes.
    for i, area in _items(doc, "areas"):
        code = area.get("code")
        if not isinstance(code, str):
            continue
        if looks_like_iso(code):
            if not is_iso_code(code):
                problems.append(
                    Problem((*("areas", i), "code"), f"{code!r} is not an ISO 3166 code")
                )
            if "parts" in area:
                problems.append(
                    Problem(("areas", i, "parts"), "only a custom area (lower-case code) has parts")
                )
        else:
            if not area.get("parts"):
                problems.append(
                    Problem(("areas", i), f"custom area {code!r} needs parts (ISO 3166 codes)")
                )
            if not area.get("name"):
                problems.append(Problem(("areas", i), f"custom area {code!r} needs a name"))
        for j, part in enumerate(area.get("parts") or []):
            if isinstance(part, str) and looks_like_iso(part) and not is_iso_code(part):
                problems.append(
                    Problem(("areas", i, "parts", j), f"{part!r} is not an ISO 3166 code")
                )
        if "level" in area and not area.get("level_reason"):
            problems.append(
                Problem(("areas", i, "level"), "a security level set by hand needs level_reason")
            )

    country = (doc.get("assessment") or {}).get("country")
    if isinstance(country, str) and not is_iso_code(country):
        problems.append(
            Problem(("assessment", "country"), f"{country!r} is not an ISO 3166-1 country code")
        )

    # Dates that the pattern lets through but the calendar does not.
    assessment = doc.get("assessment") or {}
    visit = assessment.get("field_visit") or {}
    for path, value in (
        (("assessment", "as_of"), assessment.get("as_of")),
        (("assessment", "review_by"), assessment.get("review_by")),
        (("assessment", "field_visit", "start"), visit.get("start")),
        (("assessment", "field_visit", "end"), visit.get("end")),
    ):
        if isinstance(value, str) and len(value) == 10 and _date(value) is None:
            problems.append(Problem(path, f"{value!r} is not a real date"))
    start, end = _date(visit.get("start")), _date(visit.get("end"))
    if start and end and end < start:
        problems.append(
            Problem(("assessment", "field_visit", "end"), "the visit ends before it starts")
        )
    as_of, review_by = _date(assessment.get("as_of")), _date(assessment.get("review_by"))
    if as_of and review_by and review_by < as_of:
        problems.append(
            Problem(("assessment", "review_by"), "the review-by date is before the as-of date")
        )

    for i, place in _items(doc, "places"):
        need(("places", i, "area"), place.get("area"), area_codes, "area", "areas")
    for i, actor in _items(doc, "actors"):
        for j, code in enumerate(actor.get("areas") or []):
            need(("actors", i, "areas", j), code, area_codes, "area", "areas")
        for j, link in enumerate(actor.get("links") or []):
            if isinstance(link, dict):
                need(
                    ("actors", i, "links", j, "actor"),
                    link.get("actor"),
                    actor_ids,
                    "actor",
                    "actors",
                )
        strength = actor.get("strength") or {}
        if isinstance(strength, dict):
            need(
                ("actors", i, "strength", "source"),
                strength.get("source"),
                source_ids,
                "source",
                "sources",
            )
    for i, incident in _items(doc, "incidents"):
        need(("incidents", i, "place"), incident.get("place"), place_ids, "place", "places")
        need(("incidents", i, "area"), incident.get("area"), area_codes, "area", "areas")
        for j, actor in enumerate(incident.get("actors") or []):
            need(("incidents", i, "actors", j), actor, actor_ids, "actor", "actors")
        date = incident.get("date")
        if isinstance(date, str) and len(date) == 10 and _date(date) is None:
            problems.append(Problem(("incidents", i, "date"), f"{date!r} is not a real date"))
    for i, risk in _items(doc, "risks"):
        need(("risks", i, "area"), risk.get("area"), area_codes, "area", "areas")
        for j, group in enumerate(risk.get("exposed") or []):
            need(("risks", i, "exposed", j), group, group_ids, "exposure group", "exposure.groups")
        for j, code in enumerate(risk.get("measures") or []):
            need(
                ("risks", i, "measures", j),
                code,
                mitigation_codes,
                "mitigation",
                "mitigations or the mitigation library",
            )
    for i, rec in _items(doc, "recommendations"):
        need(
            ("recommendations", i, "mitigation"),
            rec.get("mitigation"),
            mitigation_codes,
            "mitigation",
            "mitigations or the mitigation library",
        )
        for j, risk_id in enumerate(rec.get("risks") or []):
            need(("recommendations", i, "risks", j), risk_id, risk_ids, "risk", "risks")
        for j, group in enumerate(rec.get("applies_to") or []):
            need(
                ("recommendations", i, "applies_to", j),
                group,
                group_ids,
                "exposure group",
                "exposure.groups",
            )
    for i, item in _items(doc, "watch_items"):
        for j, code in enumerate(item.get("areas") or []):
            need(("watch_items", i, "areas", j), code, area_codes, "area", "areas")
    if isinstance(exposure, dict):
        for i, site in _items(exposure, "sites"):
            need(("exposure", "sites", i, "place"), site.get("place"), place_ids, "place", "places")
        for i, route in _items(exposure, "routes"):
            for end_field in ("from", "to"):
                need(
                    ("exposure", "routes", i, end_field),
                    route.get(end_field),
                    place_ids,
                    "place",
                    "places",
                )
        for i, activity in _items(exposure, "activities"):
            for j, code in enumerate(activity.get("areas") or []):
                need(("exposure", "activities", i, "areas", j), code, area_codes, "area", "areas")

    for key in EVIDENCE_HOLDERS:
        for i, item in _items(doc, key):
            for j, ev in enumerate(item.get("evidence") or []):
                if isinstance(ev, dict):
                    need(
                        (key, i, "evidence", j, "source"),
                        ev.get("source"),
                        source_ids,
                        "source",
                        "sources",
                    )

    problems.extend(_check_matrix(doc))
    return problems


def _check_matrix(doc: dict[str, Any]) -> list[Problem]:
    data = doc.get("matrix")
    if not isinstance(data, dict):
        return []
    try:
        matrix = Matrix.from_dict(data)
    except (MatrixError, ValueError) as exc:
        return [Problem(("matrix",), str(exc))]
    problems = []
    for i, risk in _items(doc, "risks"):
        for which in ("inherent", "current", "residual"):
            rating = risk.get(which)
            if not isinstance(rating, dict):
                continue
            # Values off the 1-5 scale are the schema's to report; here only those a
            # smaller matrix lacks.
            if _on_scale(rating.get("likelihood")) and (
                rating.get("likelihood") not in matrix.likelihood_values
            ):
                problems.append(
                    Problem(
                        ("risks", i, which, "likelihood"),
                        f"{rating.get('likelihood')!r} is not on the matrix's likelihood scale "
                        f"{list(matrix.likelihood_values)}",
                    )
                )
            if _on_scale(rating.get("impact")) and rating.get("impact") not in matrix.impact_values:
                problems.append(
                    Problem(
                        ("risks", i, which, "impact"),
                        f"{rating.get('impact')!r} is not on the matrix's impact scale "
                        f"{list(matrix.impact_values)}",
                    )
                )
    return problems


def _on_scale(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
