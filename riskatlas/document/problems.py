"""A problem found in a document: where it is (path and line) and what is wrong; the
problems of a file, located; a file checked (``Checked``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from riskatlas.document.yaml_lines import Path, line_of


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    line: int | None = None

    @property
    def field(self) -> str:
        return format_path(self.path)

    def format(self, filename: str) -> str:
        line = self.line if self.line is not None else "?"
        return f"{filename}:{line}: {self.field}: {self.message}"


class DocumentError(ValueError):
    """A document that cannot be used; carries every problem found."""

    def __init__(self, filename: str, problems: list[Problem]) -> None:
        self.filename = filename
        self.problems = problems
        super().__init__("\n".join(p.format(filename) for p in problems))


def located(problems: list[Problem], lines: dict[Path, int]) -> list[Problem]:
    """The problems with the lines of their paths, in line order, each once (the schema and
    the reference checks can report one twice)."""
    found = [Problem(p.path, p.message, line_of(lines, p.path)) for p in problems]
    found.sort(key=lambda p: (p.line or 0, p.field))
    return list(dict.fromkeys(found))


@dataclass
class Checked:
    """A file read and checked: its data and every problem found, none raised."""

    filename: str
    data: Any
    problems: list[Problem] = field(default_factory=list)
    #: The line of each value read from the file, by path (none for data not read from one).
    lines: dict[Path, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def refused(self, problems: list[Problem]) -> DocumentError:
        """The file refused for ``problems`` found in its sound data after the check (say, by
        what is stored), each at the line of its field."""
        return DocumentError(self.filename, located(problems, self.lines))

    def sound(self) -> Any:
        """The data; raises DocumentError listing every problem."""
        if self.problems:
            raise DocumentError(self.filename, self.problems)
        return self.data
