"""The API's door to the single writer (``apps.assessments.writer``): its refusals in the
API's terms.

A problem with the changed part undoes the change (400) and names the API's field; a version
submitted or frozen meanwhile is a 409; a part still named by others is not deleted (409
naming them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import models
from django.db.models import Max
from rest_framework.exceptions import ValidationError

from riskatlas.api.access import Conflict, VersionFrozen
from riskatlas.apps.assessments import writer
from riskatlas.apps.assessments.models import AssessmentVersion, FrozenVersionError, Risk

Part = TypeVar("Part", bound=models.Model)

# Fields of the interchange document → fields of the API's parts.
FIELD_NAMES = {"id": "key", "level": "level_override"}
# Groups of the document whose members are fields of their own in the API.
FLATTENED = {"casualties"}


def next_position(version: AssessmentVersion) -> int:
    last = Risk.objects.filter(version=version).aggregate(Max("position"))["position__max"]
    return 0 if last is None else last + 1


def save_risk(version: AssessmentVersion, write: Callable[[], Risk]) -> Risk:
    """Run ``write`` (which saves the risk) through the single writer."""
    return save_part(version, write)


def save_part(version: AssessmentVersion, write: Callable[[], Part]) -> Part:
    """Run ``write`` (which saves a risk, incident, actor, area or source) through the single
    writer; all or nothing."""
    try:
        return writer.save_part(version, write)
    except FrozenVersionError as exc:  # submitted or frozen between the check and the save
        raise VersionFrozen(str(exc)) from exc
    except writer.ChangeRefused as exc:
        raise ValidationError(api_errors(exc)) from exc


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
