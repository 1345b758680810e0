"""The report context: derived ratings, ordering, area levels, heat map, evidence numbering."""

from __future__ import annotations

import copy
from typing import Any

from riskatlas.reports import build_context
from riskatlas.reports.areas import AreaView
from riskatlas.reports.context import ReportContext
from riskatlas.reports.dates import date_text, span_text


def area(ctx: ReportContext, code: str) -> AreaView:
    return next(a for a in ctx.areas if a.code == code)


def test_heat_map_cells_count_every_risk_once(bolivia_context: ReportContext) -> None:
    assert len(bolivia_context.heat_maps) == 2  # inherent and residual
    for heat in bolivia_context.heat_maps:
        assert heat.total == len(bolivia_context.risks) == 8
        numbers = sorted(n for cell in heat.cells for n in cell.risks)
        assert numbers == list(range(1, 9))


def test_heat_map_cell_holds_the_risks_rated_there(bolivia_context: ReportContext) -> None:
    inherent, residual = bolivia_context.heat_maps
    # Two risks are inherently likely (4) and critical (5): trafficking violence and road accidents.
    titles = {bolivia_context.risks[n - 1].title for n in inherent.cell(4, 5).risks}
    assert titles == {
        "Violence by trafficking networks in the Trópico",
        "Serious road accident on inter-city roads",
    }
    assert residual.cell(4, 5).count == 1
    assert residual.cell(4, 5).level.name == "very high"


def test_risks_are_ordered_by_residual_level_then_score(bolivia_context: ReportContext) -> None:
    risks = bolivia_context.risks
    keys = [(r.residual.level.rank, r.residual.score) for r in risks]
    assert keys == sorted(keys, reverse=True)
    assert [r.label for r in risks] == [f"R{n}" for n in range(1, len(risks) + 1)]
    assert risks[0].title == "Violence by trafficking networks in the Trópico"
    assert bolivia_context.top_risks == risks[:5]


def test_ratings_come_from_the_documents_own_matrix(bolivia: dict[str, Any]) -> None:
    doc = copy.deepcopy(bolivia)
    for level in doc["matrix"]["levels"]:
        if level["code"] == "H":
            level["name"] = "serious"
    ctx = build_context(doc)
    kidnap = next(r for r in ctx.risks if r.id == "express-kidnap")
    assert kidnap.residual.level.name == "serious"
    assert kidnap.current is not None and kidnap.current.score == 12


def test_area_level_follows_the_highest_residual_risk(bolivia_context: ReportContext) -> None:
    la_paz = area(bolivia_context, "BO-L")
    assert la_paz.level.level is not None and la_paz.level.level.value == 4
    assert not la_paz.level.overridden
    assert [r.id for r in la_paz.driving] == ["express-kidnap"]
    # The country-wide road risk holds in La Paz too.
    assert "road-accident" in {r.id for r in la_paz.risks}


def test_country_wide_risks_hold_everywhere_and_subdivision_risks_do_not_raise_the_country(
    bolivia_context: ReportContext,
) -> None:
    pando = area(bolivia_context, "BO-N")
    assert {r.id for r in pando.risks} == {"road-accident", "roadblocks", "flooding"}
    country = area(bolivia_context, "BO")
    assert {r.id for r in country.risks} == {"road-accident", "roadblocks"}
    assert bolivia_context.overall.level is not None
    assert bolivia_context.overall.level.value == 3


def test_custom_area_risks_hold_in_its_parts(bolivia_context: ReportContext) -> None:
    tropico = area(bolivia_context, "tropico")
    assert tropico.level.level is not None and tropico.level.level.value == 5
    cochabamba = area(bolivia_context, "BO-C")
    assert "trafficking-violence" in {r.id for r in cochabamba.risks}
    assert cochabamba.level.derived is not None and cochabamba.level.derived.value == 5


