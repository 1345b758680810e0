"""Saving a changed part so its version stays a valid, normalised interchange document.

The change is written, the version exported and checked with the interchange format's own
schema and reference checks; a problem with the changed part undoes the change (400) and names
the field. Library mitigations a risk now uses are copied into the version (as an import
does), and the version's content hash is brought up to date (after deletions too), so
re-importing the old document is not mistaken for "unchanged".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction
from django.db.models import Max
from rest_framework.exceptions import ValidationError

from riskatlas.api.access import Conflict, VersionFrozen
from riskatlas.apps.assessments.deleting import delete_part
from riskatlas.apps.assessments.interchange import content_hash, export_version
from riskatlas.apps.assessments.models import (
    AssessmentVersion,
    FrozenVersionError,
    Mitigation,
    Risk,
)
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.apps.intelligence.models import Actor, Incident, Source
from riskatlas.document.checks import check_references
from riskatlas.document.schema import check_schema
from riskatlas.method.mitigations import find_mitigation

Part = TypeVar("Part", bound=models.Model)

# Each kind of part: its section of the interchange document, the document's name for its id
# and the model's.
SECTIONS: dict[type[models.Model], tuple[str, str, str]] = {
    Risk: ("risks", "id", "key"),
    Incident: ("incidents", "id", "key"),
    Actor: ("actors", "id", "key"),
    AssessmentArea: ("areas", "code", "code"),
    Source: ("sources", "id", "key"),
}
# Fields of the interchange document → fields of the API's parts.
FIELD_NAMES = {"id": "key", "level": "level_override"}
# Groups of the document whose members are fields of their own in the API.
FLATTENED = {"casualties"}


def next_position(version: AssessmentVersion) -> int:
    last = Risk.objects.filter(version=version).aggregate(Max("position"))["position__max"]
    return 0 if last is None else last + 1


def save_risk(version: AssessmentVersion, write: Callable[[], Risk]) -> Risk:
    """Run ``write`` (which saves the risk) and check the version; all or nothing."""
    return save_part(version, write)


def save_part(version: AssessmentVersion, write: Callable[[], Part]) -> Part:
    """Run ``write`` (which saves a risk, incident, actor, area or source) and check the
    version; all or nothing."""
    try:
        with transaction.atomic():
            part = write()
            if isinstance(part, Risk):
                _copy_library_mitigations(version, part.measures)
            doc = export_version(version)
            _check(doc, part)
            _store_hash(version, doc)
    except FrozenVersionError as exc:  # submitted or frozen between the check and the save
        raise VersionFrozen(str(exc)) from exc
    return part


def remove_part(part: models.Model, evidence_kind: str | None) -> None:
    """Delete ``part`` and its evidence as the editing page does; 409 naming what still
    refers to it."""
    version: AssessmentVersion = part.version
    try:
        with transaction.atomic():
            references = delete_part(part, evidence_kind)
            if not references:
                _store_hash(version, export_version(version))
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


def _store_hash(version: AssessmentVersion, doc: dict[str, Any]) -> None:
    version.content_hash = content_hash(doc)
    version.save(update_fields=["content_hash"])


def _copy_library_mitigations(version: AssessmentVersion, codes: list[str]) -> None:
    present = set(Mitigation.objects.filter(version=version).values_list("code", flat=True))
    last = Mitigation.objects.filter(version=version).aggregate(Max("position"))["position__max"]
    position = 0 if last is None else last + 1
    for code in codes:
        found = find_mitigation(code) if code not in present else None
        if found is None:
            continue  # already in the version, or unknown (the check below says so)
        Mitigation.objects.create(
            version=version,
            position=position,
            code=found.code,
            name=found.name,
            domain=found.domain,
            description=found.description,
            threats=list(found.threats),
        )
        present.add(code)
        position += 1


def _check(doc: dict[str, Any], part: models.Model) -> None:
    section, doc_id, attr = SECTIONS[type(part)]
    value = getattr(part, attr)
    index = next(i for i, item in enumerate(doc.get(section) or []) if item[doc_id] == value)
    errors: dict[str, list[str]] = {}
    for problem in check_schema(doc) + check_references(doc):
        if tuple(problem.path[:2]) != (section, index):
            continue  # the rest of the version is not this change's business
        rest = [str(p) for p in problem.path[2:]]
        if rest and rest[0] in FLATTENED:
            rest = rest[1:]
        field = FIELD_NAMES.get(rest[0], rest[0]) if rest else "non_field_errors"
        detail = ".".join(rest[1:])
        errors.setdefault(field, []).append(
            f"{detail}: {problem.message}" if detail else problem.message
        )
    if errors:
        raise ValidationError(errors)
