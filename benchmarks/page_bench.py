"""How long one assessment's page takes, with and without a large evidence store, and as the
assessment grows (issue 13: evidence once per assessment, no quadratic steps).

    .venv/bin/python benchmarks/evidence_generate.py        # /tmp/acled_synthetic.csv, 2.5 M rows
    .venv/bin/riskatlas data import acled /tmp/acled_synthetic.csv --full --db /tmp/events.duckdb
    .venv/bin/python benchmarks/page_bench.py --store /tmp/events.duckdb [--runs 9]

A throwaway SQLite database in a temporary RISKATLAS_HOME is migrated and given the Peru 2009
example (``examples/peru-2009.yaml``, 18 risks) and two copies with every risk repeated 10 and
100 times (180 and 1,800 risks). An analyst of the team, logged in with Django's test
client, GETs each assessment's page (``/assessments/<slug>/``) in these cases, interleaved so
that a change in the machine's load hits them alike, after one unmeasured warm-up round:

* **no store**: ``RISKATLAS_EVENTS_DB`` names a file that does not exist;
* **store, first view**: the store given, the evidence kept in memory forgotten before each GET
  (the first view after an import or a change to a risk's area or category);
* **store, again**: the store given, the evidence kept from the previous view (the usual view).

With code that keeps the page's sections per process (``page_sections``: without a store, and
since 5 December with one too), the first view forgets them as well, and the two kept cases are
GET once unmeasured first, so that each is measured as kept whatever case ran before it.

Wall time of each GET; median and 95th percentile (nearest rank) printed as a Markdown table,
with the ratio to the page without the store and to the 18-risk page. Then the Peru example's
evidence alone, outside the page: one panel at a time (``evidence_panel`` for each risk, a
connection and seven queries each, as the page read it before) against all at once
(``risk_evidence`` with nothing kept).
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _web import analyst_client, count_peru, kept_sections, p95, timed_get

from riskatlas.django_setup import throwaway_site

ROOT = Path(__file__).resolve().parents[1]
SIZES = (1, 10, 100)


def multiplied(doc: dict[str, Any], times: int) -> dict[str, Any]:
    """The document with every risk repeated ``times`` times (copies ``<id>-<n>``)."""
    out = copy.deepcopy(doc)
    out["assessment"]["slug"] = f"peru-x{times}"
    out["risks"] = [
        {**risk, "id": risk["id"] if n == 0 else f"{risk['id']}-{n}"}
        for n in range(times)
        for risk in doc["risks"]
    ]
    return out


def run(store: Path, runs: int) -> list[tuple[int, str, float, float]]:
    from riskatlas.apps.assessments.writer import import_document
    from riskatlas.document import load_document
    from riskatlas.evidence.evidence_cache import forget

    page_sections = kept_sections()
    team, client = analyst_client()
    doc = load_document(ROOT / "examples" / "peru-2009.yaml")
    for times in SIZES:
        import_document(multiplied(doc, times), team=team)
    missing = Path(tempfile.gettempdir()) / "riskatlas-bench-no-store.duckdb"
    cases = {
        "no store": (missing, False),
        "store, first view": (store, True),
        "store, again": (store, False),
    }
    walls: dict[tuple[int, str], list[float]] = {}
    for times in SIZES:
        for case in cases:
            walls[times, case] = []
    for attempt in range(runs + 1):
        for times in SIZES:
            for case, (db, cold) in cases.items():
                os.environ["RISKATLAS_EVENTS_DB"] = str(db)
                if cold:
                    forget()
                    if page_sections is not None:  # the page's sections kept, where they are
                        page_sections.forget()
                elif page_sections is not None:  # a kept case: kept, whatever ran before
                    timed_get(client, f"/assessments/peru-x{times}/")
                wall = timed_get(client, f"/assessments/peru-x{times}/")
                if attempt:  # the first round warms up
                    walls[times, case].append(wall)
        print(f"  round {attempt}/{runs}", file=sys.stderr)
    return [
        (times, case, statistics.median(w) * 1000, p95(w) * 1000)
        for (times, case), w in walls.items()
    ]


def evidence_alone(store: Path, runs: int) -> tuple[float, float]:
    """Median seconds for the Peru example's evidence, read one panel at a time
    (``evidence_panel`` for each risk: a connection and seven queries each, as the page did)
    and all at once (``risk_evidence`` with nothing kept), in alternation."""
    from riskatlas.document import load_document
    from riskatlas.evidence.analytics import evidence_panel
    from riskatlas.evidence.assessment import _risk_areas, risk_evidence
    from riskatlas.evidence.evidence_cache import forget

    doc = load_document(ROOT / "examples" / "peru-2009.yaml")
    one_by_one, together = [], []
    for _ in range(runs):
        forget()
        started = time.perf_counter()
        answer = risk_evidence(store, doc)
        together.append(time.perf_counter() - started)
        start, end = answer["window"]
        started = time.perf_counter()
        for risk in doc["risks"]:
            evidence_panel(store, _risk_areas(doc, risk["area"]), risk["category"], start, end,
                           samples=3)  # fmt: skip
        one_by_one.append(time.perf_counter() - started)
    return statistics.median(one_by_one), statistics.median(together)


def table(rows: list[tuple[int, str, float, float]]) -> str:
    median = {(times, case): ms for times, case, ms, _ in rows}
    lines = [
        "| risks | case | median | p95 | × no store | × 18 risks |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for times, case, ms, top in rows:
        store_ratio = ms / median[times, "no store"]
        size_ratio = ms / median[1, case]
        lines.append(
            f"| {18 * times} | {case} | {ms:.0f} ms | {top:.0f} ms | {store_ratio:.1f} |"
            f" {size_ratio:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="evidence store (DuckDB)")
    parser.add_argument("--runs", type=int, default=9, help="measured GETs per case")
    args = parser.parse_args()
    if not args.store.is_file():
        raise SystemExit(f"{args.store}: no evidence store; see the command above")
    before = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="riskatlas-bench-") as home:
        throwaway_site(home)
        count_peru(args.store)
        rows = run(args.store, args.runs)
        alone = evidence_alone(args.store, max(3, args.runs // 3))
    after = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, load average {before}"
        f" before and {after} after; {args.runs} GETs per case after one warm-up round;"
        f" store {args.store} ({args.store.stat().st_size / 1e6:,.0f} MB)\n"
    )
    print(table(rows))
    print(
        f"\nThe Peru example's evidence alone (18 risks), median of {max(3, args.runs // 3)}:"
        f" one panel at a time {alone[0] * 1000:.0f} ms, all at once {alone[1] * 1000:.0f} ms."
    )


if __name__ == "__main__":
    main()
