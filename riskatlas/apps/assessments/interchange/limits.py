"""What the database can hold: a document whose text is longer than its column, or whose
count is larger than its integer column, is refused with the field named (as every other
problem of a document), rather than failing inside the import on PostgreSQL (SQLite does not
enforce lengths). The limits are read from the models the part mappers write to."""

from __future__ import annotations

from typing import Any

from django.db import models

from riskatlas.apps.assessments.interchange.registry import PART_MAPPERS, items_in
from riskatlas.apps.assessments.mapping import Field, Group, Ref
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion
from riskatlas.document.problems import Problem

INTEGER_MAXIMA = {
    models.PositiveSmallIntegerField: 32767,
    models.SmallIntegerField: 32767,
    models.PositiveIntegerField: 2147483647,
    models.IntegerField: 2147483647,
    models.PositiveBigIntegerField: 9223372036854775807,
    models.BigIntegerField: 9223372036854775807,
}
# The version's own fields: (path in the document, model, column).
METADATA = (
    (("assessment", "slug"), Assessment, "slug"),
    (("assessment", "title"), AssessmentVersion, "title"),
    (("assessment", "author", "name"), AssessmentVersion, "author_name"),
    (("assessment", "author", "organisation"), AssessmentVersion, "author_organisation"),
    (("assessment", "likelihood_period"), AssessmentVersion, "likelihood_period"),
)


def storage_problems(doc: dict[str, Any]) -> list[Problem]:
    """Every value of ``doc`` too long or too large for its column."""
    problems = []
    for path, model, column in METADATA:
        value: Any = doc
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        problems += _check(path, model._meta.get_field(column), value)
    for mapper in PART_MAPPERS:
        for i, item in enumerate(items_in(doc, mapper.section)):
            if isinstance(item, dict):
                problems += _fields((*mapper.section, i), mapper.model, mapper.fields, item)
    return problems


def _fields(
    path: tuple[Any, ...], model: type[models.Model], fields: tuple[Field, ...], item: Any
) -> list[Problem]:
    problems = []
    for part in fields:
        value = item.get(part.key) if isinstance(item, dict) else None
        if isinstance(part, Group):
            problems += _fields((*path, part.key), model, part.fields, value or {})
        elif not isinstance(part, Ref):
            problems += _check((*path, part.key), model._meta.get_field(part.name), value)
    return problems


def _check(path: tuple[Any, ...], column: Any, value: Any) -> list[Problem]:
    limit = getattr(column, "max_length", None)
    if isinstance(value, str) and limit and len(value) > limit:
        return [Problem(path, f"{len(value):,} characters, over the limit of {limit:,}")]
    if isinstance(value, int) and not isinstance(value, bool):
        most = next((m for kind, m in INTEGER_MAXIMA.items() if isinstance(column, kind)), None)
        if most is not None and value > most:
            return [Problem(path, f"{value} is over the largest number kept here ({most:,})")]
    return []
