"""Area names and levels, the areas' ranking, and the exact words of the gates file's errors,
the stale warning and a bad grade."""

import datetime as dt

import pytest

from riskatlas.method.areas import (
    area_names,
    level_of,
    overall_level,
    rank_key,
    specific_level_of,
    specific_risks,
)
from riskatlas.method.gates import Gate, read_gates, refusals
from riskatlas.method.grading import parse_grade
from riskatlas.method.levels import area_level
from riskatlas.method.matrix import default_matrix
from riskatlas.method.register import rate_risks
from riskatlas.method.staleness import review_by_to_renew, stale_warning


def test_an_area_is_named_by_its_own_name_else_its_iso_name_else_its_code():
    doc = {
        "areas": [
            {"code": "PE-LMA", "name": "Greater Lima"},
            {"code": "PE-CUS"},
            {"code": "south"},
        ]
    }
    assert area_names(doc) == {"PE-LMA": "Greater Lima", "PE-CUS": "Cusco", "south": "south"}
    assert area_names({}) == {}


def rated(*risks):
    doc = {
        "matrix": default_matrix().to_dict(),
        "risks": [
            {
                "id": rid,
                "title": rid,
                "category": "CRM",
                "area": area,
                "rationale": "r",
                "inherent": {"likelihood": li, "impact": im},
            }
            for rid, area, li, im in risks
        ],
    }
    return rate_risks(doc)


COUNTRY_WIDE_HIGH = ("road", "PE", 4, 4)  # H: level 4
LIMA_MEDIUM = ("crime", "PE-LMA", 3, 3)  # M: level 3


def test_the_countrys_own_area_entry_gives_the_overall_level():
    risks = rated(COUNTRY_WIDE_HIGH, LIMA_MEDIUM)
    by_hand = {
        "assessment": {"country": "PE"},
        "areas": [
            {"code": "PE-LMA"},
            {"code": "PE", "level": 2, "level_reason": "calm since the elections"},
        ],
    }
    level = overall_level(by_hand, risks)
    assert level.level is not None and level.level.value == 2
    assert level.derived is not None and level.derived.value == 4
    assert level.reason == "calm since the elections"
    without_entry = overall_level({"assessment": {"country": "PE"}}, risks)
    assert without_entry.level is not None and without_entry.level.value == 4
    assert [r.id for r in without_entry.driving_risks] == ["road"]


def test_a_level_set_by_hand_without_a_reason_is_refused():
    with pytest.raises(ValueError) as err:
        level_of({"code": "PE-LMA", "level": 3}, [])
    assert str(err.value) == "an area level set by hand needs a reason"


def test_the_specific_level_leaves_out_the_country_wide_risks():
    risks = rated(COUNTRY_WIDE_HIGH, LIMA_MEDIUM)
    assert [r.id for r in specific_risks(risks, "PE")] == ["crime"]
    lima = specific_level_of({"code": "PE-LMA"}, risks, "PE")
    assert lima.level is not None and lima.level.value == 3
    only_country_wide = specific_level_of({"code": "PE-CUS"}, risks[:1], "PE")
    assert only_country_wide.level is None


def test_areas_rank_by_specific_level_then_level():
    m = default_matrix()
    high, medium, none = (
        area_level([("a", m.level(4, 4))]),
        area_level([("b", m.level(3, 3))]),
        area_level([]),
    )
    assert rank_key(high, medium) == (-4, -3)
    assert rank_key(none, high) == (0, -4)
    assert rank_key(medium, none) == (-3, 0)


def gates_error(entry):
    with pytest.raises(ValueError) as err:
        read_gates({"gates": [{"code": "summary", "name": "S", "steps": ["approve"]}, entry]})
    return str(err.value)


def test_every_gates_file_error_in_full():
    assert gates_error({"code": "sumary", "name": "S", "steps": ["approve"]}) == (
        "publication_gates.yaml: gates[2]: code: no check for gate 'sumary' "
        "(known: summary, review-by, areas-assessed, risk-rationale, guidance)"
    )
    assert gates_error({"code": "summary", "name": "S", "steps": ["approve"]}) == (
        "publication_gates.yaml: gates[2]: code: gate 'summary' is listed twice"
    )
    assert gates_error({"code": "review-by", "name": "R", "steps": ["submit", "x"]}) == (
        "publication_gates.yaml: gates[2]: steps: submit, x is not a step (steps: approve, publish)"
    )
    assert gates_error({"code": "review-by", "name": "R"}) == (
        "publication_gates.yaml: gates[2]: steps is missing"
    )


def test_a_gate_keeps_its_name_and_what_it_requires():
    gates = read_gates(
        {
            "gates": [
                {
                    "code": "summary",
                    "name": "Summary",
                    "requires": "a summary",
                    "steps": ["publish"],
                },
                {"code": "review-by", "name": "Review", "steps": ["approve"]},
            ]
        }
    )
    assert gates == (
        Gate("summary", "Summary", "a summary", ("publish",)),
        Gate("review-by", "Review", "", ("approve",)),
    )


def test_refusals_without_a_day_judge_against_today():
    review = read_gates({"gates": [{"code": "review-by", "name": "R", "steps": ["approve"]}]})
    ahead = {"assessment": {"review_by": (dt.date.today() + dt.timedelta(days=400)).isoformat()}}
    assert refusals(ahead, "approve", gates=review) == []
    past = {"assessment": {"review_by": "2000-01-01"}}
    assert refusals(past, "approve", gates=review) == ["review-by date 2000-01-01 is past"]


def test_the_stale_warning_in_full():
    assert stale_warning("2010-05-31", dt.date(2026, 12, 3)) == (
        "Out of date: the review-by date 2010-05-31 has passed. "
        "The situation may have changed since; check before relying on this assessment."
    )
    assert stale_warning(dt.date(2000, 1, 1)).startswith("Out of date: the review-by date 2000")
    assert stale_warning(dt.date.today() + dt.timedelta(days=1)) == ""


def test_a_bad_grade_says_what_a_grade_is():
    with pytest.raises(ValueError) as err:
        parse_grade("G7")
    assert str(err.value) == (
        "'G7' is not an Admiralty grade: expected a reliability letter A–F and a "
        "credibility digit 1–6, such as B2"
    )


def test_the_stale_warning_is_judged_on_the_day_given():
    # Not yet past today, but past on the day asked about (a trip in 2031, say).
    ahead = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    later = dt.date.today() + dt.timedelta(days=60)
    assert stale_warning(ahead, later).startswith(f"Out of date: the review-by date {ahead} ")
    assert stale_warning(ahead) == ""


def test_a_derived_area_level_says_it_was_not_set_by_hand():
    m = default_matrix()
    derived = area_level([("road", m.level(4, 4))])
    assert derived.overridden is False
    assert derived.reason == ""
    assert derived.derived is not None and derived.derived.value == 4
    assert derived.derived == derived.level
    assert area_level([]).driving_risks == ()
    set_by_hand = area_level([("road", m.level(4, 4))], override=2, reason="calm")
    assert set_by_hand.driving_risks == ("road",)
    assert set_by_hand.overridden is True


def test_a_review_by_date_the_gate_would_refuse_is_to_renew_as_the_gate_judges_it():
    day = dt.date(2026, 12, 4)
    assert review_by_to_renew("2010-05-31", day) == (
        "this date has passed; set a new one before submitting"
    )
    # The gate refuses a date that is today as well (it asks for one after today).
    assert review_by_to_renew(day, day) == "this date is today; set a later one before submitting"
    assert review_by_to_renew(day + dt.timedelta(days=1), day) == ""
    assert review_by_to_renew(None, day) == ""
