"""The seed field assessment read end to end: what issue 4's "Done when" asks for."""

from __future__ import annotations

from typing import Any

from riskatlas.extraction.gold import score_draft


def _places(draft: dict[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for place in draft["places"]:
        found.setdefault(place["text"], set()).add(place["iso_3166"])
    return found


def test_places_resolve_to_iso_codes_with_coordinates(seed_draft: dict[str, Any]) -> None:
    places = _places(seed_draft)
    assert places["Lima"] == {"PE-LMA"}
    assert places["Ayacucho Department"] == {"PE-AYA"}
    assert places["Huancavelica"] == {"PE-HUV"}
    assert places["Peru"] == {"PE"}
    # The seed misspells Andahuaylas; it lies in Apurímac.
    assert places["Handahuaylas"] == {"PE-APU"}
    andahuaylas = next(p for p in seed_draft["places"] if p["text"] == "Handahuaylas")
    assert andahuaylas["name"] == "Andahuaylas"
    assert -14.0 < andahuaylas["lat"] < -13.4 and -73.7 < andahuaylas["lon"] < -73.1
    valleys = next(p for p in seed_draft["places"] if "Huallaga" in p["text"])
    assert valleys["text"] == "the Apurimac, Ene and Lower Huallaga Valleys"
    assert "PE-APU" in valleys["subdivisions"] and "PE-AYA" in valleys["subdivisions"]
    for place in seed_draft["places"]:
        assert place["lat"] is not None and place["lon"] is not None, place


def test_no_places_from_people_or_groups(seed_draft: dict[str, Any], seed_gold) -> None:
    texts = {p["text"] for p in seed_draft["places"]}
    assert not texts & set(seed_gold["not_places"])
    assert not any("Garcia" in t or "Keiko" in t or "Fujimori" in t for t in texts)


def test_actors_with_learned_acronyms_and_strength(seed_draft: dict[str, Any]) -> None:
    actors = {a["name"]: a for a in seed_draft["actors"]}
    shining_path = actors["Shining Path"]
    assert {"SL", "SP"} <= set(shining_path["aliases"])
    assert shining_path["type"] == "insurgent group"
    assert [(f["kind"], f["value"], f["qualifier"]) for f in shining_path["figures"]] == [
        ("strength", 300, "around")
    ]
    assert any("Tupac Amaru" in a["aliases"] for a in seed_draft["actors"])
    # "SP was responsible for the US embassy bombing" is a mention of Shining Path.
    assert "SP" in {m["text"] for m in shining_path["mentions"]}


def test_dated_incidents(seed_draft: dict[str, Any]) -> None:
    incidents = {i["when"]["date"]: i for i in seed_draft["incidents"]}
    abduction = incidents["2003-06-09"]
    assert abduction["when"]["precision"] == "day"
    assert "KID" in abduction["categories"]
    assert "Ayacucho Department" in {w["text"] for w in abduction["where"]}
    bombing = incidents["2002"]
    assert bombing["when"]["precision"] == "year"
    assert bombing["who"] == ["Shining Path"]
    assert "TER" in bombing["categories"]


def test_taxi_and_training_recommendations(seed_draft: dict[str, Any]) -> None:
    texts = [r["text"] for r in seed_draft["recommendations"]]
    taxi = next(r for r in seed_draft["recommendations"] if "secure taxi" in r["text"])
    assert taxi["kind"] == "recommendation"
    assert taxi["mitigation"]["code"] == "MOV-SECURE-TAXI"
    training = next(r for r in seed_draft["recommendations"] if "awareness training" in r["text"])
    assert training["kind"] == "requirement"
    assert training["mitigation"]["code"] == "TRN-SPECIALISED-AWARENESS"
    # "It has to be borne in mind that..." and "coca farmers must accept..." are not advice.
    assert len(texts) == 2


def test_categories_found(seed_draft: dict[str, Any]) -> None:
    codes = {c["code"] for s in seed_draft["sentences"] for c in s["categories"]}
    assert {"CRM", "TRN", "KID", "TER", "ACI", "OCR", "UNR", "BRD"} <= codes
    ecuador = next(s for s in seed_draft["sentences"] if s["text"].startswith("Border disputes"))
    assert ecuador["categories"][0]["code"] == "BRD"


def test_trend_likelihood_and_credibility(seed_draft: dict[str, Any]) -> None:
    trends = {(t["text"], t["trend"]) for t in seed_draft["trends"]}
    assert ("increase in", "rising") in trends
    assert ("reorganize", "rising") in trends
    assert ("largely passed", "falling") in trends
    likelihood = {(x["text"], x["likelihood"]) for x in seed_draft["likelihood"]}
    assert ("probably", 4) in likelihood and ("seems unlikely", 2) in likelihood
    credibility = {(c["text"], c["credibility"]) for c in seed_draft["credibility"]}
    assert ("according to the official data", 2) in credibility
    assert ("It has been reported", 3) in credibility
    assert ("credible information", 2) in credibility


def test_every_offset_points_at_its_text(seed_text: str, seed_draft: dict[str, Any]) -> None:
    spans = [
        *seed_draft["sentences"],
        *seed_draft["places"],
        *seed_draft["incidents"],
        *seed_draft["trends"],
        *seed_draft["recommendations"],
        *seed_draft["likelihood"],
        *seed_draft["credibility"],
        *(m for a in seed_draft["actors"] for m in a["mentions"]),
        *(f for a in seed_draft["actors"] for f in a["figures"]),
        *(i["when"] for i in seed_draft["incidents"]),
    ]
    assert len(spans) > 150
    for span in spans:
        assert seed_text[span["start"] : span["end"]] == span["text"]


def test_against_the_gold(seed_draft: dict[str, Any], seed_gold: dict[str, Any]) -> None:
    scores = score_draft(seed_draft, seed_gold)
    assert scores["categories"].f1 >= 0.8
    assert scores["places"].precision == 1.0 and scores["places"].recall >= 0.9
    for field in ("actors", "aliases", "strength", "incidents", "recommendations"):
        assert scores[field].f1 == 1.0, field
