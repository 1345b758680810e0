"""Official travel advice recorded in the assessment (section 12, comparison with official
advice): each government's advice with its name and date in words."""

from __future__ import annotations

from typing import Any

from riskatlas.reports.dates import date_text
from riskatlas.reports.exposure import filled

GOVERNMENTS = {
    "US": "United States",
    "UK": "United Kingdom",
    "CA": "Canada",
    "AU": "Australia",
    "IE": "Ireland",
    "other": "Other",
}


def official_advice(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's official advice as the templates read it."""
    return [
        {
            **filled(a, "summary", "url", "as_of"),
            "no_go": list(a.get("no_go") or []),
            "government_name": GOVERNMENTS.get(a["government"], a["government"]),
            "as_of_text": date_text(a.get("as_of")),
        }
        for a in doc.get("official_advice") or []
    ]
