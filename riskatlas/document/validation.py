"""Reading and validating an assessment document: YAML syntax, schema, then references."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from riskatlas.document.checks import check_references
from riskatlas.document.normalise import normalise
from riskatlas.document.problems import Checked, Problem, located
from riskatlas.document.provenance import check_quotes, unattributed
from riskatlas.document.schema import check_schema
from riskatlas.document.yaml_lines import MAX_BYTES, YamlSyntaxError, load_with_lines


@dataclass
class Validation(Checked):
    """An assessment document read and checked."""

    def document(self) -> dict[str, Any]:
        """The normalised document; raises DocumentError when there are problems."""
        return normalise(self.sound())


def validate_text(
    text: str,
    filename: str = "<text>",
    *,
    source_texts: Mapping[str, str] | None = None,
    provenance: bool = False,
) -> Validation:
    """Read and check YAML text; every problem is located, none is raised (a file that
    cannot be read as YAML, or that breaks the reading limits, gives one problem).

    ``source_texts`` (source id → the cited document's text) also refuses any quote that
    text does not contain; ``provenance`` also lists what is stated without saying whose it
    is (``riskatlas.document.provenance.unattributed``)."""
    try:
        data, lines = load_with_lines(text)
    except YamlSyntaxError as exc:
        return Validation(filename, None, [Problem((), str(exc), exc.line)])
    if not isinstance(data, dict):
        return Validation(filename, data, [Problem((), "the document must be a mapping", 1)])
    problems = check_schema(data)
    # Reference checks assume the shapes the schema guarantees; run them on what is sound.
    problems += check_references(data)
    if source_texts:
        problems += check_quotes(data, source_texts)
    if provenance:
        problems += unattributed(data)
    return Validation(filename, data, located(problems, lines), lines)


def validate_bytes(content: bytes, filename: str, **options: Any) -> Validation:
    """``validate_text`` of UTF-8 bytes (a file's or an upload's content)."""
    if len(content) > MAX_BYTES:
        line = content[:MAX_BYTES].count(b"\n") + 1
        message = f"larger than {MAX_BYTES // 1024 // 1024} MB; an assessment file is far smaller"
        return Validation(filename, None, [Problem((), message, line)])
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        return Validation(filename, None, [Problem((), f"not UTF-8 text: {exc.reason}", line)])
    return validate_text(text, filename, **options)


def validate_file(path: str | Path, **options: Any) -> Validation:
    """Read and check the file at ``path``; reads no more than the size limit allows
    (``options`` as for ``validate_text``)."""
    try:
        with Path(path).open("rb") as fh:
            content = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        return Validation(str(path), None, [Problem((), f"cannot read: {exc.strerror}", None)])
    return validate_bytes(content, str(path), **options)


def load_document(path: str | Path) -> dict[str, Any]:
    """The normalised document in ``path``; raises DocumentError listing every problem."""
    return validate_file(path).document()
