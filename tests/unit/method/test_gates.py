"""Publication gates read from their data file, each refusing with its reason; and the stale
rule that every page, report and API answer shares."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from riskatlas.document import load_document
from riskatlas.method.gates import COPIED, TO_WRITE, publication_gates, read_gates, refusals
from riskatlas.method.staleness import (
    is_stale,
    review_by_standing,
    review_by_to_renew,
    stale_warning,
)

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(scope="module")
def ready(everything_yaml: Path) -> dict[str, Any]:
    """A document that passes every gate: the test fixture with a review-by date ahead."""
    doc = load_document(everything_yaml)
    doc["assessment"]["review_by"] = "2027-06-30"
    return doc


def test_the_bundled_gates_and_their_steps():
    gates = {g.code: g for g in publication_gates()}
    assert list(gates) == [
        "summary",
        "review-by",
        "areas-assessed",
        "risk-rationale",
        "guidance",
    ]
    assert all(g.steps == ("approve", "publish") for g in gates.values())
    assert all(g.name and g.requires for g in gates.values())


def test_template_guidance_left_unchanged_is_refused_naming_the_part(ready: dict[str, Any]):
    """A context section still holding its template's "To cover: …" (the team's own wording,
    given as ``guidance``) or the "to write" note of a section started from another
    assessment, and a risk still holding the rationale it was copied with, are each named."""
    doc = copy.deepcopy(ready)
    team_text = "Cover: who governs, and how stable it is."
    doc["context"] = [
        {"topic": "political", "title": "Politics", "text": team_text},
        {
            "topic": "economic",
            "title": "Economy",
            "text": TO_WRITE.format(title="Peru 2009", country="Peru"),
        },
        {"topic": "social", "title": "Society", "text": "Written by the analyst."},
    ]
    doc["risks"][0]["rationale"] = COPIED.format(slug="pe-2009") + "Armed groups on roads."
    reasons = refusals(doc, "publish", today=TODAY, guidance=[team_text])
    assert reasons == [
        "context section 1 “Politics”: its text is still the template's guidance "
        f"(“{team_text}”); write it or delete the section",
        "context section 2 “Economy”: its text is still the template's guidance "
        "(“To write for this assessment (in Peru 2009 this section was…”); write it or delete "
        "the section",
        # Named as the register names it (R-number and title), as the rationale gate does.
        "risk R2 “Street crime in Lima”: its rationale is still the copy's (“Copied from "
        "pe-2009; to be reassessed here. Armed groups on…”); reassess it here and say why",
    ]
    # Once written (or the gate switched off by the team), nothing is said.
    doc["context"][0]["text"] = "A coalition government since 2022."
    doc["context"][1]["text"] = "Growth is slow; coca is the main illicit economy."
    doc["risks"][0]["rationale"] = "Armed groups stop vehicles on secondary roads."
    assert refusals(doc, "publish", today=TODAY, guidance=[team_text]) == []
    doc["context"][0]["text"] = team_text
    assert refusals(doc, "approve", today=TODAY, guidance=[team_text], off={"guidance"}) == []


def test_a_complete_document_passes(ready: dict[str, Any]):
    assert refusals(ready, "approve", today=TODAY) == []
    assert refusals(ready, "publish", today=TODAY) == []


def test_every_refusal_at_once_each_naming_what_is_missing(ready: dict[str, Any]):
    doc = copy.deepcopy(ready)
    del doc["assessment"]["summary"]
    doc["assessment"]["review_by"] = "2010-06-30"
    doc["areas"].append({"code": "PE-LOR"})
    doc["risks"] = [r for r in doc["risks"] if r["area"] != "PE"]  # no country-wide risk
    doc["risks"][0]["rationale"] = "  "
    reasons = refusals(doc, "publish", today=TODAY)
    assert reasons == [
        "no executive summary",
        "review-by date 2010-06-30 is past",
        "area Peru (PE): not assessed without a reason",
        "area Ayacucho (PE-AYA): not assessed without a reason",
        "area Loreto (PE-LOR): not assessed without a reason",
        "risk R1 “Street crime in Lima” has no rationale",
    ]


def test_a_stored_risk_without_any_rationale(ready: dict[str, Any]):
    doc = copy.deepcopy(ready)
    del doc["risks"][1]["rationale"]  # an empty stored rationale is left out on export
    assert refusals(doc, "approve", today=TODAY) == ["risk R1 “Road accident” has no rationale"]


def test_a_custom_area_not_assessed_is_named_as_readers_see_it(ready: dict[str, Any]):
    """By its name ("VRAEM"), not by the id the analyst gave it (``vraem``); an ISO area by
    its name and code, as everywhere in the pages and the report."""
    doc = copy.deepcopy(ready)
    doc["risks"] = []
    for area in doc["areas"]:
        area.pop("level", None)
        area.pop("level_reason", None)
        area["not_assessed_reason"] = "" if area["code"] in ("vraem", "PE-AYA") else "Not visited."
    assert refusals(doc, "approve", today=TODAY) == [
        "area Ayacucho (PE-AYA): not assessed without a reason",
        "area VRAEM: not assessed without a reason",
    ]


def test_an_area_not_assessed_with_a_reason_passes(ready: dict[str, Any]):
    doc = copy.deepcopy(ready)
    doc["risks"] = [r for r in doc["risks"] if r["area"] != "PE"]
    for area in doc["areas"]:
        if area["code"] in ("PE", "PE-AYA"):
            area["not_assessed_reason"] = "No project activity; not visited."
    assert refusals(doc, "approve", today=TODAY) == []


def test_the_country_needs_an_overall_level_even_without_its_own_area(ready: dict[str, Any]):
    doc = copy.deepcopy(ready)
    doc["risks"] = [r for r in doc["risks"] if r["area"] != "PE"]
    doc["areas"] = [a for a in doc["areas"] if a["code"] == "PE-LMA"]
    assert refusals(doc, "approve", today=TODAY) == [
        "country Peru (PE): no overall level (no country-wide risk), and no area of its own "
        "with a level or a reason it is not assessed"
    ]


@pytest.mark.parametrize(
    ("review_by", "reason"),
    [
        (None, "no review-by date"),
        ("2026-12-03", "review-by date 2026-12-03 is today; it must be in the future"),
        ("2026-12-02", "review-by date 2026-12-02 is past"),
    ],
)
def test_review_by_date(ready: dict[str, Any], review_by: str | None, reason: str):
    doc = copy.deepcopy(ready)
    doc["assessment"].pop("review_by")
    if review_by:
        doc["assessment"]["review_by"] = review_by
    assert refusals(doc, "approve", today=TODAY) == [reason]


@pytest.mark.parametrize(
    "review_by", [None, "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]
)
def test_the_draft_is_told_to_renew_exactly_the_dates_the_gate_refuses(
    ready: dict[str, Any], review_by: str | None
):
    """One rule (``review_by_standing``): what the editor tells the analyst of a draft
    (``review_by_to_renew``) and what the gate refuses agree on every date; only a missing
    date is the gate's alone (the editor asks for it as a field)."""
    doc = copy.deepcopy(ready)
    doc["assessment"]["review_by"] = review_by
    refused = refusals(doc, "approve", today=TODAY)
    standing = review_by_standing(review_by, TODAY)
    told = review_by_to_renew(review_by, TODAY)
    assert bool(refused) == (standing != "ahead")
    assert bool(told) == (standing in ("past", "today"))
    assert is_stale(review_by, TODAY) == (standing == "past")


