"""Every panel of many asks, written as one JSON file, for checking that a change to how the
panels are read leaves them byte for byte the same (run the code before and after, compare
the files with ``cmp``).

    .venv/bin/python benchmarks/panels_compare.py --store /tmp/events.duckdb --out after.json
    PYTHONPATH=/tmp/before .venv/bin/python benchmarks/panels_compare.py ... --out before.json
    cmp before.json after.json

The asks: Peru and the five other countries with the most events in the store, every threat
category, seven sets of areas each (the country; its three areas with the most events, each
alone; the first two together; the first three with the country; three more together), each
with 3 and 5 samples — 1,260 asks on a store with six such countries — over the year up to
the country's last day held (as ``risk_evidence`` asks), each country on a fresh reading of
the store. Then the Peru example's ``gather`` (panels and official advice) as the page reads
it, nothing kept.
"""

from __future__ import annotations

import argparse
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="evidence store (DuckDB)")
    parser.add_argument("--out", type=Path, required=True, help="JSON file written")
    args = parser.parse_args()

    from riskatlas.document import load_document
    from riskatlas.evidence.coverage import country_spans
    from riskatlas.evidence.evidence_cache import forget
    from riskatlas.evidence.panels import evidence_panels, normalise_ask
    from riskatlas.evidence.reading import Reading
    from riskatlas.method import default_taxonomy
    from riskatlas.reports.open_data import gather

    categories = list(default_taxonomy().codes)
    with Reading(args.store) as reading:
        con = reading.connection()
        top = [
            row[0]
            for row in con.execute(
                "SELECT country_iso3 FROM events GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 6"
            ).fetchall()
        ]
        countries = ["PER", *[c for c in top if c != "PER"][:5]]
        areas = {
            country: [
                row[0]
                for row in con.execute(
                    "SELECT area_code FROM events WHERE country_iso3 = ? AND area_code IS NOT NULL"
                    " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 6",
                    [country],
                ).fetchall()
            ]
            for country in countries
        }
    out: dict[str, Any] = {}
    asked = 0
    for country in countries:
        a = areas[country] + [country] * 6  # a country with few areas repeats itself
        sets = [[country], [a[0]], [a[1]], [a[2]], a[:2], [country, *a[:3]], a[3:6]]
        with Reading(args.store) as reading:
            con = reading.connection()
            spans = country_spans(con, country)
            end = max(s.last for s in spans)
            start = end - timedelta(days=364)
            for samples in (3, 5):
                asks = [normalise_ask(codes, cat) for codes in sets for cat in categories]
                panels = evidence_panels(
                    con, asks, start, end, samples=samples, spans={country: spans}
                )
                asked += len(asks)
                for ask in asks:
                    out[f"{country} {samples} {'+'.join(ask[0])} {ask[1]}"] = panels[ask]
    forget(shared=False)
    doc = load_document(ROOT / "examples" / "peru-2009.yaml")
    out["gather PER"] = gather(doc, args.store)
    text = json.dumps(out, sort_keys=True, default=str, indent=1)
    args.out.write_text(text, encoding="utf-8")
    print(f"{asked} asks ({len(out) - 1} distinct) and the Peru gather: {args.out}")


if __name__ == "__main__":
    main()
