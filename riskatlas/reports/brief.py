"""The traveller brief: one or two pages for one itinerary, from a trip's check
(``riskatlas.travel.check``) — levels on a small map with the route, the risks that apply to
these travellers worst first, the measures to follow (those the itinerary breaks marked), no-go
areas, the check-in plan and emergency contacts. HTML, PDF and Markdown from the reports'
template family (``templates/html/brief.html.j2``, ``templates/markdown/brief.md.j2``); the PDF
by the reports' engine (``render.print_pdf``: Chromium or WeasyPrint, ``RISKATLAS_PDF_ENGINE``),
in one pass. It has no contents, so Chromium's print needs no page numbers stamped in: its
running footer (page N of M) is the ``@page`` rule's own, which both engines lay out."""

from __future__ import annotations

from typing import Any

from riskatlas.method.levels import security_level
from riskatlas.method.register import worst_first
from riskatlas.reports.area_map import area_map_svg, country_shapes, iso_names, map_features
from riskatlas.reports.areas import area_views
from riskatlas.reports.render import (
    LEVEL_RULES,
    html_environment,
    level_rules,
    markdown_environment,
    markdown_text,
    print_pdf,
    stylesheet,
    tidy_markdown,
)

BRIEF_FORMATS = ("html", "pdf", "md")
TOP_RISKS = 8


def _level(value: int | None) -> dict[str, Any] | None:
    if not value:
        return None
    lv = security_level(value)
    return {"value": lv.value, "name": lv.name, "colour": lv.colour}


def _top_risks(check: Any, result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every risk on the itinerary once, with the segments it applies on and every reason,
    worst residual first (the register's order, as each segment's list: the matrix's level
    before the score, a medium risk of score 5 before a low one of 6), the first
    ``TOP_RISKS``."""
    worst = {
        (r.rated.covering.label, r.risk.id): worst_first(r.risk)
        for seg in check.segments
        for r in seg.risks
    }
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    order: list[tuple[str, str]] = []
    for seg in result["segments"]:
        for risk in seg["risks"]:
            key = (risk["assessment"], risk["id"])
            if key not in merged:
                merged[key] = {**risk, "segments": [], "why": list(risk["why"])}
                order.append(key)
            item = merged[key]
            item["segments"].append(seg["index"])
            item["why"] += [w for w in risk["why"] if w not in item["why"]]
    order.sort(key=lambda k: (worst[k][:-1], -len(merged[k]["why"]), worst[k][-1]))
    risks = [merged[k] for k in order]
    return risks[:TOP_RISKS]


def _route_map(check: Any, result: dict[str, Any]) -> str:
    """The country of the trip's first assessed area, coloured by level, with the route."""
    rated = next((a.rated for s in check.segments for a in s.areas if a.rated), None)
    if rated is None:
        return ""
    doc = rated.covering.doc
    country = doc["assessment"]["country"]
    shapes = country_shapes(country)
    if not shapes:
        return ""
    views = area_views(doc, rated.risks, rated.names)
    features = map_features(views, shapes, country, iso_names(shapes))
    stops = [
        (s["lon"], s["lat"], str(s["index"]))
        for s in result["segments"]
        if s.get("lat") is not None and s.get("lon") is not None
    ]
    return area_map_svg(features, False, "Security level and the route", route=stops)


def _decision(decision: dict[str, Any]) -> dict[str, Any]:
    approvers = [
        {"name": "", "role": "", "phone": "", "email": "", **a}
        for a in decision.get("approvers") or []
    ]
    return {
        "status": "",
        "outcome": "",
        "reason": "",
        "conditions": "",
        "contacts_withheld": False,
        **decision,
        "approvers": approvers,
    }


def _segment(seg: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """A segment for the itinerary table: its level, the areas crossed on the way by name
    ("Ica, Ayacucho", not "PE-ICA, PE-AYA") and the measures it breaks by their names."""
    names = {a["code"]: a.get("name") or a["code"] for a in seg["areas"]}
    measures = {m["id"]: m["name"] for m in result["measures"]}
    return {
        **seg,
        "level_view": _level(seg["level"]),
        "via_names": [names.get(code, code) for code in seg["via"]],
        "breaks": [measures.get(b["measure"], b["measure"]) for b in seg["breaches"]],
    }


def _training_missing(check: Any, result: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Who still needs which course, as people read them: the traveller's name, the course's
    name from the policy (its id when the policy names none)."""
    who = {t["id"]: t["name"] for t in check.trip["travellers"]}
    courses = {c["course"]: c.get("name") or c["course"] for c in result["training"]["required"]}
    return [
        (who.get(key, key), [courses.get(c, c) for c in lacking])
        for key, lacking in (result["training"].get("missing") or {}).items()
    ]


def brief_context(check: Any, decision: dict[str, Any] | None = None) -> dict[str, Any]:
    """The brief's template variables. ``decision``: what the approvers decided, if anything
    (``status``; ``outcome``: approved, refused, cancelled or pending, which the brief tells
    the traveller to travel on or not; a refusal's ``reason``; ``conditions``; ``approvers``:
    [{role, name, email, phone}]; ``contacts_withheld``: the reader may not see some
    travellers' emergency contacts, said as left out rather than missing)."""
    result = check.as_dict()
    contacts = []
    for t in check.trip["travellers"]:
        ec = t.get("emergency_contact")
        if ec:
            contacts.append({"for": t["name"], "phone": "", "relation": "", **ec})
    return {
        "result": result,
        "trip": result["trip"],
        "level": _level(result["level"]),
        "segments": [_segment(s, result) for s in result["segments"]],
        "top_risks": _top_risks(check, result),
        "training_missing": _training_missing(check, result),
        "contacts": contacts,
        "travellers": [{"role": "", **t} for t in check.trip["travellers"]],
        "decision": _decision(decision or {}),
        "route_map": _route_map(check, result),
        "assessments": sorted(
            {
                (a["assessment"], a["review_by"] or "", a["stale"])
                for s in result["segments"]
                for a in s["areas"]
                if a["assessment"]
            }
        ),
    }


def render_brief_html(
    check: Any, decision: dict[str, Any] | None = None, medium: str = "html"
) -> str:
    variables = brief_context(check, decision)
    css = stylesheet("report.css") + "\n" + stylesheet("brief.css") + "\n" + LEVEL_RULES
    variables.update(css=css, medium=medium)
    html = html_environment().get_template("html/brief.html.j2").render(**variables)
    return html.replace(LEVEL_RULES, level_rules(html), 1)


def render_brief_markdown(check: Any, decision: dict[str, Any] | None = None) -> str:
    text = (
        markdown_environment()
        .get_template("markdown/brief.md.j2")
        .render(**brief_context(check, decision))
    )
    return tidy_markdown(markdown_text(text))


def render_brief(check: Any, fmt: str, decision: dict[str, Any] | None = None) -> bytes:
    """The brief in ``fmt`` (html, pdf or md) as bytes."""
    if fmt == "html":
        return render_brief_html(check, decision).encode("utf-8")
    if fmt == "md":
        return render_brief_markdown(check, decision).encode("utf-8")
    if fmt == "pdf":  # the reports' engine (RISKATLAS_PDF_ENGINE), in one pass
        return print_pdf(lambda: render_brief_html(check, decision, "pdf"), in_parts=False)
    raise ValueError(f"brief format must be one of {', '.join(BRIEF_FORMATS)}, not {fmt!r}")
