"""Train the paragraph model on the heading-labelled advisory set and measure it held out.

    python -m riskatlas.extraction.train [--advisories ../shared/data/advisories] [--check]
                                         [--also-named]

Reads the official advice pages (``evaluation.advisory_pages``; never copied into the
repository), fits one logistic regression per category over ``classifier.page_features`` and
writes ``riskatlas/extraction/data/paragraph_model.json``. Before that it prints the held-out
figures: leave-one-government-out (train on two governments, test on the third) and
leave-countries-out (train on eight countries, test on the other two; five folds). With
``--check`` it only prints them. Training needs numpy and scipy (installed with
reverse_geocoder); using the model needs neither.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from riskatlas.extraction.classifier import MODEL_FILE, THRESHOLD, ParagraphModel, page_features
from riskatlas.extraction.evaluation import (
    AdvisoryPage,
    LabelledParagraph,
    Scores,
    evaluate,
    macro_f1,
)

DEFAULT_ADVISORIES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "advisories"
#: Features seen in fewer training paragraphs than this are left out.
MIN_COUNT = 2
L2 = 3e-3
STEPS = 300
LEARNING_RATE = 0.1
#: Smaller weights are dropped (they change no decision and keep the file small).
PRUNE = 0.02
#: Categories with at least this many labelled paragraphs are "well measured": one paragraph
#: moves their F1 by a few points at most (10 of the 14 categories of the advisory set).
WELL_MEASURED = 30
#: Country pairs for leave-countries-out (sorted names, paired in order).
COUNTRY_FOLDS = 5


@dataclass(frozen=True)
class Example:
    paragraph: LabelledParagraph
    vector: dict[str, float]


def examples(pages: Sequence[AdvisoryPage]) -> list[Example]:
    """Every paragraph with its features (labelled or not: the page is read whole)."""
    found: list[Example] = []
    for page in pages:
        vectors = page_features([p.text for p in page.paragraphs])
        found.extend(Example(p, v) for p, v in zip(page.paragraphs, vectors, strict=True))
    return found


def fit(train: Sequence[Example], steps: int = STEPS) -> ParagraphModel:
    """One logistic regression per labelled category (full-batch Adam, L2)."""
    import numpy as np
    from scipy import sparse

    labelled = [e for e in train if e.paragraph.labels]
    codes = sorted(set().union(*(e.paragraph.labels for e in labelled)))
    counts: dict[str, int] = {}
    for e in labelled:
        for name in e.vector:
            counts[name] = counts.get(name, 0) + 1
    names = sorted(n for n, c in counts.items() if c >= MIN_COUNT or n == "bias")
    index = {n: i for i, n in enumerate(names)}
    rows, cols, values = [], [], []
    for r, e in enumerate(labelled):
        for name, value in e.vector.items():
            if name in index:
                rows.append(r)
                cols.append(index[name])
                values.append(value)
    x = sparse.csr_matrix((values, (rows, cols)), shape=(len(labelled), len(names)))
    y = np.array([[c in e.paragraph.labels for c in codes] for e in labelled], dtype=float)
    positives = y.sum(axis=0)
    balance = np.sqrt((len(labelled) - positives) / np.maximum(positives, 1))
    sample = np.where(y > 0, np.minimum(balance, 4.0), 1.0)
    w = np.zeros((len(names), len(codes)))
    m, v = np.zeros_like(w), np.zeros_like(w)
    xt = x.T.tocsr()
    for step in range(1, steps + 1):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = xt @ ((p - y) * sample) / len(labelled) + L2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    tables = {
        c: {n: round(float(w[i, k]), 3) for n, i in index.items() if abs(w[i, k]) >= PRUNE}
        for k, c in enumerate(codes)
    }
    support = {c: int(n) for c, n in zip(codes, positives, strict=True)}
    return ParagraphModel(tables, support, THRESHOLD)


def predict(model: ParagraphModel, test: Sequence[Example], named: bool = False) -> list[set[str]]:
    """Predicted categories of whole pages read in order, as the engine reads them
    (``ParagraphModel.classify_page``: lexicon and model combined); with ``named``, the
    categories each paragraph also names outright as well (``classify_page_named``)."""
    result: list[set[str]] = []
    by_page: dict[tuple[str, str], list[Example]] = {}
    for e in test:
        by_page.setdefault((e.paragraph.government, e.paragraph.country), []).append(e)
    for page in by_page.values():
        main, also = model.classify_page_named([e.paragraph.text for e in page])
        for found, extra in zip(main, also, strict=True):
            result.append({s.code for s in found} | ({s.code for s in extra} if named else set()))
    return result


def held_out(
    data: Sequence[Example], split: Callable[[LabelledParagraph], str], named: bool = False
) -> tuple[dict[str, Scores], Scores]:
    """Scores per held-out group (trained on all the others) and over all groups pooled."""
    groups = sorted({split(e.paragraph) for e in data})
    per_group: dict[str, Scores] = {}
    pooled_paragraphs: list[LabelledParagraph] = []
    pooled_predicted: list[set[str]] = []
    for group in groups:
        train = [e for e in data if split(e.paragraph) != group]
        test = [e for e in data if split(e.paragraph) == group]
        predicted = predict(fit(train), test, named)
        kept = [
            (e.paragraph, q) for e, q in zip(test, predicted, strict=True) if e.paragraph.labels
        ]
        paragraphs = [p for p, _ in kept]
        guesses = [q for _, q in kept]
        per_group[group] = evaluate(paragraphs, guesses)
        pooled_paragraphs.extend(paragraphs)
        pooled_predicted.extend(guesses)
    return per_group, evaluate(pooled_paragraphs, pooled_predicted)


def country_fold(countries: Sequence[str]) -> Callable[[LabelledParagraph], str]:
    """Leave-countries-out: the sorted countries dealt into ``COUNTRY_FOLDS`` folds."""
    ordered = sorted(set(countries))
    fold = {c: f"fold {i % COUNTRY_FOLDS + 1}" for i, c in enumerate(ordered)}
    return lambda p: fold[p.country]


def report(data: Sequence[Example], named: bool = False) -> dict[str, float]:
    """Held-out macro F1: per government, their mean, leave-countries-out pooled; and, pooled,
    over the categories with at least ``WELL_MEASURED`` paragraphs. With ``named``, of the main
    categories and those each paragraph also names together."""
    figures: dict[str, float] = {}
    per_government, pooled = held_out(data, lambda p: p.government, named)
    for government, scores in per_government.items():
        figures[f"government {government}"] = macro_f1(scores)
    figures["leave-one-government-out, mean"] = sum(
        macro_f1(s) for s in per_government.values()
    ) / len(per_government)
    figures["leave-one-government-out, pooled"] = macro_f1(pooled)
    figures[f"leave-one-government-out, pooled, ≥ {WELL_MEASURED}"] = macro_f1(
        pooled, WELL_MEASURED
    )
    split = country_fold([e.paragraph.country for e in data])
    per_fold, pooled = held_out(data, split, named)
    figures["leave-countries-out, mean"] = sum(macro_f1(s) for s in per_fold.values()) / len(
        per_fold
    )
    figures["leave-countries-out, pooled"] = macro_f1(pooled)
    figures[f"leave-countries-out, pooled, ≥ {WELL_MEASURED}"] = macro_f1(pooled, WELL_MEASURED)
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    from riskatlas.extraction.evaluation import advisory_pages

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--advisories", type=Path, default=DEFAULT_ADVISORIES)
    parser.add_argument("--check", action="store_true", help="only print held-out figures")
    parser.add_argument(
        "--also-named",
        action="store_true",
        help="score the main categories and those paragraphs also name, together",
    )
    args = parser.parse_args(argv)
    if not args.advisories.is_dir():
        raise SystemExit(f"{args.advisories}: no such folder (the shared advisories)")
    pages = advisory_pages(args.advisories)
    data = examples(pages)
    for name, value in report(data, args.also_named).items():
        print(f"{name}: macro F1 {value:.3f}")
    if args.check:
        return
    model = fit(data)
    out = Path(__file__).with_name("data") / MODEL_FILE
    labelled = sum(1 for e in data if e.paragraph.labels)
    meta: dict[str, object] = {
        "trained_on": f"{labelled} heading-labelled paragraphs of {len(pages)} advice pages",
        "command": "python -m riskatlas.extraction.train",
    }
    out.write_text(model.as_json(meta) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    main()
