"""The rated register and its summary: the same overall level and top risk as the report
shows, from the document alone; which risks count towards which area."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from riskatlas.document import load_document
from riskatlas.method.areas import covers, overall_level, parts_of, risks_in
from riskatlas.method.register import rate_risks, summarise, worst_first
from riskatlas.reports import build_context

ROOT = Path(__file__).resolve().parents[3]
DOCUMENTS = [
    ROOT / "examples" / "peru-2009.yaml",
    *sorted((ROOT / "tests" / "fixtures" / "documents").glob("*.yaml")),
    *sorted((ROOT / "tests" / "fixtures" / "interchange").glob("*.yaml")),
]


@pytest.fixture(scope="module", params=DOCUMENTS, ids=lambda p: p.name)
def doc(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load_document(request.param)


def _without_country_area(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with no area entry for the country itself (the level then follows the
    country-wide risks alone)."""
    out = copy.deepcopy(doc)
    country = out["assessment"]["country"]
    out["areas"] = [a for a in out["areas"] if a["code"] != country]
    return out


def _country_set_by_hand(doc: dict[str, Any]) -> dict[str, Any]:
    """The document with the country's level set by the analyst, with a reason."""
    out = copy.deepcopy(doc)
    for area in out["areas"]:
        if area["code"] == out["assessment"]["country"]:
            area.update(level=2, level_reason="Calm since the elections.")
    return out


Variant = Callable[[dict[str, Any]], dict[str, Any]]


@pytest.mark.parametrize(
    "variant",
    [lambda d: d, _without_country_area, _country_set_by_hand],
    ids=["as-is", "no-country", "country-by-hand"],
)
def test_summary_gives_the_reports_overall_level_and_top_risk(
    doc: dict[str, Any], variant: Variant
) -> None:
    document = variant(doc)
    ctx = build_context(document)
    summary = summarise(document)
    assert summary.level == ctx.overall.level
    assert summary.top_risk == (ctx.top_risks[0] if ctx.top_risks else None)
    assert summary.risks == len(ctx.risks)


def test_summary_counts_every_risk_at_its_residual_level(doc: dict[str, Any]) -> None:
    summary = summarise(doc)
    assert list(summary.by_residual_level) == [
        lv["code"] for lv in sorted(doc["matrix"]["levels"], key=lambda lv: lv["rank"])
    ]
    assert sum(summary.by_residual_level.values()) == summary.risks
    for code, count in summary.by_residual_level.items():
        assert count == sum(1 for r in rate_risks(doc) if r.residual.level.code == code)


def test_peru_summary_is_level_4_with_road_accidents_on_top() -> None:
    summary = summarise(load_document(ROOT / "examples" / "peru-2009.yaml"))
    assert summary.level is not None and summary.level.value == 4
    assert summary.top_risk is not None and summary.top_risk.label == "R1"
    assert summary.top_risk.title == "Serious injury or death in a road traffic accident"
    assert summary.by_residual_level == {"VL": 0, "L": 8, "M": 7, "H": 3, "VH": 0}


def test_register_is_numbered_worst_first(doc: dict[str, Any]) -> None:
    risks = rate_risks(doc)
    assert risks == sorted(risks, key=worst_first)
    assert [r.number for r in risks] == list(range(1, len(risks) + 1))


def test_a_country_risk_covers_every_area_but_a_subdivision_risk_not_the_country() -> None:
    bolivia = load_document(ROOT / "tests" / "fixtures" / "documents" / "bolivia-fixture.yaml")
    parts = parts_of(bolivia)
    assert parts == {"tropico": ["BO-C"]}
    assert len(bolivia["areas"]) > 1
    assert all(covers("BO", a["code"], parts) for a in bolivia["areas"])
    assert covers("BO-C", "tropico", parts)  # a custom area made of the subdivision
    assert covers("tropico", "BO-C", parts)
    assert not covers("BO-L", "BO", parts)
    assert not covers("BO-L", "tropico", parts)


def test_the_country_level_follows_country_wide_risks_only() -> None:
    bolivia = load_document(ROOT / "tests" / "fixtures" / "documents" / "bolivia-fixture.yaml")
    risks = rate_risks(bolivia)
    applying = risks_in("BO", risks, parts_of(bolivia))
    assert {r.area for r in applying} == {"BO"}
    level = overall_level(bolivia, risks)
    assert level.level is not None and level.level.value == 3
    assert {r.id for r in level.driving_risks} <= {r.id for r in applying}
