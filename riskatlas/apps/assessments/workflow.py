"""Review and approval: draft → in review → approved → published, and new versions.

Each step checks the user's role in the assessment's team and the version's status, records a
``ReviewComment`` and saves the version. A version in review is locked (its content cannot
change) until an analyst withdraws it or a reviewer returns it to draft; approving freezes it.
Views and the API call these.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404

from riskatlas.apps.accounts.models import Role
from riskatlas.apps.accounts.permissions import can, teams_of
from riskatlas.apps.assessments.gating import step_refusals
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import (
    Assessment,
    AssessmentVersion,
    ReviewComment,
    Status,
)
from riskatlas.apps.assessments.tasks import version_changed
from riskatlas.apps.assessments.writer import import_document

Step = ReviewComment.Step


class WorkflowError(Exception):
    """A step that the version's status does not allow; the message says why."""


class GatesRefused(WorkflowError):
    """Approving or publishing refused by the publication gates or four eyes; ``reasons``
    lists every one, each naming what is missing."""

    def __init__(self, number: int, step: str, reasons: list[str]) -> None:
        self.reasons = reasons
        done = {"approve": "approved", "publish": "published"}[step]
        super().__init__(f"version {number} cannot be {done}: " + "; ".join(reasons))


def require_role(user: Any, team_id: int, role: str) -> None:
    """404 for someone outside the team (its work does not exist for them); 403 for a member
    whose role is too weak."""
    if not can(user, team_id, Role.READER):
        raise Http404("not found")
    if not can(user, team_id, role):
        raise PermissionDenied(f"this needs the {role} role in the team")


def _name(user: Any) -> str:
    return user.get_username() if getattr(user, "is_authenticated", False) else "command line"


