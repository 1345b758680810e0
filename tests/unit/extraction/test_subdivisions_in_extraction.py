"""Text extraction proposes the subdivisions of the country being read about, found by the
subdivision resolver in threat sentences, with their ISO 3166-2 codes, even when the text never
names the country (``extract(text, country=...)``, ``riskatlas extract --country``, reading a
report into an assessment)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from riskatlas.apps.drafts.proposals import proposals
from riskatlas.cli import main
from riskatlas.extraction import extract

SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "advisories"


def _coded(draft: dict) -> list[tuple[str, str, str]]:  # type: ignore[type-arg]
    return [(p["text"], p["iso_3166"], p["kind"]) for p in draft["places"]]


def test_a_subdivision_is_coded_for_the_country_being_read_without_the_text_naming_it():
    text = (
        "Armed groups attack villages in the department of Cauca and in Norte de Santander. "
        "Kidnapping is common."
    )
    assert _coded(extract(text)) == []  # no country named: nothing to place them in
    draft = extract(text, country="co")
    assert _coded(draft) == [
        ("Cauca", "CO-CAU", "subdivision"),
        ("Norte de Santander", "CO-NSA", "subdivision"),
    ]
    cauca = draft["places"][0]
    assert text[cauca["start"] : cauca["end"]] == "Cauca"
    assert (cauca["name"], cauca["country"], cauca["match"]) == ("Cauca", "CO", "subdivision")
    assert cauca["lat"] is not None and cauca["lon"] is not None
    # Proposed for review like any place below country level.
    rows = [r for r in proposals(draft, text) if r.kind == "place"]
    assert [r.payload["iso_3166"] for r in rows] == ["CO-CAU", "CO-NSA"]


def test_a_state_named_like_a_country_is_the_state_and_the_country_alone_stays_the_country():
    draft = extract("Bandits abduct travellers in Zamfara and Niger State.", country="NG")
    assert _coded(draft) == [
        ("Zamfara", "NG-ZA", "subdivision"),
        ("Niger State", "NG-NI", "subdivision"),  # the country Niger without the resolver
    ]
    crossing = extract("Bandits from Niger attacked villages in Sokoto.", country="NG")
    assert ("Niger", "NE", "country") in _coded(crossing)


def test_towns_rivers_and_a_kind_word_decide_what_is_proposed():
    mexico = extract(
        "Cartel violence is widespread in the city of Zacatecas and in the state of Guerrero; "
        "armed robbery is frequent in Puebla state.",
        country="MX",
    )
    coded = _coded(mexico)
    assert ("Guerrero", "MX-GRO", "subdivision") in coded
    assert ("Puebla", "MX-PUE", "subdivision") in coded  # the town Puebla without "state"
    assert not any(code == "MX-ZAC" and kind == "subdivision" for _t, code, kind in coded)
    kenya = extract("Militants have attacked police posts near the Tana River.", country="KE")
    assert "KE-40" not in {p["iso_3166"] for p in kenya["places"]}  # the river, not the county


def test_a_misspelt_name_needs_two_words_and_a_word_one_slip_from_a_name_is_a_word():
    ukraine = extract("Crime: criminals target tourists near the front line.", country="UA")
    assert "UA-43" not in {p["iso_3166"] for p in ukraine["places"]}  # not Crimea
    nigeria = extract("Drivers are robbed at gunpoint on the roads of Akawa Ibom.", country="NG")
    assert [(p["text"], p["iso_3166"], p["match"]) for p in nigeria["places"]] == [
        ("Akawa Ibom", "NG-AK", "fuzzy")  # "Drivers" is not Rivers
    ]


def test_only_threat_sentences_gain_subdivisions():
    text = "Do not travel to Cauca. Reconsider travel to Arauca."
    draft = extract(text, country="CO")
    assert {s["statement"] for s in draft["sentences"]} != {"threat"}
    assert "CO-CAU" not in {p["iso_3166"] for p in draft["places"]}


def test_a_country_that_is_no_iso_code_is_refused_by_name():
    with pytest.raises(ValueError, match="country 'Colombia': not an ISO 3166-1 alpha-2 code"):
        extract("Armed groups attack villages in Cauca.", country="Colombia")


def test_the_command_takes_the_country_and_refuses_a_wrong_one(tmp_path: Path):
    text = "Armed groups attack villages in the department of Cauca."
    result = CliRunner().invoke(main, ["extract", "-", "--country", "CO"], input=text)
    assert result.exit_code == 0, result.output
    assert [p["iso_3166"] for p in json.loads(result.output)["places"]] == ["CO-CAU"]
    wrong = CliRunner().invoke(main, ["extract", "-", "--country", "XX"], input=text)
    assert wrong.exit_code == 2
    assert "--country" in wrong.output and "'XX': not an ISO 3166-1 alpha-2 code" in wrong.output
    both = CliRunner().invoke(main, ["extract", "-", "--country", "CO", "--into", "pe-2009"])
    assert both.exit_code == 2 and "leave out --country" in both.output
    batch = tmp_path / "in.jsonl"
    batch.write_text(
        json.dumps({"id": "a", "text": text})
        + "\n"
        + json.dumps({"id": "b", "text": "Gangs attack buses in Artibonite.", "country": "HT"})
        + "\n"
        + json.dumps({"id": "c", "text": text, "country": "Colombia"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        main, ["extract", "--jsonl", str(batch), "--country", "CO", "-o", str(out)]
    )
    assert result.exit_code == 1
    assert f"{batch}:3: country: 'Colombia' is not an ISO 3166-1 alpha-2 code" in result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["iso_3166"] for p in lines[0]["places"]] == ["CO-CAU"]  # --country
    assert [p["iso_3166"] for p in lines[1]["places"]] == ["HT-AR"]  # the line's own
    assert lines[2]["error"].startswith("country:")


def _page(government: str, country: str, name: str) -> str:
    path = SHARED / government / country / name
    if not path.is_file():
        pytest.skip(f"shared advice page not found at {path}")
    return path.read_text(encoding="utf-8")


def test_real_pages_gain_the_states_and_counties_their_threat_sentences_name():
    nigeria = _page("unitedkingdom", "Nigeria", "Safety and security.md")
    before, after = extract(nigeria), extract(nigeria, country="NG")
    police = "attacks on police in Niger State"
    start = nigeria.index(police) + len("attacks on police in ")
    at = {(p["start"], p["iso_3166"], p["kind"]) for p in after["places"]}
    assert (start, "NE", "country") in {(p["start"], p["iso_3166"], p["kind"]) for p in
                                        before["places"]}  # fmt: skip
    assert (start, "NG-NI", "subdivision") in at
    prison = "Kuje Prison in the Federal Capital Territory"
    fct = nigeria.index(prison) + len("Kuje Prison in the ")
    assert (fct, "NG-FC", "subdivision") in at
    assert fct not in {p["start"] for p in before["places"]}
    kenya = _page("australia", "Kenya", "Safety.md")
    added = {(p["text"], p["iso_3166"]) for p in extract(kenya, country="KE")["places"]} - {
        (p["text"], p["iso_3166"]) for p in extract(kenya)["places"]
    }
    # Counties in threat sentences ("… kidnapping … in areas within Tana River and Kilifi
    # Counties", "banditry … in North and Central Rift regions (Turkana, West Pokot, Elgeyo
    # Marakwet, …)"), found by name only with Kenya given.
    assert added == {("Kilifi", "KE-14"), ("Elgeyo Marakwet", "KE-05")}
