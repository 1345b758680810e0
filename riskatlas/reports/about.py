"""What the report says about the assessment itself: title, author, dates, status (section 1
and the cover)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from riskatlas.geography import iso_area
from riskatlas.method.staleness import stale_warning
from riskatlas.reports.dates import date_text, span_text

STATUS_NAMES = {
    "draft": "draft",
    "in_review": "in review",
    "approved": "approved",
    "published": "published",
}


@dataclass
class Metadata:
    slug: str
    title: str
    country: str
    country_name: str
    scope: str
    author: str
    organisation: str
    as_of: str
    field_visit: str
    field_visit_note: str
    review_by: str
    status: str
    version: int
    likelihood_period: str
    risk_appetite: str
    summary: str
    trend: str
    trend_note: str
    stale_warning: str = ""  # the review-by date has passed (method.staleness)
    provenance: str = ""  # whose is what: the sources' words and the analysts' judgements

    @property
    def marking(self) -> str:
        """The classification-style status line printed on every page."""
        return f"{self.status.upper()} — version {self.version}"


def metadata(doc: dict[str, Any], today: dt.date | None = None) -> Metadata:
    """The assessment's own fields as the report prints them; read on ``today`` (default: the
    day it runs), a passed review-by date gives the stale warning of the cover."""
    a = doc["assessment"]
    visit = a.get("field_visit") or {}
    iso = iso_area(a["country"])
    return Metadata(
        slug=a["slug"],
        title=a["title"],
        country=a["country"],
        country_name=iso.name if iso else a["country"],
        scope=a["scope"],
        author=a["author"]["name"],
        organisation=a["author"].get("organisation", ""),
        as_of=date_text(a["as_of"]),
        field_visit=span_text(visit.get("start"), visit.get("end")),
        field_visit_note=visit.get("note", ""),
        review_by=date_text(a.get("review_by")),
        status=STATUS_NAMES.get(a.get("status", "draft"), a.get("status", "draft")),
        version=int(a.get("version", 1)),
        likelihood_period=a.get("likelihood_period", ""),
        risk_appetite=a.get("risk_appetite", ""),
        provenance=a.get("provenance", ""),
        summary=a.get("summary", ""),
        trend=a.get("trend", ""),
        trend_note=a.get("trend_note", ""),
        stale_warning=stale_warning(a.get("review_by"), today),
    )
