"""What an editor saw: a short revision of a stored row, so that a save made from an old form
or an old API read is refused rather than silently undoing someone else's change.

A page form carries the revision of the part it shows (a hidden field); the API sends it as
the ``ETag`` of a part and honours ``If-Match``. The single writer compares it with the
stored row, locked for the rest of the change, before it writes anything
(``EditedMeanwhile``); both values are then shown and nothing is overwritten.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

# Fields that change as a side effect of other changes, not by an editor.
SIDE_EFFECTS = frozenset({"content_hash", "summary_of", "level", "top_risk", "counts"})


def revision(row: models.Model, fields: Sequence[str] | None = None) -> str:
    """A short digest of the row's stored values (of ``fields`` only, when given)."""
    values = {
        f.attname: f.value_from_object(row)
        for f in row._meta.concrete_fields
        if f.attname not in SIDE_EFFECTS and (fields is None or f.name in fields)
    }
    text = json.dumps(values, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Seen:
    """The revision of ``row`` an editor saw (over ``fields``, or every field)."""

    row: models.Model
    revision: str
    fields: Sequence[str] | None = None


class EditedMeanwhile(Exception):
    """Someone saved ``stored`` after the editor read it; nothing was written."""

    def __init__(self, stored: models.Model, seen: Seen) -> None:
        self.stored = stored
        self.seen = seen
        self.current = revision(stored, seen.fields)
        super().__init__(
            f"{stored._meta.verbose_name} “{stored}” was changed by someone else after you "
            "opened it; nothing was saved"
        )


def check_unchanged(seen: Seen) -> None:
    """Lock the stored row for the rest of the transaction and refuse if it has changed."""
    model = type(seen.row)
    stored = model._default_manager.select_for_update().filter(pk=seen.row.pk).first()
    if stored is None:
        return  # deleted meanwhile: the writer's own checks say what that means
    if revision(stored, seen.fields) != seen.revision:
        raise EditedMeanwhile(stored, seen)


def shown(value: Any) -> str:
    """A stored or submitted value as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)
