"""Places in advice: subdivisions named in official advice, resolved to ISO 3166-2.

    .venv/bin/python benchmarks/subdivisions_eval.py [PLACE_SET.csv ...]

Scores ``riskatlas.extraction.subdivisions`` on the hand-made dev set
``tests/unit/extraction/subdivisions_in_advice.csv`` (or the files given): precision and
recall over the (line, code) pairs, by country, and every line it gets wrong. Prints the
Markdown that goes in docs/extraction.md.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from riskatlas.extraction.subdivisions import read_place_set, score_places

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT / "tests" / "unit" / "extraction" / "subdivisions_in_advice.csv"


def report(path: Path) -> str:
    rows = read_place_set(path.read_text(encoding="utf-8"))
    total = score_places(rows)
    by_country: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_country[row["country"]].append(row)
    codes = sum(len(r["expected"].split()) for r in rows)
    lines = [
        f"**{path.name}**: {len(rows)} lines, {codes} codes expected",
        "",
        "| country | lines | codes | precision | recall |",
        "|---|---|---|---|---|",
    ]
    for country, part in sorted(by_country.items()):
        scores = score_places(part)
        expected = sum(len(r["expected"].split()) for r in part)
        lines.append(
            f"| {country} | {len(part)} | {expected} "
            f"| {scores.precision:.3f} | {scores.recall:.3f} |"
        )
    lines.append(f"| **all** | {len(rows)} | {codes} | **{total.precision:.3f}** | "
                 f"**{total.recall:.3f}** |")  # fmt: skip
    lines += ["", "Lines it gets wrong:", ""]
    for number, missed, extra in total.errors:
        row = rows[number]
        lines.append(
            f"- {row['country']} missed {' '.join(missed) or '–'}, extra {' '.join(extra) or '–'}:"
            f" “{row['text'][:110]}”"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [DEV_SET]
    print("\n\n".join(report(p) for p in paths))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