def test_gates_switched_off_are_skipped(ready: dict[str, Any]):
    doc = copy.deepcopy(ready)
    del doc["assessment"]["summary"]
    doc["assessment"]["review_by"] = "2010-06-30"
    assert refusals(doc, "approve", today=TODAY, off={"summary"}) == [
        "review-by date 2010-06-30 is past"
    ]
    assert refusals(doc, "approve", today=TODAY, off={"summary", "review-by"}) == []


def test_a_gate_applies_only_to_the_steps_the_file_gives(ready: dict[str, Any]):
    gates = read_gates({"gates": [{"code": "summary", "name": "Summary", "steps": ["publish"]}]})
    doc = copy.deepcopy(ready)
    del doc["assessment"]["summary"]
    assert refusals(doc, "approve", today=TODAY, gates=gates) == []
    assert refusals(doc, "publish", today=TODAY, gates=gates) == ["no executive summary"]
    with pytest.raises(ValueError, match="step must be one of approve, publish"):
        refusals(doc, "submit", today=TODAY)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"code": "sumary", "name": "S", "steps": ["approve"]}, "gates[1]: code: no check for"),
        ({"code": "summary", "name": "S", "steps": ["submit"]}, "steps: submit is not a step"),
        ({"code": "summary", "steps": ["approve"]}, "gates[1]: name is missing"),
        ("summary", "gates[1]: each gate is a mapping"),
    ],
)
def test_a_wrong_gates_file_names_the_entry(entry: Any, message: str):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        read_gates({"gates": [entry]}, "gates.yaml")


def test_stale_when_the_review_by_date_has_passed():
    assert is_stale("2010-05-31", TODAY) and is_stale(dt.date(2026, 12, 2), TODAY)
    assert not is_stale(dt.date(2026, 12, 3), TODAY)
    assert not is_stale(None, TODAY) and not is_stale("", TODAY)
    assert stale_warning("2010-05-31", TODAY).startswith(
        "Out of date: the review-by date 2010-05-31 has passed."
    )
    assert stale_warning("2027-01-01", TODAY) == ""
