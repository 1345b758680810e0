"""Staleness: an assessment read after its review-by date may no longer hold.

One rule and one sentence for every place an assessment is read or used (its page, the list,
the report's cover and Markdown, the API): stale when the review-by date is before today.
"""

from __future__ import annotations

import datetime as dt


def _as_date(review_by: dt.date | str | None) -> dt.date | None:
    if review_by is None or review_by == "":
        return None
    if isinstance(review_by, dt.date):
        return review_by
    return dt.date.fromisoformat(review_by)


def review_by_standing(review_by: dt.date | str | None, today: dt.date | None = None) -> str:
    """Where a review-by date stands against today: "unset", "past", "today" or "ahead". The
    one rule for both uses: a version is out of date once it is "past"; approval and
    publication ask for one "ahead" (the publication gate ``review-by``)."""
    date = _as_date(review_by)
    if date is None:
        return "unset"
    today = today or dt.date.today()
    if date < today:
        return "past"
    return "today" if date == today else "ahead"


def is_stale(review_by: dt.date | str | None, today: dt.date | None = None) -> bool:
    """True when the review-by date has passed (a version without one is never stale)."""
    return review_by_standing(review_by, today) == "past"


def stale_warning(review_by: dt.date | str | None, today: dt.date | None = None) -> str:
    """The warning to show beside a stale assessment; "" when it is not stale."""
    if not is_stale(review_by, today):
        return ""
    date = _as_date(review_by)
    assert date is not None
    return (
        f"Out of date: the review-by date {date.isoformat()} has passed. "
        "The situation may have changed since; check before relying on this assessment."
    )


_TO_RENEW = {
    "today": "this date is today; set a later one before submitting",
    "past": "this date has passed; set a new one before submitting",
}


def review_by_to_renew(review_by: dt.date | str | None, today: dt.date | None = None) -> str:
    """What to tell the analyst of a draft whose review-by date approval would refuse (the
    publication gate asks for a date after today): "" when the date is ahead or not set."""
    return _TO_RENEW.get(review_by_standing(review_by, today), "")
