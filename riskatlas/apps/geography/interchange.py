"""Areas and places in the interchange document (``areas``, ``places``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskatlas.apps.assessments.mapping import (
    Item,
    Lookups,
    PartMapper,
    flag,
    many,
    number,
    ref,
    required,
    text,
)
from riskatlas.apps.geography.models import AssessmentArea, Place


@dataclass(frozen=True)
class AreaMapper(PartMapper):
    """Areas: one the document names only by its code (a custom area normalising could not
    name) is stored with its code as its name."""

    def values(self, item: Item, lookups: Lookups) -> dict[str, Any]:
        values = super().values(item, lookups)
        values["name"] = item.get("name", item["code"])
        return values


AREAS = AreaMapper(
    section=("areas",),
    model=AssessmentArea,
    id_attr="code",
    evidence_kind="area",
    fields=(
        required("code"),
        text("name"),
        many("parts"),
        text("description"),
        flag("hot_spot"),
        flag("no_go"),
        number("level", "level_override"),
        text("level_reason"),
        text("not_assessed_reason"),
    ),
)

PLACES = PartMapper(
    section=("places",),
    model=Place,
    id_attr="key",
    evidence_kind="place",
    fields=(
        required("id", "key"),
        required("name"),
        text("kind"),
        many("spellings"),
        ref("area", table="areas", required=True),
        number("lat"),
        number("lon"),
        text("description"),
    ),
)
