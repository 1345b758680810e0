"""The publication gates and four eyes, for a stored version about to be approved or published.

The gates are the method's (``riskatlas.method.gates``, data in
``method/data/publication_gates.yaml``), run on the version's exported document, less those
the team switched off (``Team.gates_off``). Four eyes (``Team.four_eyes``, on by default):
the reviewer approving a version must not be the one who last submitted it for review.
``workflow`` refuses a step with every reason at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import (
    AssessmentVersion,
    ContextSection,
    ReviewComment,
    Risk,
)
from riskatlas.apps.assessments.models.templates import template_of
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.document.starting import default_template
from riskatlas.method.gates import is_guidance, refusals

SELF_APPROVAL = "you submitted this version: another reviewer must approve it"


def submitter_id(version: AssessmentVersion) -> int | None:
    """The user who last submitted the version for review (None if nobody signed in did)."""
    last = (
        ReviewComment.objects.filter(version=version, step=ReviewComment.Step.SUBMITTED)
        .order_by("-created_at", "-id")
        .first()
    )
    return last.author_id if last is not None else None


def guidance_of(team: Any) -> list[str]:
    """The texts a new assessment of ``team`` is given to replace: its template's context
    sections' (and the shipped template's, which its older assessments may have started
    with)."""
    texts = [str(s.get("text") or "") for s in template_of(team).context]
    return texts + [str(s.get("text") or "") for s in default_template().context]


def still_guidance(version: AssessmentVersion) -> set[int]:
    """The context sections of ``version`` (their pks) whose text is still the guidance it
    started with, as the guidance gate finds them: what is left to write."""
    guidance = guidance_of(version.assessment.team)
    sections = ContextSection.objects.filter(version=version).only("pk", "text")
    return {s.pk for s in sections if is_guidance(s.text, guidance)}


def where_put_right(version: AssessmentVersion, reason: str, back: str = "") -> str:
    """The editor's page where a gate's ``reason`` (``method.gates.Reason``) is put right: the
    details' field, the context section, the area or the risk it names; "" for a reason of
    no part (four eyes) or a part no longer there. With ``back`` (the page the reason is
    read on), saving there returns to it (``next``)."""
    url = _where(version, reason)
    if not url or not back:
        return url
    path, hash_, field = url.partition("#")
    return f"{path}?{urlencode({'next': back})}{hash_}{field}"


def _where(version: AssessmentVersion, reason: str) -> str:
    section, key = getattr(reason, "section", ""), getattr(reason, "key", "")
    where = {"slug": version.assessment.slug, "number": version.number}
    part: Any = None
    if section == "details":
        return reverse("assessments:edit_metadata", kwargs=where) + f"#id_{key}"
    if section == "context" and key.isdigit():
        sections = ContextSection.objects.filter(version=version).order_by("position", "pk")
        part = sections[int(key) - 1 : int(key)].first()
    elif section == "areas" and not key:  # the country, which has no area of its own
        return reverse("assessments:edit_parts", kwargs={**where, "kind": "areas"})
    elif section == "areas":
        part = AssessmentArea.objects.filter(version=version, code=key).first()
    elif section == "risks":
        part = Risk.objects.filter(version=version, key=key).first()
    if part is None:
        return ""
    return reverse("assessments:edit_part", kwargs={**where, "kind": section, "pk": part.pk})


def step_refusals(
    version: AssessmentVersion, user: Any, step: str, today: dt.date | None = None
) -> list[str]:
    """Why ``user`` may not ``step`` ("approve" or "publish") ``version`` now; [] if they may."""
    team = version.assessment.team
    off = {str(code) for code in team.gates_off or []}
    reasons = refusals(
        export_version(version), step, today=today, off=off, guidance=guidance_of(team)
    )
    if step == "approve" and team.four_eyes:
        submitter = submitter_id(version)
        if submitter is not None and submitter == getattr(user, "pk", None):
            reasons.append(SELF_APPROVAL)
    return reasons
