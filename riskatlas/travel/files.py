"""Reading a travel file (a trip or a policy): YAML with line numbers, its JSON Schema, then
the file's own reference checks; every problem located by line and field, none raised."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from riskatlas.document.problems import Checked, Problem, located
from riskatlas.document.schema import problems_against
from riskatlas.document.yaml_lines import YamlSyntaxError, load_with_lines


@cache
def schema(name: str) -> dict[str, Any]:
    """The published JSON Schema ``name`` (``trip`` or ``policy``)."""
    text = resources.files("riskatlas.travel").joinpath("schema", f"{name}.schema.json")
    loaded: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return loaded


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(schema(name))


@dataclass
class FileCheck(Checked):
    """A travel file read and checked: its data and every problem found."""

    def content(self) -> dict[str, Any]:
        """The checked data; raises DocumentError listing every problem."""
        data: dict[str, Any] = self.sound()
        return data


References = Callable[[dict[str, Any]], list[Problem]]


def check_text(text: str, filename: str, schema_name: str, references: References) -> FileCheck:
    """Read YAML ``text`` and check it against the schema, then ``references`` on what is
    sound; problems sorted by line."""
    try:
        data, lines = load_with_lines(text)
    except YamlSyntaxError as exc:
        return FileCheck(filename, None, [Problem((), str(exc), exc.line)])
    if not isinstance(data, dict):
        return FileCheck(filename, data, [Problem((), "the file must be a mapping", 1)])
    problems = problems_against(_validator(schema_name), data)
    if not problems:
        problems = references(data)
    return FileCheck(filename, data, located(problems, lines), lines)


def check_bytes(
    content: bytes, filename: str, schema_name: str, references: References
) -> FileCheck:
    """``check_text`` of an upload's or a file's bytes (UTF-8)."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return FileCheck(filename, None, [Problem((), f"not UTF-8 text: {exc.reason}", line)])
    return check_text(text, filename, schema_name, references)


def check_data(data: Any, filename: str, schema_name: str, references: References) -> FileCheck:
    """A trip or policy already held as data (the web app's, the API's) checked like a file;
    the problems carry paths but no lines."""
    if not isinstance(data, dict):
        return FileCheck(filename, data, [Problem((), "must be a mapping")])
    problems = problems_against(_validator(schema_name), data) or references(data)
    return FileCheck(filename, data, problems)
