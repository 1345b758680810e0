"""Where a stored part sits in its version's interchange document, so that the document
checks' problems can be told apart: those of the part a change made, and the rest."""

from __future__ import annotations

from typing import Any

from django.db import models

from riskatlas.apps.assessments.interchange.registry import SECTIONS


def locate(doc: dict[str, Any], part: models.Model) -> tuple[str | int, ...] | None:
    """The path of ``part`` in ``doc`` (``("risks", 3)``): its section, and its rank among the
    version's parts of its kind (the order export writes them in). None for a kind of row that
    is not an item of its own (evidence, actor links)."""
    section = SECTIONS.get(type(part))
    if section is None:
        return None
    version_id = part.version_id  # type: ignore[attr-defined]
    order = list(
        type(part)._default_manager.filter(version_id=version_id).values_list("pk", flat=True)
    )
    if part.pk not in order:
        return None
    return (*section, order.index(part.pk))
