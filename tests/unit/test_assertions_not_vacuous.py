"""No `assert all(...)` in the tests passes on an empty collection by accident (issue 17).

`all()` of nothing is True: `assert all(m.code == "KID" for m in found)` passes when nothing
is found, which is the very bug such a test is for. Every `assert all(x ... for x in ITEMS)`
in tests/ must therefore rest on an earlier assertion about ITEMS in the same test (its length,
its contents, `assert ITEMS`), or on another part of the same `assert ... and ...`, or state
that none of the items has some property (`!=`, `not in`, `is not`, `not ...`), for which an
empty collection is a right answer.

What it cannot see: an earlier assertion that names ITEMS without making it non-empty, and
`for` loops of assertions (most run over constants; those over computed collections were
checked by hand, docs/testing.md).
"""

from __future__ import annotations

import ast
import builtins
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
NAMES_OF_PYTHON = set(dir(builtins))


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id not in NAMES_OF_PYTHON}


def _says_none_has(element: ast.expr) -> bool:
    """`x != y`, `x not in y`, `x is not y`, `not x`: true of every item of nothing, rightly."""
    if isinstance(element, ast.UnaryOp) and isinstance(element.op, ast.Not):
        return True
    return isinstance(element, ast.Compare) and all(
        isinstance(op, (ast.NotEq, ast.NotIn, ast.IsNot)) for op in element.ops
    )


def _all_calls(test: ast.expr) -> list[tuple[ast.GeneratorExp | ast.ListComp, list[ast.expr]]]:
    """Each `all(<comprehension>)` that is the assertion or one part of its `and`, with the
    other parts."""
    parts = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
    found = []
    for i, part in enumerate(parts):
        if (
            isinstance(part, ast.Call)
            and isinstance(part.func, ast.Name)
            and part.func.id == "all"
            and len(part.args) == 1
            and isinstance(part.args[0], (ast.GeneratorExp, ast.ListComp))
        ):
            found.append((part.args[0], parts[:i] + parts[i + 1 :]))
    return found


def vacuous_alls(source: str, name: str = "<test>") -> list[str]:
    """`file:line: assertion` for every `assert all(...)` of ``source`` that would pass on an
    empty collection where nothing shows one is not meant."""
    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        asserts = [n for n in ast.walk(function) if isinstance(n, ast.Assert)]
        for statement in asserts:
            for comprehension, others in _all_calls(statement.test):
                items = _names(comprehension.generators[0].iter)
                if _says_none_has(comprehension.elt) or not items:
                    continue
                if any(_names(other) & items for other in others):
                    continue
                if any(
                    earlier.lineno < statement.lineno and _names(earlier.test) & items
                    for earlier in asserts
                ):
                    continue
                found.append(f"{name}:{statement.lineno}: {ast.unparse(statement)}")
    return found


def test_no_assert_all_passes_on_an_empty_collection_by_accident():
    files = sorted(TESTS.rglob("*.py"))
    assert len(files) > 100
    found = [
        problem
        for path in files
        for problem in vacuous_alls(path.read_text(encoding="utf-8"), str(path.relative_to(TESTS)))
    ]
    assert found == []


def test_the_check_finds_the_weak_assertion_and_accepts_the_fixed_ones():
    weak = """
def test_search():
    found = search(threat="KID")
    assert all("KID" in m.threats for m in found)
"""
    assert vacuous_alls(weak, "t.py") == ["t.py:4: assert all(('KID' in m.threats for m in found))"]
    for fixed in (
        "    assert found\n    assert all('KID' in m.threats for m in found)\n",
        "    assert len(found) == 2 and all('KID' in m.threats for m in found)\n",
        "    assert all(m.code != 'CRM' for m in found)\n",
        "    assert all('KID' not in m.threats for m in found)\n",
    ):
        assert vacuous_alls(f"def test_search():\n    found = search()\n{fixed}") == [], fixed
