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
test client), but only the 18-risk page and in one short process, so that two versions can
take turns: per round, a GET with the evidence forgotten (**first view**), one with it kept
(**again**) and one without a store (**no store**); two warm-up rounds. Prints the medians
in one line, with the ratio of the first view to the page without the store.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from riskatlas.django_setup import throwaway_site

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True, help="evidence store (DuckDB)")
    parser.add_argument("--runs", type=int, default=9, help="measured rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="riskatlas-bench-") as home:
        throwaway_site(home)
        from django.contrib.auth import get_user_model
        from django.test import Client

        import riskatlas
        from riskatlas.apps.accounts.models import Membership, Role
        from riskatlas.apps.accounts.users import ensure_team
        from riskatlas.apps.assessments.writer import import_document
        from riskatlas.document import load_document
        from riskatlas.evidence.evidence_cache import forget

        team = ensure_team("Benchmark team")
        analyst = get_user_model().objects.create_user(username="analyst")
        Membership.objects.create(user=analyst, team=team, role=Role.ANALYST)
        client = Client()
        client.force_login(analyst)
        doc = load_document(ROOT / "examples" / "peru-2009.yaml")
        import_document(doc, team=team)
        url = f"/assessments/{doc['assessment']['slug']}/"
        missing = Path(tempfile.gettempdir()) / "riskatlas-bench-no-store.duckdb"
        cases = {
            "first view": (args.store, True),
            "again": (args.store, False),
            "no store": (missing, False),
        }
        walls: dict[str, list[float]] = {case: [] for case in cases}
        for attempt in range(args.runs + 2):
            for case, (db, cold) in cases.items():
                os.environ["RISKATLAS_EVENTS_DB"] = str(db)
                if cold:
                    forget()
                started = time.perf_counter()
                response = client.get(url)
                wall = time.perf_counter() - started
                if response.status_code != 200:
                    raise SystemExit(f"GET {url}: {response.status_code}")
                if attempt >= 2:
                    walls[case].append(wall)
        median = {case: statistics.median(w) * 1000 for case, w in walls.items()}
    code = Path(riskatlas.__file__).resolve().parent.parent
    print(
        f"{code}: first view {median['first view']:.0f} ms, again {median['again']:.0f} ms,"
        f" no store {median['no store']:.0f} ms; first view"
        f" {median['first view'] / median['no store']:.1f}x no store;"
        f" load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
