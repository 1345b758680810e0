"""A version's own fields (title, scope, author, dates…) as the document's ``assessment``."""

from __future__ import annotations

from typing import Any

from riskatlas.apps.assessments.mapping import compact, to_date, to_iso
from riskatlas.apps.assessments.models import AssessmentVersion


def set_metadata(version: AssessmentVersion, doc: dict[str, Any], status: str) -> None:
    """Copy the document's ``assessment`` and ``matrix`` onto ``version``."""
    meta = doc["assessment"]
    visit = meta.get("field_visit") or {}
    author = meta["author"]
    version.status = status
    version.title = meta["title"]
    version.scope = meta["scope"]
    version.language = meta.get("language", "en")
    version.author_name = author["name"]
    version.author_organisation = author.get("organisation", "")
    version.field_visit_start = to_date(visit.get("start"))
    version.field_visit_end = to_date(visit.get("end"))
    version.field_visit_note = visit.get("note", "")
    version.as_of = to_date(meta["as_of"])
    version.review_by = to_date(meta.get("review_by"))
    version.likelihood_period = meta.get("likelihood_period", "")
    version.risk_appetite = meta.get("risk_appetite", "")
    version.provenance = meta.get("provenance", "")
    version.summary = meta.get("summary", "")
    version.trend = meta.get("trend", "")
    version.trend_note = meta.get("trend_note", "")
    version.matrix = doc["matrix"]


def metadata_of(version: AssessmentVersion) -> dict[str, Any]:
    """The document's ``assessment`` for ``version``."""
    v = version
    meta: dict[str, Any] = {
        "slug": v.assessment.slug,
        "title": v.title,
        "country": v.assessment.country,
        **compact({"version": v.number, "status": v.status, "language": v.language}),
        "scope": v.scope,
        "author": {"name": v.author_name, **compact({"organisation": v.author_organisation})},
    }
    if v.field_visit_start and v.field_visit_end:
        meta["field_visit"] = compact(
            {
                "start": to_iso(v.field_visit_start),
                "end": to_iso(v.field_visit_end),
                "note": v.field_visit_note,
            }
        )
    meta["as_of"] = to_iso(v.as_of)
    optional = {
        "review_by": to_iso(v.review_by),
        "likelihood_period": v.likelihood_period,
        "risk_appetite": v.risk_appetite,
        "summary": v.summary,
        "trend": v.trend,
        "trend_note": v.trend_note,
        "provenance": v.provenance,
    }
    return meta | compact(optional)
