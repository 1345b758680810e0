"""Categories judged on paragraphs labelled by reading (not by headings).

    .venv/bin/python benchmarks/categories_by_reading.py

Reads ``tests/unit/extraction/categories_by_reading.csv`` (the held-out set) and
``categories_by_reading_dev.csv`` (the development set the lexicon was edited on) and the pages
they name in ``../shared/data/advisories``; prints the agreement between the two readings, then
for each set macro F1 of the engine held out by government (the Canada, UK and Australia
paragraphs classified by a model trained on the other two governments' heading-labelled pages;
Ireland and the US, never trained on, by the shipped model), of the engine as shipped (in
sample for the heading-labelled pages it was trained on), of the lexicon alone and of the
keyword matcher, with the per-category tables held out. (The learned reading decision,
removed from the engine, is scored by ``categories_reading_decision.py --held-out``.)
The heading model is never trained on labels by reading, so on both sets its figures are held
out; the lexicon's are held out on the first set only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from riskatlas.extraction.classifier import ParagraphModel
from riskatlas.extraction.evaluation import (
    ADVISORY_FILES,
    LabelledParagraph,
    Scores,
    advisory_pages,
    engine_named_page_classifier,
    engine_page_classifier,
    evaluate,
    keyword_baseline,
    lexicon_page_classifier,
    macro_f1,
)
from riskatlas.extraction.reading_set import (
    ReadLabel,
    agreement_between_readings,
    classify_read_set,
    read_label_set,
    score_read_set,
)

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "tests" / "unit" / "extraction" / "categories_by_reading.csv"
DEV = ROOT / "tests" / "unit" / "extraction" / "categories_by_reading_dev.csv"
ADVISORIES = ROOT.parent / "shared" / "data" / "advisories"
UNSEEN = ("ireland", "unitedstates")


def held_out(
    rows: list[ReadLabel], named: bool = False
) -> tuple[list[LabelledParagraph], list[set[str]]]:
    """The engine held out by government; with ``named``, its main categories and those each
    paragraph also names outright."""
    from riskatlas.extraction.train import examples, fit

    data = examples(advisory_pages(ADVISORIES))
    gold: list[LabelledParagraph] = []
    predicted: list[set[str]] = []
    for government in ADVISORY_FILES:
        model = fit([e for e in data if e.paragraph.government != government])

        def classify(texts: list[str], model: ParagraphModel = model) -> list[set[str]]:
            main, also = model.classify_page_named(texts)
            if not named:
                also = [[] for _ in main]
            return [
                {s.code for s in m} | {s.code for s in a} for m, a in zip(main, also, strict=True)
            ]

        part = [r for r in rows if r.government == government]
        g, p = classify_read_set(ADVISORIES, part, classify)
        gold += g
        predicted += p
    part = [r for r in rows if r.government not in ADVISORY_FILES]
    shipped = engine_named_page_classifier if named else engine_page_classifier
    g, p = classify_read_set(ADVISORIES, part, shipped)
    return gold + g, predicted + p


def line(
    name: str, gold: list[LabelledParagraph], predicted: list[set[str]], seen: set[str]
) -> str:
    scores = score_read_set(gold, predicted)
    unseen = evaluate(gold, predicted, lambda p: p.government in UNSEEN)
    without_oth = Scores({c: n for c, n in scores.by_category.items() if c != "OTH"})
    new_text = evaluate(gold, predicted, lambda p: _normal(p.text) not in seen)
    return (
        f"| {name} | {macro_f1(scores):.3f} | {macro_f1(without_oth):.3f} | "
        f"{macro_f1(scores, 20):.3f} | {macro_f1(unseen):.3f} | {macro_f1(new_text):.3f} |"
    )


def _normal(text: str) -> str:
    return " ".join(text.split())


def table(rows: list[ReadLabel], seen: set[str]) -> None:
    """The classifiers' figures on one set; ``seen``: texts of the other set (the same
    boilerplate paragraph recurs on a government's pages)."""
    print(
        "| classifier | macro F1 | without OTH | categories ≥ 20 | Ireland + US only "
        "| texts not in the other set |"
    )
    print("|---|---|---|---|---|---|")
    engine_held_out = held_out(rows)
    named_held_out = held_out(rows, named=True)
    classifiers: list[tuple[str, Callable[[list[str]], list[set[str]]]]] = [
        ("engine + also named, shipped", engine_named_page_classifier),
        ("engine, shipped (in sample for CA/UK/AU headings)", engine_page_classifier),
        ("lexicon alone", lexicon_page_classifier),
        ("keyword matcher", lambda texts: [keyword_baseline(t) for t in texts]),
    ]
    print(line("engine + also named, held out by government", *named_held_out, seen))
    print(line("engine, held out by government", *engine_held_out, seen))
    for name, classify in classifiers:
        print(line(name, *classify_read_set(ADVISORIES, rows, classify), seen))
    print()
    print("Held out by government, per category (engine + also named; engine):")
    print()
    print("| category | paragraphs | precision | recall | F1 | engine alone: P | R | F1 |")
    print("|---|---|---|---|---|---|---|---|")
    alone = {r["category"]: r for r in score_read_set(*engine_held_out).as_rows()}
    for row in score_read_set(*named_held_out).as_rows():
        other = alone[str(row["category"])]
        print(
            f"| {row['category']} | {row['support']} | {row['precision']:.2f} | "
            f"{row['recall']:.2f} | {row['f1']:.2f} | {other['precision']:.2f} | "
            f"{other['recall']:.2f} | {other['f1']:.2f} |"
        )


def main() -> int:
    if not ADVISORIES.is_dir():
        print(f"{ADVISORIES} is absent", file=sys.stderr)
        return 2
    rows = read_label_set(SET.read_text(encoding="utf-8"))
    codes = sorted({c for r in rows for c in r.labels})
    agreement = agreement_between_readings(rows, codes)
    print(
        f"{len(rows)} paragraphs, {sum(1 for r in rows if not r.labels)} naming no threat; "
        f"read twice: {agreement.paragraphs}, the same categories both times for "
        f"{agreement.same} ({agreement.share:.0%}), Cohen's kappa over (paragraph, category) "
        f"{agreement.kappa:.2f}"
    )
    dev = read_label_set(DEV.read_text(encoding="utf-8"))
    for name, part in (("held-out set", rows), ("development set", dev)):
        agreement = agreement_between_readings(part, sorted({c for r in part for c in r.labels}))
        print(
            f"{name}: read twice {agreement.paragraphs}, the same {agreement.same}, kappa "
            f"{agreement.kappa:.3f}; per category (first, second, both, kappa): "
            + ", ".join(
                f"{code} {a}/{b}/{both} {k:.2f}"
                for code, (a, b, both, k) in sorted(agreement.by_category.items())
            )
        )
    texts = {
        name: {_normal(p.text) for p in classify_read_set(ADVISORIES, part, _none)[0]}
        for name, part in (("held out", rows), ("dev", dev))
    }
    for name, part, seen in (
        ("Held-out set", rows, texts["dev"]),
        ("Development set", dev, texts["held out"]),
    ):
        print()
        print(f"{name}: {len(part)} paragraphs")
        print()
        table(part, seen)
    return 0


def _none(texts: list[str]) -> list[set[str]]:
    return [set() for _ in texts]


if __name__ == "__main__":
    sys.exit(main())
