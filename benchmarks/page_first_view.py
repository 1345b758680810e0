"""The Peru assessment page's first view with a large evidence store, beside the page without
the store, for comparing two versions of the code in alternation on a loaded machine.

    .venv/bin/python benchmarks/page_first_view.py --store /tmp/events.duckdb [--runs 9]

    # the code of an earlier commit against this one, in turns (the same machine load):
    git archive <commit> riskatlas | tar -x -C /tmp/before
    for i in 1 2 3 4; do
      PYTHONPATH=/tmp/before .venv/bin/python benchmarks/page_first_view.py --store ...
      .venv/bin/python benchmarks/page_first_view.py --store ...
    done

As ``page_bench.py`` (a throwaway site, the Peru example, an analyst logged in with Django's
test client), but only the 18-risk page and in one short process, so that two versions can take
turns: per round, a GET with the evidence forgotten (**first view**: computed cold, as when
nothing refreshed it), one with it kept (**again**) and one without a store (**no store**);
with code that keeps the page's sections per process (``page_sections``), a case **no store,
first view**: the page without a store with its sections forgotten first, so rendered afresh as
the first view's are (the like-for-like reference; the kept "no store" page renders none of
them). Every cold case forgets the kept sections too (since they are kept with a store as well,
"again" is then the kept page with the store), and the kept cases ("again", "no store") are GET
once unmeasured first, so that they are kept whatever ran before. Two warm-up rounds. With code
that has the background refresh (``apps.assessments.evidence_refresh``), a fourth case per
round, **after refresh**: the evidence forgotten everywhere, the refresh task's work run (as a
worker runs it after an import; its time is reported apart: it is the worker's, not the
page's), then the page's process memory emptied, so the GET is the first view of an app process
that finds the answer in the shared cache (Django's cache, the site's database) — checked
through ``evidence_cache.counts()``: nothing computed by that GET. Prints the medians and 95th
percentiles in one line, with the ratios to the page without the store, then each case's median
CPU time (this process, every thread) per GET.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from _web import analyst_client, count_peru, kept_sections, p95, timed_get

from riskatlas.django_setup import throwaway_site

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="evidence store (DuckDB)")
    parser.add_argument("--runs", type=int, default=9, help="measured rounds")
    parser.add_argument(
        "--walls",
        action="store_true",
        help="also print every GET's wall time and CPU time (ms) as JSON",
    )
    args = parser.parse_args()
    count_peru(args.store)
    with tempfile.TemporaryDirectory(prefix="riskatlas-bench-") as home:
        throwaway_site(home)
        import riskatlas
        from riskatlas.apps.assessments.writer import import_document
        from riskatlas.document import load_document
        from riskatlas.evidence.evidence_cache import forget

        team, client = analyst_client()
        doc = load_document(ROOT / "examples" / "peru-2009.yaml")
        import_document(doc, team=team)
        url = f"/assessments/{doc['assessment']['slug']}/"
        missing = Path(tempfile.gettempdir()) / "riskatlas-bench-no-store.duckdb"
        cases = {
            "first view": (args.store, True),
            "again": (args.store, False),
            "no store": (missing, False),
        }
        page_sections = kept_sections()
        if page_sections is not None:
            cases["no store, first view"] = (missing, True)
        try:
            from riskatlas.apps.assessments import evidence_refresh
            from riskatlas.evidence.evidence_cache import counts
        except ImportError:  # code from before the background refresh
            evidence_refresh = None
        else:
            cases["after refresh"] = (args.store, True)
        walls: dict[str, list[float]] = {case: [] for case in cases}
        cpus: dict[str, list[float]] = {case: [] for case in cases}
        refreshes: list[float] = []
        for attempt in range(args.runs + 2):
            for case, (db, cold) in cases.items():
                os.environ["RISKATLAS_EVENTS_DB"] = str(db)
                if cold:
                    forget()
                    if page_sections is not None:  # nor the page's sections, where kept
                        page_sections.forget()
                if case == "after refresh":
                    assert evidence_refresh is not None
                    started = time.perf_counter()
                    evidence_refresh.refresh_versions(evidence_refresh.versions_to_refresh())
                    refreshes.append(time.perf_counter() - started)
                    forget(shared=False)  # another app process: nothing in its own memory
                    page_sections.forget()
                    gc.collect()  # the refresh's garbage is the worker's, in its own process
                    before = counts()
                if not cold and page_sections is not None:  # kept, whatever ran before
                    timed_get(client, url)
                cpu = time.process_time()
                wall = timed_get(client, url)
                cpu = time.process_time() - cpu
                if case == "after refresh" and counts()["computed"] != before["computed"]:
                    raise SystemExit("the page computed evidence after the refresh")
                if attempt >= 2:
                    walls[case].append(wall)
                    cpus[case].append(cpu)
        median = {case: statistics.median(w) * 1000 for case, w in walls.items()}
        top = {case: p95(w) * 1000 for case, w in walls.items()}
    code = Path(riskatlas.__file__).resolve().parent.parent
    base = median["no store"]
    line = ", ".join(
        f"{case} {median[case]:.0f} ms (p95 {top[case]:.0f}, {median[case] / base:.1f}x)"
        for case in cases
    )
    if "no store, first view" in median:
        fresh = median["no store, first view"]
        line += (
            f"; first view {median['first view'] / fresh:.1f}x the page without a store"
            " rendered afresh"
        )
    if refreshes:
        line += f"; the refresh itself (worker) {statistics.median(refreshes[2:]) * 1000:.0f} ms"
    print(f"{code}: {line}; load {os.getloadavg()[0]:.1f}")
    # CPU time of this process (every thread, DuckDB's too) per GET: what the page costs the
    # machine, less moved by the other work on it than wall time (waits for the disk, such as
    # a commit's, are not in it).
    cpu_base = statistics.median(cpus["no store"])
    print(
        "cpu: "
        + ", ".join(
            f"{case} {statistics.median(c) * 1000:.0f} ms ({statistics.median(c) / cpu_base:.1f}x)"
            for case, c in cpus.items()
        )
    )
    if args.walls:
        print(json.dumps({case: [round(w * 1000, 1) for w in ws] for case, ws in walls.items()}))
        print(
            json.dumps(
                {f"{case} cpu": [round(c * 1000, 1) for c in cs] for case, cs in cpus.items()}
            )
        )


if __name__ == "__main__":
    main()
