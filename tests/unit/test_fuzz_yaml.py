"""Fuzzing YAML validation (bounded): whatever the text, validate_text answers with located
problems or a valid document — never an exception, never more than a few seconds."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskatlas.document import validate_text

EVERYTHING = Path(__file__).resolve().parents[1] / "fixtures" / "interchange" / "everything.yaml"
SEED = EVERYTHING.read_text(encoding="utf-8")
BASE = yaml.safe_load(SEED)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
FUZZ = settings(
    max_examples=200,
    deadline=2000,  # ms per example; the limit is a second or so even for hostile text
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
FEWER = settings(FUZZ, max_examples=100)  # each example runs the whole schema (20 ms)
# Text a careless editor or an attacker puts into a YAML file.
PIECES = st.sampled_from(
    [
        "\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufeff", "\u2028", "\t", "\r", "\n", ": ", "- ",
        "&a ", "*a", "&b [*a, *a, *a]", "<<: *a", "!!binary", "!!python/object:os.system ",
        "!!set", "!!int x", "? [a]", "{", "}", "[", "]", "'", '"', "|", ">", "#", "%YAML 1.1",
        "---", "...", "9" * 30, "1" * 5000, ".nan", "-.inf", "1.0e+999", "0x1F", "1:30",
        "2009-02-30", "~", "null", "yes", "[x]", "{a: 1}", "7", "[" * 200, "  " * 100,
    ]
)  # fmt: skip


def _check(text: str) -> None:
    started = time.perf_counter()
    result = validate_text(text, "fuzz.yaml")
    if result.ok:
        result.document()  # a valid document normalises
    for problem in result.problems:
        assert problem.format("fuzz.yaml").startswith("fuzz.yaml:")
    assert time.perf_counter() - started < 2.0


@st.composite
def mutations(draw: st.DrawFn) -> str:
    """The bundled fixture with a few pieces inserted, slices cut or repeated."""
    text = SEED
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "cut", "repeat", "truncate"]))
        if action == "insert":
            text = text[:at] + draw(PIECES) + text[at:]
        elif action == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 200)) :]
        elif action == "repeat":
            text = text[:at] + text[at : at + draw(st.integers(1, 400))] * 3 + text[at:]
        else:
            text = text[:at]
    return text


# Plain data of any shape, written as YAML: wrong types where the schema wants others.
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
DATA = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["riskatlas", "assessment", "risks", "areas", "id", "title", "matrix"])
            | st.text(max_size=8),
            children,
            max_size=4,
        )
    ),
    max_leaves=30,
)


@FUZZ
@given(mutations())
def test_mutations_of_the_fixture_never_raise(text: str) -> None:
    _check(text)


@FUZZ
@given(st.text(max_size=300))
def test_any_text_never_raises(text: str) -> None:
    _check(text)


@FEWER
@given(DATA, st.sampled_from(["risks", "areas", "assessment", "matrix", "sources", "exposure"]))
def test_any_structure_in_a_section_never_raises(value: object, section: str) -> None:
    data = copy.deepcopy(BASE)
    data[section] = value
    _check(yaml.dump(data, Dumper=DUMPER, allow_unicode=True))


@FEWER
@given(DATA, st.integers(0, 200))
def test_any_structure_in_any_item_never_raises(value: object, pick: int) -> None:
    data = copy.deepcopy(BASE)
    sections = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
    items = [item for section in sections for item in section]
    item = items[pick % len(items)]
    item[sorted(item)[pick % len(item)]] = value
    _check(yaml.dump(data, Dumper=DUMPER, allow_unicode=True))
