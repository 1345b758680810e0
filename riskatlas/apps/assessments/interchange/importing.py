"""Storing an interchange document in the database, all or nothing.

A document for a new version makes it; for a stored draft it replaces the draft's content;
for a frozen version it becomes a new draft version beside it. While a version is in review,
a changed document is refused (``VersionLockedError``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from riskatlas.apps.accounts.models import Team
from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments.interchange.exporting import content_hash, export_version
from riskatlas.apps.assessments.interchange.metadata import set_metadata
from riskatlas.apps.assessments.interchange.registry import write_parts
from riskatlas.apps.assessments.interchange.updating import update_parts
from riskatlas.apps.assessments.models import (
    Assessment,
    AssessmentVersion,
    Status,
    VersionLockedError,
)
from riskatlas.apps.assessments.summary import store_summary
from riskatlas.document.normalise import normalise

DEFAULT_TEAM = "default"


@dataclass(frozen=True)
class ImportResult:
    assessment: Assessment
    version: AssessmentVersion
    action: str  # created | replaced | unchanged | new-version

    def describe(self) -> str:
        v = self.version
        return {
            "created": f"created {v.assessment.slug} version {v.number} ({v.status})",
            "replaced": f"replaced the content of {v.assessment.slug} version {v.number} "
            f"({v.status})",
            "unchanged": f"{v.assessment.slug} version {v.number} is already up to date; "
            "nothing changed",
            "new-version": f"{v.assessment.slug}: the stored version is frozen, so the changes "
            f"were saved as new draft version {v.number}",
        }[self.action]


class TeamMismatch(ValueError):
    """The assessment exists but belongs to another team."""


def import_document(doc: dict[str, Any], team: Team | None = None) -> ImportResult:
    """Store a valid document (see ``riskatlas.document``); all or nothing.

    A new assessment belongs to ``team`` (default: the team named "default"). Raises
    VersionLockedError when the document changes anything while a version is in review."""
    doc = normalise(doc)
    meta = doc["assessment"]
    digest = content_hash(doc)
    with transaction.atomic():
        assessment = _assessment_for(meta, team)
        wanted = int(meta["version"])
        existing = assessment.versions.filter(number=wanted).first()
        if existing is not None and existing.content_hash == digest:
            return ImportResult(assessment, existing, "unchanged")
        if existing is not None and export_version(existing) == doc:
            return ImportResult(assessment, existing, "unchanged")
        _refuse_in_review(assessment, existing)
        if existing is not None and existing.is_frozen:
            latest = assessment.latest_version()
            number = (latest.number if latest else wanted) + 1
            version = _create_version(assessment, doc, number, Status.DRAFT)
            write_parts(version, doc)
            action = "new-version"
        elif existing is not None:
            version = existing
            set_metadata(version, doc, Status.DRAFT)
            version.save()
            update_parts(version, doc)  # only what differs is written
            action = "replaced"
        else:
            version = _create_version(assessment, doc, wanted, Status.DRAFT)
            write_parts(version, doc)
            action = "created"
        if assessment.country != meta["country"]:
            assessment.country = meta["country"]
            assessment.save()
        # Set the final status last: approving or publishing freezes the version.
        final_status = meta["status"] if action != "new-version" else Status.DRAFT
        version.status = final_status
        stored = export_version(version)
        version.content_hash = content_hash(stored)
        version.save()
        store_summary(version, stored)
        return ImportResult(assessment, version, action)


def _assessment_for(meta: dict[str, Any], team: Team | None) -> Assessment:
    """The assessment the document is a version of: made for ``team`` if new; refused
    (TeamMismatch) if it belongs to another team."""
    owner = team or ensure_team(DEFAULT_TEAM)
    assessment = Assessment.objects.filter(slug=meta["slug"]).first()
    if assessment is None:
        return Assessment.objects.create(slug=meta["slug"], country=meta["country"], team=owner)
    if team is not None and assessment.team_id != team.pk:
        raise TeamMismatch(
            f"assessment {meta['slug']!r} belongs to team {assessment.team.slug!r}, "
            f"not {team.slug!r}"
        )
    return assessment


def _refuse_in_review(assessment: Assessment, existing: AssessmentVersion | None) -> None:
    """A version in review is locked: replacing it, or making another version beside it, would
    change what the reviewers are reading."""
    latest = assessment.latest_version()
    for version in (existing, latest):
        if version is not None and version.status == Status.IN_REVIEW:
            raise VersionLockedError(
                f"{assessment.slug} version {version.number} is in review; an analyst can "
                "withdraw it, or a reviewer return it to draft, before changes are imported"
            )


def _create_version(
    assessment: Assessment, doc: dict[str, Any], number: int, status: str
) -> AssessmentVersion:
    version = AssessmentVersion(assessment=assessment, number=number)
    set_metadata(version, doc, status)
    version.save()
    return version
