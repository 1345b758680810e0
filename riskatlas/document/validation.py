"""Reading and validating an assessment document: YAML syntax, schema, then references."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskatlas.document.checks import check_references
from riskatlas.document.normalise import normalise
from riskatlas.document.problems import DocumentError, Problem
from riskatlas.document.schema import check_schema
from riskatlas.document.yaml_lines import YamlSyntaxError, line_of, load_with_lines


@dataclass
class Validation:
    filename: str
    data: Any
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def document(self) -> dict[str, Any]:
        """The normalised document; raises DocumentError when there are problems."""
        if self.problems:
            raise DocumentError(self.filename, self.problems)
        return normalise(self.data)


def validate_text(text: str, filename: str = "<text>") -> Validation:
    try:
        data, lines = load_with_lines(text)
    except YamlSyntaxError as exc:
        return Validation(filename, None, [Problem((), str(exc), exc.line)])
    if not isinstance(data, dict):
        return Validation(filename, data, [Problem((), "the document must be a mapping", 1)])
    problems = check_schema(data)
    # Reference checks assume the shapes the schema guarantees; run them on what is sound.
    problems += check_references(data)
    located = [Problem(p.path, p.message, line_of(lines, p.path)) for p in problems]
    located.sort(key=lambda p: (p.line or 0, p.field))
    # The same problem can be reported twice (schema and references): keep one.
    unique: list[Problem] = []
    for p in located:
        if p not in unique:
            unique.append(p)
    return Validation(filename, data, unique)


def validate_file(path: str | Path) -> Validation:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return Validation(str(path), None, [Problem((), f"not UTF-8 text: {exc.reason}", None)])
    return validate_text(text, str(path))


def load_document(path: str | Path) -> dict[str, Any]:
    """The normalised document in ``path``; raises DocumentError listing every problem."""
    return validate_file(path).document()
