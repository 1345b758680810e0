"""Fuzzing the extractor (bounded): any text gives a draft whose offsets index the text —
never an exception, never more than a few seconds."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskatlas.extraction import extract

ADVICE = Path(__file__).resolve().parents[1] / "fixtures" / "evidence" / "advisories"
SEED = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(ADVICE.rglob("*.md")))[:6000]
FUZZ = settings(
    max_examples=200,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
WORDS = st.sampled_from(
    [
        "kidnapping", "Lima", "Ayacucho", "Shining Path", "likely", "almost certainly", "killed",
        "3", "1,000,000", "9" * 300, "2009-02-30", "on 31 February", ".", "!", "?", "\n\n", "\x00",
        "\u202e", "\ufeff", "http://x.invalid/a.b", "e.g.", "Dr.", "U.S.", "(", ")", "\"", "—",
        "a" * 2000, "..." * 50, "Sendero Luminoso", "VRAEM", "bomb", "protest", "roads",
    ]
)  # fmt: skip


def _check(text: str) -> None:
    started = time.perf_counter()
    draft = extract(text)
    for sentence in draft.get("sentences", []):
        assert 0 <= sentence["start"] <= sentence["end"] <= len(text)
    assert time.perf_counter() - started < 3.0


@FUZZ
@given(st.text(max_size=2000))
def test_any_text_gives_a_draft(text: str) -> None:
    _check(text)


@FUZZ
@given(st.lists(WORDS | st.text(max_size=12), max_size=60).map(" ".join))
def test_any_mix_of_telling_words_gives_a_draft(text: str) -> None:
    _check(text)


@FUZZ
@given(st.integers(0, len(SEED)), st.integers(0, len(SEED)), WORDS)
def test_cut_and_spliced_advice_gives_a_draft(start: int, end: int, word: str) -> None:
    _check(SEED[:start] + word + SEED[end:])


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_folding_keeps_every_offset_and_agrees_character_by_character(text: str) -> None:
    from riskatlas.extraction.places import fold

    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(fold(ch) for ch in text)  # the ASCII fast path changes nothing
