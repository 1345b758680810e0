"""Threat sentences: official advice mixes threats with advice, references and practicalities;
only threats are proposed as threat sentences (advice may come back as a recommendation)."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.apps.drafts.proposals import proposals
from riskatlas.extraction import extract
from riskatlas.extraction.sentences import split_sentences
from riskatlas.extraction.threats import sentence_kind

ADVICE_PAGE = """## Kidnapping

Kidnapping rates remain high in Ruritania.
If you fall victim to a kidnapping, follow the kidnapper's instructions.
During elections, avoid large gatherings and political rallies.
Don't comment on local politics on social media.
Allow extra time and monitor local media, including social media channels.
Ruritania Counter Terrorism Policing has information and advice on staying safe abroad.
Find out [how to reduce your risk from terrorism](https://example.invalid/terrorism).
There are authorised taxi booths at most airports in Ruritania.
Robbers have attacked passengers in unlicensed taxis at night.
If you are kidnapped, your reason for being there will not protect you.
"""


def _kinds(text: str) -> dict[str, str]:
    return {s.text: sentence_kind(text, s) for s in split_sentences(text)}


def test_each_sentence_says_what_it_is() -> None:
    kinds = _kinds(ADVICE_PAGE)
    assert kinds["Kidnapping"] == "heading"
    assert kinds["Kidnapping rates remain high in Ruritania."] == "threat"
    assert kinds["If you fall victim to a kidnapping, follow the kidnapper's instructions."] == (
        "advice"
    )
    assert kinds["During elections, avoid large gatherings and political rallies."] == "advice"
    assert kinds["Don't comment on local politics on social media."] == "advice"
    assert kinds["Allow extra time and monitor local media, including social media channels."] == (
        "advice"
    )
    policing = "Ruritania Counter Terrorism Policing has information and advice on staying safe"
    assert kinds[policing + " abroad."] == "reference"
    assert next(v for k, v in kinds.items() if k.startswith("Find out")) == "reference"
    assert kinds["There are authorised taxi booths at most airports in Ruritania."] == "context"
    assert kinds["Robbers have attacked passengers in unlicensed taxis at night."] == "threat"
    # A condition then a statement, not an instruction: still a threat.
    assert kinds["If you are kidnapped, your reason for being there will not protect you."] == (
        "threat"
    )


def test_only_threats_are_proposed_and_advice_becomes_a_recommendation() -> None:
    draft = extract(ADVICE_PAGE)
    proposed = [p.quote for p in proposals(draft, ADVICE_PAGE) if p.kind == "category"]
    assert proposed == [
        "Kidnapping rates remain high in Ruritania.",
        "Robbers have attacked passengers in unlicensed taxis at night.",
        "If you are kidnapped, your reason for being there will not protect you.",
    ]
    # Every sentence still carries its categories and says what it is.
    social = next(s for s in draft["sentences"] if s["text"].startswith("Allow extra time"))
    assert social["statement"] == "advice"
    advice = {r["text"] for r in draft["recommendations"]}
    assert "If you fall victim to a kidnapping, follow the kidnapper's instructions." in advice
    assert "During elections, avoid large gatherings and political rallies." in advice
    # A reference is not advice to act on.
    assert not any(r.startswith("Ruritania Counter Terrorism") for r in advice)


def test_an_apostrophe_in_a_lexicon_phrase_matches_both_spellings() -> None:
    kinds = _kinds("Don’t walk alone at night.\nDon't walk alone at night.\n")
    assert set(kinds.values()) == {"advice"}


FCDO_COLOMBIA = (
    Path(__file__).resolve().parents[3].parent
    / "shared/data/advisories/unitedkingdom/Colombia/Safety and security.md"
)
#: Sentences of the FCDO's Colombia page that state no threat (issue 10's examples).
NOT_THREATS = (
    "UK Counter Terrorism Policing has information and advice on",
    "Find out [how to reduce your risk from terrorism",
    "If you fall victim to a kidnapping, follow the kidnapper’s instructions.",
    "Allow extra time to reach your destination and monitor local media",
    "Avoid protests, strikes and demonstrations",
    "There are authorised taxi booths at most airports in Colombia.",
    "The departmental capitals of Amazonas, Vaupes and Guainía are only accessible by air",
    "You can use a UK photocard driving licence",
    "Call 767 for information",
)
#: And some that do.
THREATS = (
    "Terrorists are very likely to try to carry out attacks in Colombia.",
    "Kidnapping rates remain high and widespread in Colombia.",
    "British nationals have been robbed at gunpoint in the Candelaria area of Bogotá",
    "Driving standards are poor and traffic accidents are common.",
    "There is a risk from landmines throughout Colombia",
    "There are 25 active and monitored volcanoes in Colombia.",
)


@pytest.fixture(scope="module")
def colombia() -> tuple[dict, str]:
    if not FCDO_COLOMBIA.is_file():
        pytest.skip(f"the FCDO's Colombia page is not at {FCDO_COLOMBIA} (../shared/data)")
    text = FCDO_COLOMBIA.read_text(encoding="utf-8")
    return extract(text), text


def test_fcdo_colombia_threat_sentences_are_threats(colombia: tuple[dict, str]) -> None:
    draft, text = colombia
    proposed = [p.quote for p in proposals(draft, text) if p.kind == "category"]
    for start in NOT_THREATS:
        assert not any(q.startswith(start) for q in proposed), start
    for start in THREATS:
        assert any(q.startswith(start) for q in proposed), start
    # docs/extraction.md: 63 proposed by hand count, 61 of them threats (was 121 proposed).
    assert 55 <= len(proposed) <= 70
    cyber = [q for q in proposed if "social media" in q]
    assert not cyber  # "monitor social media" is advice, not a cyber threat


def test_a_security_plan_instruction_is_advice_not_a_threat() -> None:
    text = (
        "If necessary, evacuate staff by road to Lima before the roads close.\n"
        "Withdraw staff from the valley if fighting spreads.\n"
        "Armed groups evacuate villages before attacks on the road to Ayacucho.\n"
    )
    kinds = _kinds(text)
    assert kinds["If necessary, evacuate staff by road to Lima before the roads close."] == "advice"
    assert kinds["Withdraw staff from the valley if fighting spreads."] == "advice"
    # The verb is advice only as an instruction, not inside a statement about others.
    assert (
        kinds["Armed groups evacuate villages before attacks on the road to Ayacucho."] == "threat"
    )
