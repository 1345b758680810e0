"""When official advice was given, and whether it is too old to rely on.

The date is read from the page where it says ("Travel Advisory April 17, 2025", the FCDO's
"Updated: 18 August 2026"), else from the scraper's ``info.json`` beside the pages. Advice
older than ``$RISKATLAS_ADVICE_MAX_AGE_DAYS`` (default 365) is flagged, and so is undated
advice: nobody can tell whether it is current.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime
from typing import Any

DEFAULT_MAX_AGE_DAYS = 365


DATE_PATTERNS = (
    re.compile(r"Travel Advisory\s+([A-Z][a-z]+\s+\d{1,2},\s+\d{4})"),  # US: April 17, 2025
    re.compile(r"^Updated:\s*\n:\s*(\d{1,2}\s+[A-Z][a-z]+\s+\d{4})", re.M),  # UK: 18 August 2026
)
INFO_DATE_KEYS = ("update_date_advisory", "update_date", "last_updated")


def advice_date(text: str, info: dict[str, Any] | None = None) -> str | None:
    """The advice's date (ISO) as its page states it, else as the scraper's info.json beside
    the pages records it; None when neither says."""
    for pattern in DATE_PATTERNS:
        found = pattern.search(text)
        if found:
            words = " ".join(found.group(1).replace(",", "").split())
            for form in ("%B %d %Y", "%d %B %Y"):
                try:
                    return datetime.strptime(words, form).date().isoformat()
                except ValueError:
                    continue
    for key in INFO_DATE_KEYS:
        value = str((info or {}).get(key) or "")
        if re.match(r"\d{4}-\d{2}-\d{2}", value):
            return value[:10]
    return None


def advice_max_age_days() -> int:
    """How old official advice may be before it is flagged: ``$RISKATLAS_ADVICE_MAX_AGE_DAYS``
    (whole days, default 365)."""
    raw = os.environ.get("RISKATLAS_ADVICE_MAX_AGE_DAYS", "").strip()
    if not raw:
        return DEFAULT_MAX_AGE_DAYS
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(
            f"RISKATLAS_ADVICE_MAX_AGE_DAYS must be a whole number of days, not {raw!r}"
        )
    return int(raw)


def advice_age(updated: str | None, today: date, max_age_days: int) -> dict[str, Any]:
    """{"date", "age_days", "stale"} for advice dated ``updated`` (ISO); undated advice is
    flagged too: nobody can tell whether it is current."""
    try:
        when = date.fromisoformat(str(updated)[:10]) if updated else None
    except ValueError:
        when = None
    age = (today - when).days if when else None
    return {"date": when.isoformat() if when else None, "age_days": age,
            "stale": age is None or age > max_age_days, "max_age_days": max_age_days}  # fmt: skip
