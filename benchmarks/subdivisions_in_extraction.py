"""Subdivisions proposed by text extraction, read for the country of the page or not.

    .venv/bin/python benchmarks/subdivisions_in_extraction.py

Each line of the hand-made place sets (``tests/unit/extraction/subdivisions_held_out.csv``,
then the dev set ``subdivisions_in_advice.csv``) is extracted alone, without a country and with
the line's country (``extract(text, country=...)``), and the draft's places of kind
``subdivision`` in that country are scored against the line's hand-written codes (precision
and recall over (line, code) pairs). Shown for the lines the engine calls threat sentences (the
only ones the country adds subdivisions to) and for every line. A town place carrying the code
of the subdivision it lies in ("Mexico City" MX-CMX, a city) does not count: the sets code the
subdivision named. Prints the Markdown table that goes in docs/extraction.md.
"""

from __future__ import annotations

from pathlib import Path

from riskatlas.extraction import extract
from riskatlas.extraction.subdivisions import read_place_set

ROOT = Path(__file__).resolve().parents[1]
SETS = [
    ("held out", ROOT / "tests" / "unit" / "extraction" / "subdivisions_held_out.csv"),
    ("dev (not held out)", ROOT / "tests" / "unit" / "extraction" / "subdivisions_in_advice.csv"),
]


def main() -> None:
    print("| set | lines | country given | codes expected | precision | recall |")
    print("|---|---|---|---|---|---|")
    for name, path in SETS:
        rows = read_place_set(path.read_text(encoding="utf-8"))
        drafts = {
            given: [extract(r["text"], country=r["country"] if given else None) for r in rows]
            for given in (False, True)
        }
        threat = [any(s["statement"] == "threat" for s in d["sentences"]) for d in drafts[True]]
        for label, keep in (("threat sentences", threat), ("all lines", [True] * len(rows))):
            for given in (False, True):
                right = wrong = missed = lines = 0
                for row, draft, kept in zip(rows, drafts[given], keep, strict=True):
                    if not kept:
                        continue
                    lines += 1
                    found = {
                        p["iso_3166"]
                        for p in draft["places"]
                        if p["kind"] == "subdivision" and p["country"] == row["country"]
                    }
                    expected = set(row["expected"].split())
                    right += len(found & expected)
                    wrong += len(found - expected)
                    missed += len(expected - found)
                precision = right / (right + wrong) if right + wrong else 1.0
                recall = right / (right + missed) if right + missed else 1.0
                print(
                    f"| {name}, {label} | {lines} | {'yes' if given else 'no'} "
                    f"| {right + missed} | {precision:.3f} | {recall:.3f} |"
                )


if __name__ == "__main__":
    main()
