"""The published JSON Schema of the interchange format, and checking a document against it."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from riskatlas.document.problems import Problem


@cache
def assessment_schema() -> dict[str, Any]:
    text = (
        resources.files("riskatlas.document")
        .joinpath("schema", "assessment.schema.json")
        .read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(assessment_schema())


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _shown(value: Any) -> str:
    """The value as written in a message, cut short: a long text is not repeated in full."""
    return _cut(repr(value), 60)


def _message(error: ValidationError) -> str:
    v = error.validator
    value = error.instance
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"required field {missing!r} is missing"
    if v == "maximum":
        return f"{_shown(value)} is above the maximum of {error.validator_value}"
    if v == "minimum":
        return f"{_shown(value)} is below the minimum of {error.validator_value}"
    if v == "enum":
        allowed = ", ".join(str(a) for a in cast(list[Any], error.validator_value))
        return f"{_shown(value)} is not one of: {allowed}"
    if v == "type":
        return f"{_shown(value)} should be of type {error.validator_value}"
    if v == "pattern":
        desc = error.schema.get("description") if isinstance(error.schema, dict) else None
        hint = f" ({desc})" if desc else ""
        return f"{_shown(value)} is not in the expected form{hint}"
    if v == "additionalProperties":
        return (
            _cut(error.message, 300)
            .replace("Additional properties are", "unknown field(s)")
            .replace("Additional properties", "unknown field(s)")
        )
    if v == "minItems":
        return f"needs at least {error.validator_value} item(s)"
    if v == "minLength":
        return "must not be empty"
    if v == "const":
        return f"must be {error.validator_value!r}, not {_shown(value)}"
    return _cut(error.message, 300)


def check_schema(data: Any) -> list[Problem]:
    return problems_against(_validator(), data)


def problems_against(validator: Draft202012Validator, data: Any) -> list[Problem]:
    """Every way ``data`` breaks the validator's schema, as problems with a path and a message
    in the users' words (any of the project's published schemas: assessment, trip, policy)."""
    problems = []
    for error in validator.iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "required" and "'" in error.message:
            # Point at the missing field itself; the line will be the parent's.
            path = (*path, error.message.split("'")[1])
        problems.append(Problem(path, _message(error)))
    return problems
