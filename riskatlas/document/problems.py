"""A problem found in a document: where it is (path and line) and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

from riskatlas.document.yaml_lines import Path


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
