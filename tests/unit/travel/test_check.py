"""A trip checked against the Peru assessment and the default policy: the issue's example
(a national staff member new to the region, Lima → Andahuaylas → Huancavelica by road over
three days, one leg after dark) and what changes the decision."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from riskatlas.travel.policy import default_policy

from .conftest import check


def _segment(result: dict[str, Any], index: int) -> dict[str, Any]:
    return result["segments"][index - 1]


def _risks(segment: dict[str, Any]) -> dict[str, list[str]]:
    return {r["id"]: r["why"] for r in segment["risks"]}


def test_levels_of_lima_apurimac_and_huancavelica(trip, peru_doc):
    result = check(trip, peru_doc).as_dict()
    levels = {a["code"]: a["level"] for s in result["segments"] for a in s["areas"]}
    assert (levels["PE-LMA"], levels["PE-APU"], levels["PE-HUV"]) == (4, 4, 4)
    assert [s["area"] for s in result["segments"]] == ["PE-LMA", "PE-APU", "PE-HUV"]
    assert result["level"] == 4 and result["level_name"] == "high"
    # The specific level of the project's regions is lower than their level (country-wide risks).
    assert {a["code"]: a["specific_level"] for a in _segment(result, 2)["areas"]}["PE-APU"] == 3


def test_road_after_dark_and_crime_risks_apply_where_they_should(trip, peru_doc):
    result = check(trip, peru_doc).as_dict()
    lima, night_leg, andes = (_risks(_segment(result, i)) for i in (1, 2, 3))
    assert lima["common-crime-lima"] == ["in Lima (Metropolitan Lima)"]
    assert night_leg["road-accidents"] == ["country-wide", "road travel", "after dark"]
    assert "after dark" in night_leg["urban-crime-provinces"]
    assert night_leg["ayacucho-armed-attack"] == ["in Ayacucho", "road travel", "after dark"]
    assert andes["road-huancavelica-route"] == [
        "in Huancavelica",
        "road travel",
        "for national-staff",
    ]
    assert "after dark" not in andes["road-accidents"]  # that leg is in daylight
    # Express kidnapping targets international staff only: not for this traveller.
    assert "express-kidnapping" not in lima
    # Worst first within a segment.
    scores = [r["residual_score"] for r in _segment(result, 2)["risks"]]
    levels = [r["residual_name"] for r in _segment(result, 2)["risks"]]
    assert levels[0] == "high" and scores[0] == max(scores)


def test_approvals_measures_and_the_broken_measure(trip, peru_doc):
    result = check(trip, peru_doc).as_dict()
    assert [a["role"] for a in result["approvals"]] == [
        "line-manager", "security-focal-point", "regional-security-manager",
    ]  # fmt: skip
    focal = result["approvals"][1]
    assert focal["reasons"][0].startswith("rule new-to-region")
    measures = {m["id"]: m for m in result["measures"]}
    assert measures["no-road-travel-after-dark"]["broken_by"] == [2]
    assert measures["satellite-phone"]["segments"] == [3]  # the off-road leg only
    assert "experienced-companion" in measures
    fired = {r["id"]: r for r in _segment(result, 2)["rules"]}
    assert fired["new-to-region"]["because"] == (
        "the traveller is new-to-country or new-to-region and the level is 3 or higher"
    )
    assert _segment(result, 2)["breaches"][0]["measure"] == "no-road-travel-after-dark"
    assert result["training"]["missing"] == {"rosa-quispe": ["specialised-awareness"]}
    assert result["check_in"]["interval_hours"] == 12
    assert result["check_in"]["times"][:2] == ["2027-03-15T08:00", "2027-03-15T20:00"]


def test_the_out_of_date_assessment_is_a_warning_and_needs_a_confirmation(trip, peru_doc):
    result = check(trip, peru_doc).as_dict()
    first = result["warnings"][0]
    assert first["kind"] == "stale-assessment"
    assert "pe-2009 v1" in first["text"] and "2010-05-31" in first["text"]
    assert first["segments"] == [1, 2, 3]
    assert [len(s["areas"]) > 0 for s in result["segments"]] == [True, True, True]
    assert all(a["stale"] for s in result["segments"] for a in s["areas"])
    # Checked before the review-by date, the same trip raises no such warning or approval.
    early = check(trip, peru_doc, today=dt.date(2010, 1, 1)).as_dict()
    assert "stale-assessment" not in {w["kind"] for w in early["warnings"]}
    assert early["approvals"]
    assert all("stale-assessment" not in str(a["reasons"]) for a in early["approvals"])


def test_the_vraem_is_a_no_go_area_next_to_the_route(trip, peru_doc):
    result = check(trip, peru_doc).as_dict()
    assert [(a["code"], a["level"]) for a in result["no_go"]] == [("vraem", 5)]
    assert any(w["kind"] == "no-go-area" and "VRAE" in w["text"] for w in result["warnings"])


def test_travelling_in_daylight_removes_the_breach_and_changes_the_fingerprint(trip, peru_doc):
    before = check(trip, peru_doc).as_dict()
    day = copy.deepcopy(trip)
    day["segments"][1]["night_travel"] = False
    after = check(day, peru_doc).as_dict()
    assert after["measures"]
    assert all(m["broken_by"] == [] for m in after["measures"])
    assert "breaks-measure" not in {w["kind"] for w in after["warnings"]}
    assert after["fingerprint"] != before["fingerprint"]
    # The same inputs give the same fingerprint, whatever the day of checking (while stale).
    again = check(trip, peru_doc, today=dt.date(2027, 1, 1)).as_dict()
    assert again["fingerprint"] == before["fingerprint"]


def test_a_raised_level_changes_the_decision(trip, peru_doc):
    before = check(trip, peru_doc).as_dict()
    raised = copy.deepcopy(peru_doc)
    huv = next(a for a in raised["areas"] if a["code"] == "PE-HUV")
    huv["level"], huv["level_reason"] = 5, "Shining Path attacks on the Huancavelica road"
    after = check(trip, raised).as_dict()
    assert _segment(after, 3)["level"] == 5
    assert after["fingerprint"] != before["fingerprint"]
    assert "head-of-security" in [a["role"] for a in after["approvals"]]
    kinds = {w["kind"] for w in after["warnings"]}
    assert "essential-only" in kinds  # the trip is not marked essential


def test_an_international_traveller_gets_the_risks_for_foreigners(trip, peru_doc):
    visitor = copy.deepcopy(trip)
    visitor["travellers"][0].update(
        staff="international", group="international-staff", experience="experienced"
    )
    result = check(visitor, peru_doc).as_dict()
    lima = _risks(_segment(result, 1))
    assert lima["express-kidnapping"] == ["in Lima (Metropolitan Lima)", "for international-staff"]
    assert "security-focal-point" not in [a["role"] for a in result["approvals"]]


def test_an_area_no_assessment_covers_is_flagged_with_official_advice(trip, peru_doc):
    onward = copy.deepcopy(trip)
    onward["segments"].append({
        "place": "La Paz", "area": "BO-L", "start": "2027-03-18", "end": "2027-03-19",
        "transport": "air", "night_travel": False, "via": [],
    })  # fmt: skip
    advice = {
        "BO-L": [{"government": "United Kingdom", "level": 2, "area": "BO-L", "country": "BO"}]
    }
    result = check(onward, peru_doc, advice=advice).as_dict()
    la_paz = _segment(result, 4)
    assert la_paz["areas"][0]["not_assessed"] is True
    assert la_paz["areas"][0]["advice"][0]["government"] == "United Kingdom"
    warning = next(w for w in result["warnings"] if w["kind"] == "not-assessed")
    assert (
        warning["text"]
        == "No published assessment covers BO-L. Official advice: United Kingdom: level 2."
    )
    assert "head-of-security" in [a["role"] for a in result["approvals"]]


def test_official_advice_is_shown_beside_an_assessed_area_and_decides_nothing(trip, peru_doc):
    """The US advice on Apurímac (its own) and on Peru (country-wide, for the other areas) is
    read beside the assessment's levels; it leaves the level and the fingerprint as they were,
    so new advice reopens no decided trip (the alerts tell of it). A border strip's advice is
    not the whole country's."""
    advice = {
        "PE-APU": [{"government": "unitedstates", "level": 4, "area": "PE-APU", "country": "PE"}],
        "PE": [
            {"government": "unitedstates", "level": 2, "area": "PE", "country": "PE"},
            {"government": "unitedstates", "level": 4, "area": "PE-LOR", "country": "PE",
             "place": True},
        ],
    }  # fmt: skip
    without = check(trip, peru_doc).as_dict()
    result = check(trip, peru_doc, advice=advice).as_dict()
    beside = {
        a["code"]: [(r["area"], r["level"]) for r in a["advice_beside"]]
        for seg in result["segments"] for a in seg["areas"]
    }  # fmt: skip
    assert beside["PE-APU"] == [("PE-APU", 4)]
    assert beside["PE-LMA"] == [("PE", 2)]  # country-wide; not the Loreto border strip's 4
    assert result["level"] == without["level"]
    assert result["fingerprint"] == without["fingerprint"]


def test_a_team_policy_changes_what_fires(trip, peru_doc):
    policy = default_policy()
    policy["rules"] = [r for r in policy["rules"] if r["id"] != "new-to-region"]
    result = check(trip, peru_doc, policy=policy).as_dict()
    assert "security-focal-point" not in [a["role"] for a in result["approvals"]]
    assert all(r["id"] != "new-to-region" for s in result["segments"] for r in s["rules"])


def test_training_is_named_and_the_names_leave_the_fingerprint_as_it_was(trip, peru_doc):
    """The check names each course from the policy; a policy that names none gives the same
    fingerprint (a decided trip is not reopened by its courses being named or renamed)."""
    result = check(trip, peru_doc).as_dict()
    assert [(t["course"], t["name"]) for t in result["training"]["required"]] == [
        ("basic-security", "Basic security training"),
        ("specialised-awareness", "Specialised security-awareness training"),
    ]
    unnamed = default_policy()
    del unnamed["courses"]
    before = check(trip, peru_doc, policy=unnamed).as_dict()
    assert before["training"]["required"][0]["name"] == "basic-security"
    assert before["fingerprint"] == result["fingerprint"]
