"""Categories judged on paragraphs labelled by reading (riskatlas.extraction.reading_set).

The set ``categories_by_reading.csv`` names paragraphs of the shared advice pages with the
categories a reader gave them (its header says how); it is held out: the lexicon was edited on
``categories_by_reading_dev.csv``, made the same way from other paragraphs of the same pages.
The figures of docs/extraction.md are asserted here, so that a change to the engine or the
sets shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.extraction.evaluation import (
    engine_named_page_classifier,
    engine_page_classifier,
    macro_f1,
)
from riskatlas.extraction.reading_set import (
    ReadLabel,
    agreement_between_readings,
    classify_read_set,
    read_label_set,
    score_read_set,
)

SET = Path(__file__).with_name("categories_by_reading.csv")
DEV = Path(__file__).with_name("categories_by_reading_dev.csv")
HEAD = "government,country,file,paragraph,starts,labels,second,in_second_pass\n"


def _rows() -> list[ReadLabel]:
    return read_label_set(SET.read_text(encoding="utf-8"))


def test_the_set_has_the_paragraphs_the_issue_asks_for_read_twice_in_part() -> None:
    rows = _rows()
    assert len(rows) >= 400
    assert len({(r.government, r.country, r.file, r.paragraph) for r in rows}) == len(rows)
    assert {r.government for r in rows} == {
        "australia", "canada", "ireland", "unitedkingdom", "unitedstates",
    }  # fmt: skip
    assert sum(1 for r in rows if r.second is not None) >= 50
    # paragraphs that name no threat are in the set too (contacts, links)
    assert 30 <= sum(1 for r in rows if not r.labels) <= 80


def test_the_development_set_is_other_paragraphs_of_the_same_pages() -> None:
    held_out = {(r.government, r.country, r.file, r.paragraph) for r in _rows()}
    dev = read_label_set(DEV.read_text(encoding="utf-8"))
    keys = [(r.government, r.country, r.file, r.paragraph) for r in dev]
    assert len(dev) == len(set(keys)) == 500
    assert not set(keys) & held_out
    assert {r.file for r in dev} == {r.file for r in _rows()}
    by_government = {
        g: sum(1 for r in dev if r.government == g) for g in {r.government for r in dev}
    }
    assert set(by_government.values()) == {100}
    # every category of the held-out set is in it, OTH included; some paragraphs name none
    assert {c for r in _rows() for c in r.labels} <= {c for r in dev for c in r.labels}
    assert sum(1 for r in dev if not r.labels) >= 30


def test_the_two_readings_agree_as_the_docs_say() -> None:
    rows = _rows()
    codes = sorted({c for r in rows for c in r.labels})
    agreement = agreement_between_readings(rows, codes)
    assert (agreement.paragraphs, agreement.same) == (60, 55)
    assert round(agreement.kappa, 2) == 0.96


def test_the_second_reading_of_the_development_set_agrees_as_the_docs_say() -> None:
    """104 paragraphs of the development set read again blind by another session: 94 the same,
    pooled kappa 0.945; per category the least agreed are OCR (0.66) and BRD (0.80)."""
    dev = read_label_set(DEV.read_text(encoding="utf-8"))
    agreement = agreement_between_readings(dev, sorted({c for r in dev for c in r.labels}))
    assert (agreement.paragraphs, agreement.same) == (104, 94)
    assert round(agreement.kappa, 3) == 0.945
    assert agreement.by_category["CRM"][:3] == (22, 19, 18)
    assert round(agreement.by_category["OCR"][3], 2) == 0.66
    assert agreement.by_category["TRN"][3] == 1.0
    assert "POL" not in agreement.by_category  # neither reading gave it to these 104


def test_kappa_counts_agreement_beyond_chance() -> None:
    def row(first: str, second: str) -> ReadLabel:
        return ReadLabel("g", "c", "f", 0, "", frozenset(first.split()), frozenset(second.split()))

    same = [row("CRM", "CRM"), row("TER", "TER"), row("", "")]
    assert agreement_between_readings(same, ["CRM", "TER"]).kappa == 1.0
    crossed = [row("CRM", "TER"), row("TER", "CRM")]
    result = agreement_between_readings(crossed, ["CRM", "TER"])
    assert result.same == 0 and result.kappa < 0
    assert result.by_category["CRM"][:3] == (1, 1, 0) and result.by_category["CRM"][3] < 0


def test_a_bad_row_is_refused_with_its_line() -> None:
    text = "# a note\n" + HEAD + "canada,Peru,security.md,3,Crime,CRM XYZ,,\n"
    with pytest.raises(ValueError, match="line 3: unknown categories XYZ"):
        read_label_set(text)
    text = HEAD + "canada,Peru,security.md,three,Crime,CRM,,\n"
    with pytest.raises(ValueError, match="line 2: paragraph 'three' is no number"):
        read_label_set(text)


def test_a_paragraph_that_moved_is_refused(shared_data: Path) -> None:
    rows = read_label_set(HEAD + "canada,Peru,security.md,0,Not how it starts,CRM,,\n")
    with pytest.raises(ValueError, match="paragraph 0 does not start 'Not how it starts'"):
        classify_read_set(shared_data / "advisories", rows, engine_page_classifier)


def test_the_engine_on_labels_by_reading_scores_what_the_docs_say(shared_data: Path) -> None:
    """Held out: macro F1 0.671 over the 15 categories the readers used (0.614 before the
    lexicon was developed on the development set), far from the issue's 0.85: the figure
    docs/extraction.md reports. OTH is now proposed (adventure activities, balconies...)."""
    gold, predicted = classify_read_set(shared_data / "advisories", _rows(), engine_page_classifier)
    scores = score_read_set(gold, predicted)
    assert len(scores.by_category) == 15
    assert round(macro_f1(scores), 3) == 0.671
    assert scores.by_category["OTH"].true_positive > 0
    assert scores.by_category["TRN"].f1 > 0.8 and scores.by_category["CRM"].f1 > 0.7


def test_the_engine_on_the_development_set_scores_what_the_docs_say(shared_data: Path) -> None:
    """Not held out for the lexicon, whose cues for the missed categories were written from its
    errors here (the model never trains on labels by reading): 0.696."""
    dev = read_label_set(DEV.read_text(encoding="utf-8"))
    gold, predicted = classify_read_set(shared_data / "advisories", dev, engine_page_classifier)
    assert round(macro_f1(score_read_set(gold, predicted)), 3) == 0.696


def test_the_engine_with_what_paragraphs_also_name_scores_what_the_docs_say(
    shared_data: Path,
) -> None:
    """The main categories and those each paragraph also names outright (a full-weight cue in
    its own words; classifier.also_named), scored once on the held-out set after NAMED was
    chosen on the development set: 0.749 held out (0.755 held out by government, the
    benchmark), 0.776 on the development set; still short of the issue's 0.85."""
    root = shared_data / "advisories"
    gold, predicted = classify_read_set(root, _rows(), engine_named_page_classifier)
    scores = score_read_set(gold, predicted)
    assert round(macro_f1(scores), 3) == 0.749
    assert scores.by_category["KID"].f1 > 0.9 and scores.by_category["SGV"].f1 > 0.85
    main = score_read_set(*classify_read_set(root, _rows(), engine_page_classifier))
    for code in ("KID", "SGV", "CYB", "DET"):  # the secondary categories a reader labels
        assert scores.by_category[code].recall > main.by_category[code].recall
    dev = read_label_set(DEV.read_text(encoding="utf-8"))
    gold, predicted = classify_read_set(root, dev, engine_named_page_classifier)
    assert round(macro_f1(score_read_set(gold, predicted)), 3) == 0.776


MORE = Path(__file__).with_name("categories_by_reading_more.csv")


def test_the_further_development_paragraphs_are_neither_held_out_nor_in_the_dev_set(
    shared_data: Path,
) -> None:
    """220 more paragraphs labelled by reading (half at random, half chosen by the lexicon's
    cues for the weak categories), for development only: none of them is in the held-out set
    or the development set, and each is still found on its page."""
    more = read_label_set(MORE.read_text(encoding="utf-8"))
    keys = {(r.government, r.country, r.file, r.paragraph) for r in more}
    assert len(more) == len(keys) == 220
    dev = read_label_set(DEV.read_text(encoding="utf-8"))
    assert not keys & {(r.government, r.country, r.file, r.paragraph) for r in _rows()}
    assert not keys & {(r.government, r.country, r.file, r.paragraph) for r in dev}
    gold, _ = classify_read_set(shared_data / "advisories", more, lambda t: [set() for _ in t])
    assert len(gold) == 220
    assert sum(1 for r in more if "POL" in r.labels) == 3
