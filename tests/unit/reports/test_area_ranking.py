"""Areas ranked by the risks particular to them (issue 10, item 4): in the Peru example every
area shares level 4 from the country-wide road risk, so the ranking must come from each
area's specific level, with its driver named."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from riskatlas.method.areas import parts_of, risks_in, specific_level_of
from riskatlas.method.register import rate_risks
from riskatlas.reports import build_context
from riskatlas.reports.area_map import COUNTRY_WIDE_COLOUR, country_shapes, report_maps
from riskatlas.reports.areas import AreaView, level_groups
from riskatlas.reports.render import render_html, render_markdown


@pytest.fixture(scope="module")
def areas(peru: dict[str, Any]) -> list[AreaView]:
    return build_context(peru).areas


def by_code(areas: list[AreaView]) -> dict[str, AreaView]:
    return {a.code: a for a in areas}


def test_every_peru_area_has_level_4_but_specific_levels_differ(areas: list[AreaView]) -> None:
    # The problem as found: the level alone tells the areas apart only for the VRAE.
    assert {a.value for a in areas if a.code != "vraem"} == {4}
    specific = {a.code: a.specific_value for a in areas}
    assert specific["vraem"] == 5  # the analyst's no-go level, set on the area
    assert specific["PE-LMA"] == 4
    assert specific["PE-AYA"] == 3
    assert specific["ecuador-border"] == 2
    assert specific["PE-CAL"] == specific["PE"] == 0


def test_specific_drivers_are_the_areas_own_risks(areas: list[AreaView]) -> None:
    views = by_code(areas)
    # Lima: its kidnapping and crime (both high), not the country-wide road risk that drives
    # its level.
    assert [r.id for r in views["PE-LMA"].specific_driving] == [
        "express-kidnapping",
        "common-crime-lima",
    ]
    assert "road-accidents" in [r.id for r in views["PE-LMA"].driving]
    # Ayacucho: the insurgency, recorded on Ayacucho and on the VRAE it is part of.
    assert {r.id for r in views["PE-AYA"].specific_driving} == {
        "ayacucho-armed-attack",
        "insurgent-attack-vraem",
    }
    assert [r.id for r in views["ecuador-border"].specific_driving] == ["ecuador-border-tension"]
    for view in areas:
        assert all(r.area != "PE" for r in view.specific_risks), view.code


def test_areas_rank_by_specific_level_then_level(areas: list[AreaView]) -> None:
    order = [a.code for a in areas]
    assert order[:2] == ["vraem", "PE-LMA"]
    assert order.index("PE-AYA") < order.index("ecuador-border") < order.index("PE-CAL")
    keys = [(a.specific_value, a.value) for a in areas]
    assert keys == sorted(keys, reverse=True)
    # Only country-wide risks: said so, and ranked last.
    assert [a.code for a in areas if a.only_country_wide] == order[-2:]
    assert {"PE-CAL", "PE"} == set(order[-2:])
    assert not any(a.only_country_wide for a in areas[:-2])


def test_the_specific_level_leaves_out_country_wide_risks_only(peru: dict[str, Any]) -> None:
    risks = rate_risks(peru)
    parts = parts_of(peru)
    cusco = next(a for a in peru["areas"] if a.get("code") == "PE-CUS")
    level = specific_level_of(cusco, risks_in("PE-CUS", risks, parts), "PE")
    # Cusco records no risk of its own, but its La Convención province is in the VRAE.
    assert level.level is not None and level.level.value == 3
    assert [r.id for r in level.driving_risks] == ["insurgent-attack-vraem"]
    callao = next(a for a in peru["areas"] if a.get("code") == "PE-CAL")
    assert specific_level_of(callao, risks_in("PE-CAL", risks, parts), "PE").level is None


def test_level_groups_keep_areas_apart_by_specific_level(areas: list[AreaView]) -> None:
    groups = [[a.code for a in g.areas] for g in level_groups(areas)]
    assert ["PE-LMA"] in groups and ["PE-AYA"] in groups and ["ecuador-border"] in groups
    assert groups[-1] == ["PE-CAL", "PE"]


def test_report_shows_specific_level_and_driver_beside_the_level(peru: dict[str, Any]) -> None:
    markdown = render_markdown(peru)
    ranked = markdown.split("### Areas ranked by the risks particular to them", 1)[1]
    rows = [line for line in ranked.split("\n\n", 2)[1].splitlines() if line.startswith("| ")]
    assert rows[1].startswith("| 1 | Apurímac and Ene river valleys (VRAE) (no-go) | 5 (extreme)")
    # The VRAE's level 5 is the editors' decision, and says so.
    assert "set by hand [1][3: judgement of the riskatlas example's editors]" in rows[1]
    assert rows[2].startswith("| 2 | Lima (Metropolitan Lima) | 4 (high): R2 Express kidnapping")
    assert "R3 Violent street crime" in rows[2]
    ayacucho = next(row for row in rows if "| Ayacucho |" in row)
    assert "3 (moderate): R8 Ambush" in ayacucho and "R9 Armed attack" in ayacucho
    assert "| 4 (high) | Highest residual risk: R1 |" in ayacucho
    assert "| Callao, Peru | only country-wide risks | 4 (high) |" in rows[-1]
    html = render_html(peru)
    assert "Areas ranked by the risks particular to them" in html
    assert "only country-wide risks" in html


def test_report_maps_colour_by_level_and_by_specific_level(
    peru: dict[str, Any], areas: list[AreaView]
) -> None:
    shapes = country_shapes("PE")
    if not shapes:
        pytest.skip("admin-1 boundaries are not built (riskatlas maps build)")
    maps = report_maps(areas, "PE")
    level_fills = set(re.findall(r'<path d="[^"]+" fill="(#[0-9a-f]{6})"', maps["level"]))
    specific_fills = re.findall(r'<path d="[^"]+" fill="(#[0-9a-f]{6})"', maps["specific"])
    assert level_fills == {"#fb8c00"}  # all orange: level 4 everywhere
    # The specific map: Lima high, the VRAE's regions moderate, Huallaga and the Ecuador
    # border low, the rest grey (only country-wide risks).
    assert set(specific_fills) == {"#fb8c00", "#fdd835", "#9ccc65", COUNTRY_WIDE_COLOUR}
    assert specific_fills.count("#fb8c00") == 1
    assert "no-go area, level 5 · extreme" in maps["specific"]
    html = render_html(peru)
    assert html.count('<figure class="chart area-map">') == 2


def test_report_without_boundaries_says_there_is_no_map(
    peru: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RISKATLAS_BOUNDARIES", str(tmp_path))
    html = render_html(peru)
    assert "area outlines are not installed" in html
    assert "area-map" not in html.split('id="levels"', 1)[1].split("</section>", 1)[0]
