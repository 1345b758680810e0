"""Reading a report into a version from outside the web pages: the Django half of
``riskatlas extract FILE --into ASSESSMENT`` (the command, in ``riskatlas/commands/extract.py``,
starts Django and prints; this does the work)."""

from __future__ import annotations

from dataclasses import dataclass

from riskatlas.apps.drafts import services
from riskatlas.apps.drafts.links import review_url


@dataclass(frozen=True)
class ReadReport:
    """A report read into a version: where, its title, what it proposes, where to review it.
    ``already_read``: the same text was read into the version before; nothing was added."""

    slug: str
    version: int
    title: str
    counts: dict[str, int]
    review_url: str
    already_read: bool = False

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def read_report(ref: str, title: str, text: str, use_model: bool = True) -> ReadReport:
    """Store the report and its proposed items in the version ``ref`` (slug or slug@N).

    Raises AssessmentNotFound for an unknown assessment and FrozenVersionError for a version
    in review or frozen."""
    version = services.editable_version(ref)
    document = services.read_into(version, title, text, use_model=use_model)
    already_read = bool(getattr(document, "already_read", False))
    return ReadReport(
        slug=version.assessment.slug,
        version=version.number,
        title=document.title,
        counts={} if already_read else services.counts(document),
        review_url=review_url(document),
        already_read=already_read,
    )
