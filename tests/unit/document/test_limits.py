"""Reading YAML under hard limits: alias bombs, deep nesting and malformed text are refused at
once with FILE:LINE: field: message — never a traceback, never minutes of work."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskatlas.cli import main
from riskatlas.document import validate_file, validate_text
from riskatlas.document.yaml_lines import MAX_BYTES

# The "billion laughs": nine levels of nine aliases expand to 9^9 (387 million) strings.
ALIAS_BOMB = (
    "\n".join(
        ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [
            f"{b}: &{b} [{','.join(['*' + a] * 9)}]"
            for a, b in zip("abcdefgh", "bcdefghi", strict=True)
        ]
    )
    + "\n"
)
DEEP_FLOW = "riskatlas: 1\nassessment: " + "[" * 2000 + "]" * 2000 + "\n"
DEEP_BLOCK = "".join(f"{'  ' * i}k{i}:\n" for i in range(2000))


def _only_problem(text: str, name: str = "x.yaml") -> str:
    started = time.perf_counter()
    result = validate_text(text, name)
    assert time.perf_counter() - started < 1.0
    assert len(result.problems) == 1, result.problems
    return result.problems[0].format(name)


def test_an_alias_bomb_of_400_bytes_is_refused_at_its_first_alias_in_under_a_second():
    assert len(ALIAS_BOMB.encode()) <= 400
    assert _only_problem(ALIAS_BOMB, "bomb.yaml") == (
        "bomb.yaml:2: (document): YAML aliases (*a) are not allowed in an assessment file; "
        "write the value out in full"
    )


@pytest.mark.parametrize("text", [DEEP_FLOW, DEEP_BLOCK], ids=["flow", "block"])
def test_2000_levels_of_nesting_are_refused_in_under_a_second(text: str):
    message = _only_problem(text, "deep.yaml")
    assert message.startswith("deep.yaml:")
    assert "nested more than 40 levels deep" in message


def test_the_command_line_refuses_both_with_file_and_line_and_exit_1(tmp_path: Path):
    bomb, deep = tmp_path / "bomb.yaml", tmp_path / "deep.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    deep.write_text(DEEP_BLOCK, encoding="utf-8")
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["validate", str(bomb), str(deep)])
    assert time.perf_counter() - started < 2.0
    assert result.exit_code == 1
    assert f"{bomb}:2: (document): YAML aliases (*a) are not allowed" in result.output
    assert f"{deep}:41: (document): nested more than 40 levels deep" in result.output
    assert "Traceback" not in result.output


def test_a_recursive_anchor_is_refused():
    assert _only_problem("riskatlas: 1\nassessment: &x\n  - *x\n") == (
        "x.yaml:3: (document): YAML aliases (*x) are not allowed in an assessment file; "
        "write the value out in full"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("riskatlas: 1\nassessment:\n  title: a\x00b\n", "x.yaml:3: (document): YAML: control "
         "characters are not allowed (character U+0000)"),
        ("riskatlas: 1\n\x07: 2\n", "x.yaml:2: (document): YAML: control characters are not "
         "allowed (character U+0007)"),
        ("riskatlas: 1\n[a, b]: 2\n", "x.yaml:2: (document): a field name must be text, not a "
         "list"),
        ("riskatlas: 1\n? {a: 1}\n: 2\n", "x.yaml:2: (document): a field name must be text, not "
         "a mapping"),
        ("riskatlas: 1\nassessment: !!binary aGk=\n", "x.yaml:2: (document): the YAML tag "
         "!!binary is not allowed in an assessment file"),
        ("riskatlas: 1\nx: !!python/object/apply:os.system [ls]\n", "x.yaml:2: (document): the "
         "YAML tag !!python/object/apply:os.system is not allowed in an assessment file"),
        ("riskatlas: 1\nx: .nan\n", "x.yaml:2: (document): '.nan' is not a finite number"),
        ("riskatlas: 1\nx: 1.0e+999\n", "x.yaml:2: (document): '1.0e+999' is not a finite number"),
        ("riskatlas: 1\nx: 99999999999999999999\n", "x.yaml:2: (document): "
         "'99999999999999999999' is too large a number"),
        ("riskatlas: 1\nx: !!int many\n", "x.yaml:2: (document): 'many' cannot be read as a "
         "whole number"),
        ("riskatlas: 1\n---\nriskatlas: 1\n", "x.yaml:2: (document): YAML: a file holds one "
         "document; found a second"),
    ],
)  # fmt: skip
def test_text_that_is_not_plain_data_is_refused_with_its_line(text: str, expected: str):
    assert _only_problem(text) == expected


def test_wrong_shapes_are_schema_problems_not_crashes():
    text = (
        "riskatlas: 1\n"
        "assessment: [x]\n"
        "areas: 5\n"
        "risks:\n"
        "  - id: r\n"
        "    title: 7\n"
        "    measures: 3\n"
        "    exposed: {a: 1}\n"
        "    evidence: text\n"
        "matrix: {levels: 5, grid: x}\n"
    )
    result = validate_text(text, "shapes.yaml")
    messages = [p.format("shapes.yaml") for p in result.problems]
    assert "shapes.yaml:2: assessment: ['x'] should be of type object" in messages
    assert "shapes.yaml:3: areas: 5 should be of type array" in messages
    assert "shapes.yaml:6: risks[0].title: 7 should be of type string" in messages
    assert "shapes.yaml:7: risks[0].measures: 3 should be of type array" in messages


def test_a_long_value_is_cut_short_in_its_message():
    text = "riskatlas: 1\nassessment:\n  version: " + "x" * 10_000 + "\n"
    fields = {p.field: p.message for p in validate_text(text, "x.yaml").problems}
    assert fields["assessment.version"] == f"'{'x' * 58}… should be of type integer"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read_in_full(tmp_path: Path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"riskatlas: 1\n" + b"# padding\n" * (MAX_BYTES // 10 + 1))
    problems = validate_file(big).problems
    assert [p.format("big.yaml") for p in problems] == [
        "big.yaml:524288: (document): larger than 5 MB; an assessment file is far smaller"
    ]


def test_text_that_is_not_utf8_is_refused_at_its_line(tmp_path: Path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"riskatlas: 1\nassessment:\n  title: Jun\xedn\n")
    assert [p.format("latin.yaml") for p in validate_file(latin).problems] == [
        "latin.yaml:3: (document): not UTF-8 text: invalid continuation byte"
    ]
