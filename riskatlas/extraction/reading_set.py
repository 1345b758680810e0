"""The categories measured on paragraphs labelled by reading (not by their headings).

``tests/unit/extraction/categories_by_reading.csv`` names paragraphs of the shared advice
pages (government, country, file, paragraph index) with the categories a reader gave them,
and for a sample a second reading. The text is read from the pages at run time, never copied;
``starts`` checks that the paragraph found is the one labelled. Each page is classified whole,
in order, as the engine reads it, and the labelled paragraphs' predictions scored.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from riskatlas.extraction.evaluation import (
    LabelledParagraph,
    Scores,
    advisory_pages,
    score_labels,
)


@dataclass(frozen=True)
class ReadLabel:
    government: str
    country: str
    file: str
    paragraph: int
    starts: str
    labels: frozenset[str]
    second: frozenset[str] | None  # the second reading, for the paragraphs read twice


def read_label_set(text: str, codes: frozenset[str] | None = None) -> list[ReadLabel]:
    """The rows of a reading set (``#`` lines are notes); a code outside ``codes`` (the
    taxonomy's by default) or a bad paragraph number is refused with its line."""
    if codes is None:
        from riskatlas.method import default_taxonomy

        codes = frozenset(default_taxonomy().codes)
    lines = text.splitlines()
    body = [(n, line) for n, line in enumerate(lines, start=1) if line and line[0] != "#"]
    reader = csv.DictReader(io.StringIO("\n".join(line for _, line in body)))
    rows = []
    for (number, _), row in zip(body[1:], reader, strict=True):
        try:
            paragraph = int(row["paragraph"])
        except (TypeError, ValueError):
            raise ValueError(
                f"line {number}: paragraph {row['paragraph']!r} is no number"
            ) from None
        labels = frozenset(row["labels"].split())
        twice = row.get("in_second_pass") == "yes"
        second = frozenset(row["second"].split()) if twice else None
        unknown = (labels | (second or frozenset())) - codes
        if unknown:
            raise ValueError(f"line {number}: unknown categories {', '.join(sorted(unknown))}")
        rows.append(
            ReadLabel(
                row["government"],
                row["country"],
                row["file"],
                paragraph,
                row["starts"],
                labels,
                second,
            )
        )
    return rows


def page_paragraphs(root: Path, government: str, country: str, file: str) -> list[str]:
    """The paragraphs of one advice page, split as the evaluation splits them."""
    pages = [p for p in advisory_pages(root, {government: (file,)}) if p.country == country]
    if not pages:
        raise FileNotFoundError(f"{root / government / country / file}: no such page")
    return [p.text for p in pages[0].paragraphs]


def classify_read_set(
    root: Path,
    rows: list[ReadLabel],
    page_classifier: Callable[[list[str]], list[set[str]]],
) -> tuple[list[LabelledParagraph], list[set[str]]]:
    """The labelled paragraphs (labels by reading) and what ``page_classifier`` predicts for
    each, every page classified whole and in order."""
    by_page: dict[tuple[str, str, str], list[ReadLabel]] = {}
    for row in rows:
        by_page.setdefault((row.government, row.country, row.file), []).append(row)
    gold: list[LabelledParagraph] = []
    predicted: list[set[str]] = []
    for (government, country, file), labelled in sorted(by_page.items()):
        texts = page_paragraphs(root, government, country, file)
        guesses = page_classifier(texts)
        for row in labelled:
            if row.paragraph >= len(texts) or not _same_start(texts[row.paragraph], row.starts):
                raise ValueError(
                    f"{government}/{country}/{file}: paragraph {row.paragraph} does not start "
                    f"{row.starts!r}: the page changed"
                )
            text = texts[row.paragraph]
            gold.append(LabelledParagraph(government, country, "", row.labels, text))
            predicted.append(guesses[row.paragraph])
    return gold, predicted


def _same_start(text: str, starts: str) -> bool:
    return " ".join(text.split()).startswith(starts)


def score_read_set(gold: list[LabelledParagraph], predicted: list[set[str]]) -> Scores:
    """Per-category counts over the paragraphs, those with no category included (what is
    predicted for them counts against precision)."""
    return score_labels([p.labels for p in gold], predicted)


@dataclass(frozen=True)
class Agreement:
    paragraphs: int
    same: int  # paragraphs given exactly the same categories both times
    kappa: float  # Cohen's kappa over (paragraph, category) decisions, pooled
    #: per category: (paragraphs given it in the first reading, in the second, in both, kappa)
    by_category: dict[str, tuple[int, int, int, float]] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return self.same / self.paragraphs if self.paragraphs else 0.0


def agreement_between_readings(rows: list[ReadLabel], codes: list[str]) -> Agreement:
    """How far the second reading agrees with the first, on the paragraphs read twice: pooled
    over (paragraph, category) decisions and per category."""
    twice = [r for r in rows if r.second is not None]
    same = sum(1 for r in twice if r.labels == r.second)
    decisions = [(c in r.labels, c in (r.second or ())) for r in twice for c in codes]
    if not decisions:
        return Agreement(0, 0, 0.0)
    by_category = {}
    for code in codes:
        mine = [(code in r.labels, code in (r.second or ())) for r in twice]
        first = sum(1 for a, _ in mine if a)
        second = sum(1 for _, b in mine if b)
        both = sum(1 for a, b in mine if a and b)
        if first or second:
            by_category[code] = (first, second, both, _kappa(mine))
    return Agreement(len(twice), same, _kappa(decisions), by_category)


def _kappa(decisions: list[tuple[bool, bool]]) -> float:
    """Cohen's kappa of two readings' yes/no decisions."""
    total = len(decisions)
    observed = sum(1 for a, b in decisions if a == b) / total
    first_yes = sum(1 for a, _ in decisions if a) / total
    second_yes = sum(1 for _, b in decisions if b) / total
    expected = first_yes * second_yes + (1 - first_yes) * (1 - second_yes)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0
