"""Every kind of part of the interchange document, read and changed in the document's own
form: ``/api/v1/assessments/{slug}/versions/{number}/parts/{kind}/``.

The kinds are those of the format's JSON Schema (``riskatlas.document.schema``) that the
database maps (``PART_MAPPERS``): each list of the document (``sources``, ``risks``…) and each
list of its ``exposure`` (``exposure-groups``, ``exposure-sites``…). A part is named by its id
in the document (``code`` for areas and measures), or, for kinds without one (context
sections, activities, sites, routes, threat narratives, official advice), by its number in
its list, from 1. Evidence is a list inside the parts it is filed under (``evidence``), so it
is added, changed and removed by changing that part.

A change is the version's document with the one part added, replaced or removed, stored
through the single writer (``writer.import_document``): the whole document is checked, only
the parts that differ are written, and each row written has its audit entry. A body the
description refuses is a 400 naming each field; a part that names what the version does not
have, repeats an id, or is still named by others is a 409 naming the problems.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from riskatlas.api.schema import inlined
from riskatlas.apps.assessments.interchange.registry import PART_MAPPERS
from riskatlas.apps.assessments.interchange.updating import IDENTITY_KEYS
from riskatlas.apps.assessments.mapping import PartMapper
from riskatlas.document.schema import assessment_schema, problems_against


@dataclass(frozen=True)
class DocumentKind:
    """One kind of part: its ``slug`` in addresses, its ``section`` of the document, its
    ``identity`` key (None when parts are numbered) and its mapper."""

    slug: str
    section: tuple[str, ...]
    identity: str | None
    mapper: PartMapper

    @property
    def label(self) -> str:
        return " ".join(self.section).replace("_", " ")

    def item_schema(self) -> dict[str, Any]:
        """The schema of one part, as the format's JSON Schema says (references inlined)."""
        return item_schema(self.section)

    def change_schema(self) -> dict[str, Any]:
        """The body of a replacement: the part without its id (the address names it)."""
        schema = copy.deepcopy(self.item_schema())
        if self.identity is not None:
            schema["properties"].pop(self.identity)
            schema["required"] = [k for k in schema.get("required", []) if k != self.identity]
            if not schema["required"]:
                schema.pop("required")
        return schema


def slug_of(section: tuple[str, ...]) -> str:
    """``("exposure", "groups")`` → ``exposure-groups``; ``("watch_items",)`` →
    ``watch-items``."""
    return "-".join(section).replace("_", "-")


# The version's own details, not lists of parts: its metadata and its matrix (with the
# matrix's levels), changed with the version (the details page, the document).
VERSION_DETAILS = frozenset({"assessment", "matrix"})


def document_sections() -> list[tuple[str, ...]]:
    """Every list of parts the format's schema has: its top-level lists of objects, and the
    lists inside its top-level objects (``exposure``) other than the version's details."""
    schema = assessment_schema()
    found: list[tuple[str, ...]] = []
    for key, node in schema["properties"].items():
        if key in VERSION_DETAILS:
            continue
        node = _resolved(node)
        if node.get("type") == "array" and _resolved(node["items"]).get("type") == "object":
            found.append((key,))
        elif node.get("type") == "object":
            for inner, child in node.get("properties", {}).items():
                child = _resolved(child)
                if child.get("type") == "array" and _resolved(child["items"]).get("type") == (
                    "object"
                ):
                    found.append((key, inner))
    return found


def _identity(mapper: PartMapper) -> str | None:
    for field in mapper.fields:
        if field.key in IDENTITY_KEYS:
            return field.key
    return None


@cache
def document_kinds() -> dict[str, DocumentKind]:
    """The kinds the API serves, by slug, in the document's order."""
    by_section = {mapper.section: mapper for mapper in PART_MAPPERS}
    kinds = {}
    for section in document_sections():
        mapper = by_section.get(section)
        if mapper is not None:
            kinds[slug_of(section)] = DocumentKind(
                slug_of(section), section, _identity(mapper), mapper
            )
    return kinds


def _resolved(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    name = ref.removeprefix("#/$defs/")
    return _resolved(assessment_schema()["$defs"][name])


@cache
def _item_schema(section: tuple[str, ...]) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "object", "properties": assessment_schema()["properties"]}
    for key in section:
        node = _resolved(_resolved(node)["properties"][key])
    # A format is left out: the format's checks do not check it, so the description must
    # not promise it.
    schema: dict[str, Any] = inlined(
        node["items"], assessment_schema()["$defs"], keep_format=False, merge_siblings=False
    )
    return schema


def item_schema(section: tuple[str, ...]) -> dict[str, Any]:
    return copy.deepcopy(_item_schema(section))


def body_problems(schema: dict[str, Any], body: Any) -> dict[str, list[str]]:
    """Where ``body`` breaks ``schema`` (the description's own): field → messages, in the
    format's words."""
    errors: dict[str, list[str]] = {}
    for problem in problems_against(Draft202012Validator(schema), body):
        path = [str(p) for p in problem.path]
        field = path[0] if path else "non_field_errors"
        detail = ".".join(path[1:])
        errors.setdefault(field, []).append(
            f"{detail}: {problem.message}" if detail else problem.message
        )
    return errors
