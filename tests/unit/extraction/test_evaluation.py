"""The evaluation harness: heading labels, paragraphs, scores; and the advisory-set scores
on the real official advice (skipped when ../shared/data is absent)."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.extraction.evaluation import (
    advisory_pages,
    classify_pages,
    engine_page_classifier,
    evaluate,
    heading_labels,
    keyword_baseline,
    lexicon_page_classifier,
    macro_f1,
    markdown_paragraphs,
    score_labels,
)

PAGE = """# Safety and security

## Crime

Pickpockets and bag snatchers target tourists in markets and on buses.

To reduce your risk:

* keep valuables out of sight
* use ATMs inside banks

### Kidnapping

Express kidnappings occur: victims are abducted and held for ransom.

### Useful links

* [Police](https://example.invalid/police)

## Terrorism in Ruritania

Terrorists are likely to try to carry out attacks.
"""


def test_heading_table() -> None:
    assert heading_labels("Crime") == {"CRM"}
    assert heading_labels("  Terrorism in Peru ") == {"TER"}
    assert heading_labels("Fake taxi drivers") == {"TRN", "CRM"}
    assert heading_labels("Women’s safety") == {"SGV"}
    assert heading_labels("Province of Lima") == frozenset()
    assert heading_labels("Useful links") == frozenset()


def test_markdown_paragraphs_join_lists_to_their_lead() -> None:
    paragraphs = markdown_paragraphs(PAGE)
    assert [h for h, _ in paragraphs] == [
        "Crime",
        "Crime",
        "Kidnapping",
        "Useful links",
        "Terrorism in Ruritania",
    ]
    assert paragraphs[1][1].startswith("To reduce your risk:\n* keep valuables")


def test_pages_label_paragraphs_and_drop_link_lists(tmp_path: Path) -> None:
    page = tmp_path / "canada" / "Ruritania" / "security.md"
    page.parent.mkdir(parents=True)
    page.write_text(PAGE, encoding="utf-8")
    (tmp_path / "canada" / "Ruritania" / "health.md").write_text("# Health", encoding="utf-8")
    pages = advisory_pages(tmp_path)
    assert len(pages) == 1
    labels = [sorted(p.labels) for p in pages[0].paragraphs]
    assert labels == [["CRM"], ["CRM"], ["KID"], ["TER"]]  # the link list is too short
    paragraphs, predicted = classify_pages(pages, engine_page_classifier)
    assert predicted == [{"CRM"}, {"CRM"}, {"KID"}, {"TER"}]
    assert macro_f1(evaluate(paragraphs, predicted)) == 1.0


def test_scores_and_macro_over_labelled_categories() -> None:
    gold = [frozenset({"CRM"}), frozenset({"CRM"}), frozenset({"KID"})]
    predicted = [{"CRM"}, {"KID"}, {"KID", "NAT"}]
    scores = score_labels(gold, predicted)
    assert set(scores.by_category) == {"CRM", "KID"}  # NAT is never labelled: not rated
    crm, kid = scores.by_category["CRM"], scores.by_category["KID"]
    assert (crm.precision, crm.recall) == (1.0, 0.5)
    assert (kid.precision, kid.recall) == (0.5, 1.0)
    assert scores.macro_f1 == pytest.approx(2 / 3)


def test_keyword_baseline_is_plain_substrings() -> None:
    assert keyword_baseline("Armed robbery and kidnapping") == {"CRM", "KID"}
    assert keyword_baseline("a road") == {"TRN"}


@pytest.mark.shared_data
def test_advisory_set_beats_the_keyword_baseline(shared_data: Path) -> None:
    pages = advisory_pages(shared_data / "advisories")
    lexicon = classify_pages(pages, lexicon_page_classifier)
    baseline = classify_pages(pages, lambda texts: [keyword_baseline(t) for t in texts])
    assert len(lexicon[0]) > 1000

    def held_out(p) -> bool:
        return p.government == "australia"

    # The lexicon alone learns nothing from the set: measured 0.72 against 0.47, 0.66 on
    # Australia (whose errors were never read) (docs/benchmarks.md).
    ours, theirs = macro_f1(evaluate(*lexicon)), macro_f1(evaluate(*baseline))
    assert ours >= 0.70
    assert ours >= theirs + 0.2
    assert macro_f1(evaluate(*lexicon, held_out)) >= 0.64
    assert macro_f1(evaluate(*lexicon), min_support=30) >= 0.74


@pytest.mark.shared_data
def test_engine_held_out_beats_the_lexicon_alone(shared_data: Path) -> None:
    """The engine (lexicon + model) trained without the government or countries it is
    tested on. Issue 4 asks for 0.85: not reached (docs/benchmarks.md)."""
    from riskatlas.extraction.train import examples, report

    figures = report(examples(advisory_pages(shared_data / "advisories")))
    # Measured 0.737 (mean of the three governments) and 0.784 (pooled over five folds of
    # two countries); the lexicon alone gives 0.725 and 0.717 on the same splits.
    assert figures["leave-one-government-out, mean"] >= 0.72
    assert figures["leave-countries-out, pooled"] >= 0.77
    assert min(v for k, v in figures.items() if k.startswith("government ")) >= 0.66
    # Over the ten categories with ≥ 30 paragraphs: measured 0.788 and 0.862.
    assert figures["leave-one-government-out, pooled, ≥ 30"] >= 0.77
    assert figures["leave-countries-out, pooled, ≥ 30"] >= 0.84


US_PAGE = """# Safety and Security

**Terrorism:** Terrorist groups want to attack visitors in crowded places.

* Hotels, clubs and restaurants
* Places of worship

**Crime:** Armed robbery is common in the capital and thieves snatch phones.

Do not resist an armed robber.

**Tourism:** The tourism industry is generally regulated and inspected.
"""


def test_lead_ins_head_their_paragraphs_and_are_cut_from_the_text() -> None:
    paragraphs = markdown_paragraphs(US_PAGE, lead_ins=True)
    assert [h for h, _ in paragraphs] == ["Terrorism", "Crime", "Crime", "Tourism"]
    assert paragraphs[0][1].startswith("Terrorist groups want")
    assert "* Places of worship" in paragraphs[0][1]  # the list stays with its lead-in
    assert not any("**" in text or "Crime:" in text for _, text in paragraphs)
    # Without lead-ins (the evaluation set's governments) the bold text is left alone.
    assert {h for h, _ in markdown_paragraphs(US_PAGE)} == {"Safety and Security"}


def test_unseen_governments_are_read_with_their_own_conventions(tmp_path: Path) -> None:
    from riskatlas.extraction.evaluation import UNSEEN_FILES

    us = tmp_path / "unitedstates" / "Ruritania" / "Safety and Security.md"
    ie = tmp_path / "ireland" / "Ruritania" / "Safety and security.md"
    for path, text in ((us, US_PAGE), (ie, PAGE.replace("## Crime", "### **Crime**"))):
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    pages = {p.government: p for p in advisory_pages(tmp_path, UNSEEN_FILES)}
    assert [sorted(p.labels) for p in pages["unitedstates"].paragraphs] == [
        ["TER"],
        ["CRM"],
        ["CRM"],
        [],  # "Tourism" labels nothing
    ]
    assert [p.heading for p in pages["ireland"].paragraphs][:2] == ["Crime", "Crime"]
    # ...and the evaluation set itself reads neither folder.
    assert advisory_pages(tmp_path) == []


@pytest.mark.shared_data
def test_engine_on_governments_it_never_saw(shared_data: Path) -> None:
    """Ireland and the United States: no cue written from them, no training on them."""
    from riskatlas.extraction.evaluation import UNSEEN_FILES

    pages = advisory_pages(shared_data / "advisories", UNSEEN_FILES)
    engine = classify_pages(pages, engine_page_classifier)
    baseline = classify_pages(pages, lambda texts: [keyword_baseline(t) for t in texts])
    assert len(engine[0]) > 300
    # Measured 0.640 pooled (0.737 over categories with ≥ 10 paragraphs) against 0.443 for
    # the keyword matcher (docs/benchmarks.md).
    assert macro_f1(evaluate(*engine)) >= 0.62
    assert macro_f1(evaluate(*engine)) >= macro_f1(evaluate(*baseline)) + 0.15
    assert macro_f1(evaluate(*engine), min_support=10) >= 0.70


def test_what_paragraphs_also_name_costs_the_heading_labels(shared_data: Path) -> None:
    """Headings file a paragraph under its main topic; the categories it also names outright
    (labels by reading count them) are false positives there: 0.578 on the unseen governments
    with them against 0.640 without (docs/extraction.md, "Also named")."""
    from riskatlas.extraction.evaluation import UNSEEN_FILES, engine_named_page_classifier

    pages = advisory_pages(shared_data / "advisories", UNSEEN_FILES)
    main = classify_pages(pages, engine_page_classifier)
    named = classify_pages(pages, engine_named_page_classifier)
    assert round(macro_f1(evaluate(*main)), 3) == 0.640
    assert round(macro_f1(evaluate(*named)), 3) == 0.578
    assert all(m <= n for m, n in zip(main[1], named[1], strict=True))
