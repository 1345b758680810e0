"""Every module of riskatlas can be read in one sitting: none over 500 lines, no function or
method over 80 (migrations, written by Django, aside)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "riskatlas"
MODULE_LINES = 500
FUNCTION_LINES = 80


def modules(root: Path = PACKAGE) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "migrations" not in p.relative_to(root).parts)


def too_long(path: Path, root: Path = PACKAGE) -> list[str]:
    """The module and each of its functions that is over the limit, as ``file:name (lines)``."""
    text = path.read_text(encoding="utf-8")
    name = path.relative_to(root.parent).as_posix()
    found = []
    lines = len(text.splitlines())
    if lines > MODULE_LINES:
        found.append(f"{name} ({lines} lines)")
    for node in ast.walk(ast.parse(text, filename=name)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > FUNCTION_LINES:
                found.append(f"{name}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_module_or_function_is_too_long():
    paths = modules()
    assert len(paths) > 150 and not any("migrations" in p.parts for p in paths)
    found = [problem for path in paths for problem in too_long(path)]
    assert found == [], (
        f"over {MODULE_LINES} lines a module or {FUNCTION_LINES} a function:\n" + "\n".join(found)
    )


def test_a_long_function_and_a_long_module_are_named(tmp_path):
    package = tmp_path / "riskatlas"
    (package / "migrations").mkdir(parents=True)
    method = ["class Page:", "    async def draw(self):"]
    method += [f"        x{i} = {i}" for i in range(FUNCTION_LINES)]  # 81 lines with the def
    short = ["def short():", "    return 1"]
    filler = [""] * MODULE_LINES
    (package / "long.py").write_text("\n".join(method + short + filler) + "\n", encoding="utf-8")
    (package / "migrations" / "0001_initial.py").write_text("\n" * 900, encoding="utf-8")
    assert [p.name for p in modules(package)] == ["long.py"]
    assert too_long(package / "long.py", package) == [
        f"riskatlas/long.py ({MODULE_LINES + FUNCTION_LINES + 4} lines)",
        f"riskatlas/long.py:2 draw ({FUNCTION_LINES + 1} lines)",
    ]
