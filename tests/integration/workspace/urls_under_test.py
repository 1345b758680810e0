"""Every URL of the editing, workflow and audit pages, for authorization walks.

``WORKSPACE_URLS`` lists each route by name with a function that builds its keyword
arguments from an assessment version (draft or frozen, whichever the walk has), the HTTP
method that does the work, and the weakest team role that may use it: ``None`` for pages
that are not about one team (they show each user only their own teams' work). Readers see
published versions only: a "reader" URL of a draft version is 404 for them. A weaker role in
the team gets 403; another team's user gets 404 on every team-bound URL, whatever the method.
Editing URLs answer 409 for a frozen (approved or published) version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from riskatlas.apps.assessments.models import AssessmentVersion, Risk


class WorkspaceUrl(NamedTuple):
    name: str
    kwargs: Callable[[AssessmentVersion], dict[str, Any]]
    method: str
    role: str | None


def _version(v: AssessmentVersion) -> dict[str, Any]:
    return {"slug": v.assessment.slug, "number": v.number}


def _kind(kind: str) -> Callable[[AssessmentVersion], dict[str, Any]]:
    return lambda v: {**_version(v), "kind": kind}


def _risk(v: AssessmentVersion) -> dict[str, Any]:
    risk = Risk.objects.filter(version=v).order_by("position").first()
    assert risk is not None, "the walk needs a version with a risk"
    return {**_version(v), "pk": risk.pk}


WORKSPACE_URLS: list[WorkspaceUrl] = [
    WorkspaceUrl("assessments:workspace", lambda v: {}, "GET", None),
    WorkspaceUrl("assessments:overdue", lambda v: {}, "GET", None),
    WorkspaceUrl("assessments:audit", lambda v: {}, "GET", "admin"),
    WorkspaceUrl("assessments:history", lambda v: {"slug": v.assessment.slug}, "GET", "reader"),
    WorkspaceUrl(
        "assessments:diff",
        lambda v: {"slug": v.assessment.slug, "old": v.number, "new": v.number},
        "GET",
        "reader",
    ),
    WorkspaceUrl(
        "assessments:new_version", lambda v: {"slug": v.assessment.slug}, "POST", "analyst"
    ),
    WorkspaceUrl("assessments:review", _version, "GET", "reader"),
    WorkspaceUrl(
        "assessments:transition", lambda v: {**_version(v), "action": "comment"}, "POST", "analyst"
    ),
    WorkspaceUrl("assessments:edit", _version, "GET", "analyst"),
    WorkspaceUrl("assessments:edit_metadata", _version, "GET", "analyst"),
    WorkspaceUrl("assessments:risk_levels", _version, "GET", "analyst"),
    WorkspaceUrl("assessments:risk_threat", _version, "GET", "analyst"),
    WorkspaceUrl("assessments:risk_measure_choices", _version, "GET", "analyst"),
    WorkspaceUrl("assessments:source_about", _version, "GET", "analyst"),
    WorkspaceUrl("assessments:cite_source", _risk, "GET", "analyst"),
    WorkspaceUrl("assessments:risk_measures", _risk, "GET", "analyst"),
    WorkspaceUrl("assessments:edit_parts", _kind("risks"), "GET", "analyst"),
    WorkspaceUrl("assessments:edit_part_new", _kind("risks"), "GET", "analyst"),
    WorkspaceUrl(
        "assessments:edit_part", lambda v: {**_risk(v), "kind": "risks"}, "GET", "analyst"
    ),
    WorkspaceUrl(
        "assessments:edit_part_delete",
        lambda v: {**_risk(v), "kind": "risks"},
        "GET",
        "analyst",
    ),
]
