"""The API's door to the single writer (``apps.assessments.writer``): its refusals in the
API's terms.

A problem with the changed part undoes the change (400) and names the API's field; a version
submitted or frozen meanwhile is a 409; a part still named by others is not deleted (409
naming them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models
from django.db.models import Max
from rest_framework.exceptions import ValidationError

from riskatlas.api.access import Conflict, VersionFrozen
from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.models import AssessmentVersion, FrozenVersionError, Risk
from riskatlas.apps.assessments.revisions import Seen, revision

Part = TypeVar("Part", bound=models.Model)

# Fields of the interchange document → fields of the API's parts.
FIELD_NAMES = {"id": "key", "level": "level_override"}
# Groups of the document whose members are fields of their own in the API.
FLATTENED = {"casualties"}


def next_position(version: AssessmentVersion) -> int:
    last = Risk.objects.filter(version=version).aggregate(Max("position"))["position__max"]
    return 0 if last is None else last + 1


def save_risk(
    version: AssessmentVersion, write: Callable[[], Risk], seen: Seen | None = None
) -> Risk:
    """Run ``write`` (which saves the risk) through the single writer."""
    return save_part(version, write, seen)


def save_part(
    version: AssessmentVersion, write: Callable[[], Part], seen: Seen | None = None
) -> Part:
    """Run ``write`` (which saves a risk, incident, actor, area or source) through the single
    writer; all or nothing. With ``seen`` (from If-Match), a part changed since raises
    ``EditedMeanwhile`` for the view to answer 409 with both values."""
    try:
        return writer.save_part(version, write, seen=seen)
    except FrozenVersionError as exc:  # submitted or frozen between the check and the save
        raise VersionFrozen(str(exc)) from exc
    except writer.ChangeRefused as exc:
        raise ValidationError(api_errors(exc)) from exc


def etag(part: models.Model) -> str:
    """The part's revision as an HTTP entity tag."""
    return f'"{revision(part)}"'


def if_match_tags(request: Any) -> list[str] | None:
    """The entity tags of the request's If-Match header (None without one, or with ``*``,
    which matches anything stored)."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    return [t.strip().removeprefix("W/").strip('"') for t in header.split(",")]


def if_match(request: Any, part: models.Model) -> Seen | None:
    """What the client saw of ``part``, from its If-Match header (None without one; ``*``
    matches any stored part)."""
    tags = if_match_tags(request)
    if tags is None:
        return None
    current = revision(part)
    return Seen(part, current if current in tags else tags[0])


def remove_part(part: models.Model, evidence_kind: str | None) -> None:
    """Delete ``part`` and its evidence as the editing page does; 409 naming what still
    refers to it."""
    try:
        references = writer.remove_part(part, evidence_kind)
    except FrozenVersionError as exc:
        raise VersionFrozen(str(exc)) from exc
    if references:
        raise Conflict(
            {
                "detail": f"{part} is still used by {', '.join(references)}; "
                "change or delete those first",
                "references": references,
            }
        )


def api_errors(refused: writer.ChangeRefused) -> dict[str, list[str]]:
    """The refusal's messages under the API's field names."""
    errors: dict[str, list[str]] = {}
    for problem in refused.problems:
        rest = [str(p) for p in problem.path]
        if rest and rest[0] in FLATTENED:
            rest = rest[1:]
        field = FIELD_NAMES.get(rest[0], rest[0]) if rest else "non_field_errors"
        detail = ".".join(rest[1:])
        errors.setdefault(field, []).append(
            f"{detail}: {problem.message}" if detail else problem.message
        )
    return errors
