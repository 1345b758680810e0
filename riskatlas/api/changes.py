"""Saving a changed risk so its version stays a valid, normalised interchange document.

The change is written, the version exported and checked with the interchange format's own
schema and reference checks; a problem with the changed risk undoes the change (400) and names
the field. Library mitigations the risk now uses are copied into the version (as an import
does), and the version's content hash is brought up to date, so re-importing the old document
is not mistaken for "unchanged".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Max
from rest_framework.exceptions import ValidationError

from riskatlas.api.access import VersionFrozen
from riskatlas.apps.assessments.interchange import content_hash, export_version
from riskatlas.apps.assessments.models import (
    AssessmentVersion,
    FrozenVersionError,
    Mitigation,
    Risk,
)
from riskatlas.document.checks import check_references
from riskatlas.document.schema import check_schema
from riskatlas.method.mitigations import find_mitigation

# Fields of the interchange document's risk → fields of the API's risk.
FIELD_NAMES = {"id": "key"}


def next_position(version: AssessmentVersion) -> int:
    last = Risk.objects.filter(version=version).aggregate(Max("position"))["position__max"]
    return 0 if last is None else last + 1


def save_risk(version: AssessmentVersion, write: Callable[[], Risk]) -> Risk:
    """Run ``write`` (which saves the risk) and check the version; all or nothing."""
    try:
        with transaction.atomic():
            risk = write()
            _copy_library_mitigations(version, risk.measures)
            doc = export_version(version)
            _check(doc, risk.key)
            version.content_hash = content_hash(doc)
            version.save(update_fields=["content_hash"])
    except FrozenVersionError as exc:  # submitted or frozen between the check and the save
        raise VersionFrozen(str(exc)) from exc
    return risk


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


def _check(doc: dict[str, Any], key: str) -> None:
    index = next(i for i, r in enumerate(doc.get("risks") or []) if r["id"] == key)
    errors: dict[str, list[str]] = {}
    for problem in check_schema(doc) + check_references(doc):
        if tuple(problem.path[:2]) != ("risks", index):
            continue  # the rest of the version is not this change's business
        rest = problem.path[2:]
        field = FIELD_NAMES.get(str(rest[0]), str(rest[0])) if rest else "non_field_errors"
        detail = ".".join(str(p) for p in rest[1:])
        errors.setdefault(field, []).append(
            f"{detail}: {problem.message}" if detail else problem.message
        )
    if errors:
        raise ValidationError(errors)