def test_analyst_override_keeps_its_reason(bolivia_context: ReportContext) -> None:
    cochabamba = area(bolivia_context, "BO-C")
    assert cochabamba.level.overridden
    assert cochabamba.level.level is not None and cochabamba.level.level.value == 3
    assert cochabamba.level.reason.startswith("Cochabamba city and the valleys")


def test_areas_are_ranked_by_level(bolivia_context: ReportContext) -> None:
    values = [a.value for a in bolivia_context.areas]
    assert values == sorted(values, reverse=True)
    assert bolivia_context.areas[0].code == "tropico"
    assert [a.code for a in bolivia_context.no_go_areas] == ["tropico"]


def test_incidents_run_in_date_order_at_their_own_precision(
    bolivia_context: ReportContext,
) -> None:
    incidents = bolivia_context.incidents
    assert [i.when for i in incidents] == [
        "2008",
        "14 November 2009",
        "22 January 2010",
        "April 2010",
    ]
    assert [i.precision for i in incidents] == ["year", "day", "day", "month"]
    assert incidents[0].place == "Villa Tunari, Trópico de Cochabamba"
    assert incidents[0].casualties == "2 killed, 5 injured"


def test_threat_categories_merge_incidents_and_actors(bolivia_context: ReportContext) -> None:
    by_code = {c.category.code: c for c in bolivia_context.categories}
    assert bolivia_context.categories[0].category.code == "OCR"  # highest residual level first
    ocr = by_code["OCR"]
    assert [i.id for i in ocr.incidents] == ["eradication-clash-2008"]
    assert [a.name for a in ocr.actors] == ["Trópico trafficking network"]
    assert by_code["UNR"].actors[0].name == "Coca growers' federation"
    # A category with risks but no written threat still appears.
    assert by_code["MED"].summary == "" and len(by_code["MED"].risks) == 1


def test_evidence_is_numbered_in_reading_order(bolivia_context: ReportContext) -> None:
    sources = bolivia_context.sources
    assert [s.number for s in sources] == [1, 2, 3]
    # The first citation in the report is the press digest behind the political context.
    assert sources[0].id == "press-digest"
    political = bolivia_context.context[0]
    assert political.entries[0][2][0].label == "[1]"
    # An item graded differently from its source shows its own grade.
    network = next(a for a in bolivia_context.actors if a.id == "tropico-network")
    assert [r.label for r in network.strength_refs] == ["[2: B3]"]
    assert str(sources[1].grade) == "B2"
    assert sources[1].grade.describe() == "B2: usually reliable source, probably true"


def test_recommendations_by_priority_and_key_ones(bolivia_context: ReportContext) -> None:
    priorities = [r.priority for r in bolivia_context.recommendations]
    assert priorities == ["essential", "high", "medium"]
    assert [r.id for r in bolivia_context.key_recommendations] == ["secure-taxi", "training"]
    assert bolivia_context.recommendations[0].risks == ["R2", "R5"]


def test_glossary_holds_the_whole_method(bolivia_context: ReportContext) -> None:
    g = bolivia_context.glossary
    assert len(g.categories) == 15
    assert g.likelihood[0].name == "very unlikely"
    assert [t.code for t in g.reliability] == list("ABCDEF")
    assert len(g.credibility) == 6


def test_minimal_document_builds(minimal: dict[str, Any]) -> None:
    ctx = build_context(minimal)
    assert ctx.meta.marking == "DRAFT — version 1"
    assert ctx.heat_maps[1].total == 1
    assert ctx.sources == [] and ctx.official_advice == []


def test_dates_read_as_written() -> None:
    assert date_text("2003-06-09") == "9 June 2003"
    assert date_text("2003-06") == "June 2003"
    assert date_text("2002") == "2002"
    assert span_text("2007-02-10", "2007-03-20") == "10 February – 20 March 2007"
    assert span_text("2007-02-10", "2007-02-20") == "10–20 February 2007"
    assert span_text("2006-12-10", "2007-01-20") == "10 December 2006 – 20 January 2007"