def _author(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def add_comment(
    version: AssessmentVersion, user: Any, text: str, step: str = Step.COMMENT
) -> ReviewComment:
    if step == Step.COMMENT:
        require_role(user, version.assessment.team_id, Role.ANALYST)
        if not text.strip():
            raise WorkflowError("write a comment first")
    return ReviewComment.objects.create(
        version=version, author=_author(user), author_name=_name(user), step=step, text=text
    )


def _move(
    version: AssessmentVersion,
    user: Any,
    role: str,
    allowed_from: tuple[str, ...],
    to: str,
    step: str,
    comment: str,
    gate: str = "",
) -> AssessmentVersion:
    """Move ``version`` to ``to``; with ``gate`` ("approve", "publish") only if it passes the
    publication gates and four eyes (``GatesRefused``)."""
    require_role(user, version.assessment.team_id, role)
    with transaction.atomic():
        version = AssessmentVersion.objects.select_for_update().get(pk=version.pk)
        if version.status not in allowed_from:
            wanted = " or ".join(Status(s).label.lower() for s in allowed_from)
            raise WorkflowError(
                f"version {version.number} is {version.get_status_display().lower()}; "
                f"it must be {wanted} to be {Step(step).label.lower()}"
            )
        if gate:
            reasons = step_refusals(version, user, gate)
            if reasons:
                raise GatesRefused(version.number, gate, reasons)
        version.status = to
        version.save(allow_frozen=True)
        add_comment(version, user, comment.strip(), step)
    return version


def submit_for_review(
    version: AssessmentVersion, user: Any, comment: str = ""
) -> AssessmentVersion:
    """An analyst sends a draft to the reviewers."""
    return _move(
        version, user, Role.ANALYST, (Status.DRAFT,), Status.IN_REVIEW, Step.SUBMITTED, comment
    )


def withdraw(version: AssessmentVersion, user: Any, comment: str = "") -> AssessmentVersion:
    """An analyst takes a version in review back to draft, to change it before review."""
    return _move(
        version, user, Role.ANALYST, (Status.IN_REVIEW,), Status.DRAFT, Step.WITHDRAWN, comment
    )


def return_to_draft(version: AssessmentVersion, user: Any, comment: str) -> AssessmentVersion:
    """A reviewer sends a version in review back to the analysts, saying what to change."""
    if not comment.strip():
        require_role(user, version.assessment.team_id, Role.REVIEWER)
        raise WorkflowError("say what should change before returning the version to draft")
    return _move(
        version, user, Role.REVIEWER, (Status.IN_REVIEW,), Status.DRAFT, Step.RETURNED, comment
    )


def approve(version: AssessmentVersion, user: Any, comment: str = "") -> AssessmentVersion:
    """A reviewer accepts a version in review; from now on it is frozen. Refused unless it
    passes the publication gates, and (four eyes) if the reviewer submitted it."""
    return _move(
        version,
        user,
        Role.REVIEWER,
        (Status.IN_REVIEW,),
        Status.APPROVED,
        Step.APPROVED,
        comment,
        gate="approve",
    )


def publish(version: AssessmentVersion, user: Any, comment: str = "") -> AssessmentVersion:
    """A reviewer or admin makes an approved version the one readers see, if it passes the
    publication gates (checked again: a review-by date may have passed since approval); its
    evidence is computed in the background once the publication commits."""
    published = _move(
        version,
        user,
        Role.REVIEWER,
        (Status.APPROVED,),
        Status.PUBLISHED,
        Step.PUBLISHED,
        comment,
        gate="publish",
    )
    version_changed(published)
    return published


def approve_and_publish(
    version: AssessmentVersion, user: Any, comment: str = ""
) -> AssessmentVersion:
    """A reviewer approves a version in review and publishes it at once: both steps, with
    their gates and four eyes, or neither (the comment goes with the approval)."""
    with transaction.atomic():
        return publish(approve(version, user, comment), user)


def open_version(assessment: Assessment) -> AssessmentVersion | None:
    """The draft or in-review version, if there is one."""
    return (
        assessment.versions.filter(status__in=(Status.DRAFT, Status.IN_REVIEW))
        .order_by("-number")
        .first()
    )


def copied_by_new_version(assessment: Assessment) -> AssessmentVersion | None:
    """The version a new version copies: the latest frozen (approved or published) one."""
    return assessment.versions.filter(frozen_at__isnull=False).order_by("-number").first()


def new_version_copies(version: AssessmentVersion) -> bool:
    """Whether "New version" would now start a draft copy of ``version``: it is the latest
    frozen version and no draft or in-review version is under way."""
    if open_version(version.assessment) is not None:
        return False
    copied = copied_by_new_version(version.assessment)
    return copied is not None and copied.pk == version.pk


def new_version(assessment: Assessment, user: Any) -> AssessmentVersion:
    """Clone the latest frozen version into a new draft numbered after the latest version."""
    require_role(user, assessment.team_id, Role.ANALYST)
    still_open = open_version(assessment)
    if still_open is not None:
        raise WorkflowError(
            f"version {still_open.number} is still {still_open.get_status_display().lower()}; "
            "change that one instead of making another"
        )
    base = copied_by_new_version(assessment)
    if base is None:
        raise WorkflowError(f"{assessment.slug} has no approved or published version to copy")
    latest = assessment.latest_version()
    number = (latest.number if latest else base.number) + 1
    doc = export_version(base)
    doc["assessment"]["version"] = number
    doc["assessment"]["status"] = Status.DRAFT
    with transaction.atomic():
        created = import_document(doc, team=assessment.team).version
        add_comment(created, user, f"Copied from version {base.number}.", Step.NEW_VERSION)
    return created


def overdue_versions(user: Any, today: dt.date | None = None) -> list[AssessmentVersion]:
    """The current version of each of the user's assessments whose review-by date has passed.

    Readers only hear about published versions."""
    today = today or dt.date.today()
    out = []
    teams = teams_of(user)
    for assessment in Assessment.objects.filter(team__in=teams).select_related("team"):
        version = assessment.current_version()
        if version is None or version.review_by is None or version.review_by >= today:
            continue
        if version.status != Status.PUBLISHED and not can(user, assessment.team_id, Role.ANALYST):
            continue
        out.append(version)
    return sorted(out, key=lambda v: (v.review_by, v.assessment.slug))


def versions_for(user: Any, assessment: Assessment) -> QuerySet[AssessmentVersion]:
    """The versions of an assessment that the user may read: all for analysts and above,
    published ones for readers."""
    versions = assessment.versions.order_by("number")
    if not can(user, assessment.team_id, Role.ANALYST):
        versions = versions.filter(status=Status.PUBLISHED)
    return versions
