"""Context building reads each risk once (indexes by area and by measure, not a scan of every
risk for every area or measure): the areas' risks and the measures' risks are those the rule
gives, in register order, also when the register is many times the Peru example's size."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from riskatlas.document import load_document
from riskatlas.method.areas import parts_of, risks_in
from riskatlas.reports.context import build_context

PERU = Path(__file__).resolve().parents[3] / "examples" / "peru-2009.yaml"


def _multiplied(doc: dict[str, Any], times: int) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    out["risks"] = [
        {**r, "id": r["id"] if n == 0 else f"{r['id']}-{n}"}
        for n in range(times)
        for r in doc["risks"]
    ]
    return out


@pytest.mark.parametrize("times", [1, 4])
def test_area_and_measure_risks_are_those_of_the_rule(times: int):
    doc = _multiplied(load_document(PERU), times)
    ctx = build_context(doc)
    assert len(ctx.risks) == 18 * times
    parts = parts_of(doc)
    for area in ctx.areas:
        expected = [r.id for r in risks_in(area.code, ctx.risks, parts)]
        assert [r.id for r in area.risks] == expected, area.code
    assert any(len(a.risks) > times for a in ctx.areas)
    named = 0
    for _, views in ctx.mitigations:
        for view in views:
            expected = [r.label for r in ctx.risks if view.code in {m.code for m in r.measures}]
            assert view.risks == expected, view.code
            named += bool(expected)
    assert named >= 5
