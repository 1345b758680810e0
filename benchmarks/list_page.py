"""How long the list of assessments takes — the page (``/``) and the API list
(``/api/v1/assessments/``) — with summaries stored with each version, beside deriving each
row's level and top risk on every read (issue 9, "one door").

    .venv/bin/python benchmarks/list_page.py [--sizes 1,10,50] [--runs 9]

A throwaway SQLite database in a temporary RISKATLAS_HOME is migrated and filled with copies of
the Peru 2009 example (``examples/peru-2009.yaml``, each under its own slug, published) until it
holds each size in turn. For each size an analyst of the team, logged in with Django's test
client, GETs the page and the API list, in four cases interleaved (so that a change in the
machine's load hits them alike), after one unmeasured warm-up GET each that also counts the
SQL queries:

* **stored**: the code as it is — each row reads the summary stored with its version;
* **baseline, derived on every read**: the same views with the summary made afresh for each
  listed version, ``build_context(export_version(version))``, as the list did before summaries
  were stored (the report's overall level and its first top risk, kept in memory only).

Wall time of each GET; medians printed as a Markdown table.
"""

from __future__ import annotations

import argparse
import copy
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from _web import analyst_client, timed_get

from riskatlas.django_setup import throwaway_site

ROOT = Path(__file__).resolve().parents[1]
URLS = {"page": "/", "API": "/api/v1/assessments/"}


def derived_summary(version: Any) -> Any:
    """BASELINE: the version's level and top risk derived now from its whole content, as the
    list did on every read before summaries were stored; nothing is written."""
    from riskatlas.apps.assessments.interchange import export_version
    from riskatlas.reports.context import build_context

    ctx = build_context(export_version(version))
    version.level = ctx.overall.level.value if ctx.overall.level else None
    top = ctx.top_risks[0] if ctx.top_risks else None
    version.top_risk = (
        {
            "id": top.id,
            "title": top.title,
            "level": {
                "name": top.residual.level.name,
                "colour": top.residual.level.colour,
                "rank": top.residual.level.rank,
            },
        }
        if top
        else None
    )
    return version


@contextmanager
def deriving_on_every_read() -> Any:
    """The list views with ``derived_summary`` in place of the stored summary."""
    from riskatlas.api.serializers import assessments as serializers
    from riskatlas.apps.assessments.views import pages

    stored = pages.ensure_summary, serializers.ensure_summary
    pages.ensure_summary = serializers.ensure_summary = derived_summary
    try:
        yield
    finally:
        pages.ensure_summary, serializers.ensure_summary = stored


@contextmanager
def as_stored() -> Any:
    yield


def fill(team: Any, doc: dict[str, Any], have: int, want: int) -> None:
    """Import copies of ``doc`` as ``a-<have>`` … until the team has ``want`` assessments."""
    from riskatlas.apps.assessments.writer import import_document

    for i in range(have, want):
        copied = copy.deepcopy(doc)
        copied["assessment"]["slug"] = f"a-{i:03d}"
        import_document(copied, team=team)


def measure(client: Any, url: str, mode: Callable[[], Any]) -> float:
    with mode():
        return timed_get(client, url)


def queries(client: Any, url: str, mode: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with mode(), CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def run(sizes: list[int], runs: int) -> list[tuple[int, str, str, int, float]]:
    from riskatlas.document import load_document

    team, client = analyst_client()
    doc = load_document(ROOT / "examples" / "peru-2009.yaml")
    modes = {"stored": as_stored, "baseline, derived on every read": deriving_on_every_read}
    cases = [(where, mode) for where in URLS for mode in modes]
    rows, have = [], 0
    for size in sizes:
        fill(team, doc, have, size)
        have = size
        counted = {case: queries(client, URLS[case[0]], modes[case[1]]) for case in cases}
        walls: dict[tuple[str, str], list[float]] = {case: [] for case in cases}
        for _ in range(runs):
            for case in cases:
                walls[case].append(measure(client, URLS[case[0]], modes[case[1]]))
        for case in cases:
            median = statistics.median(walls[case]) * 1000
            rows.append((size, *case, counted[case], median))
            print(f"  {size:>3} {case[0]:<4} {case[1]:<32} {counted[case]:>5} q {median:8.1f} ms",
                  file=sys.stderr)  # fmt: skip
    return rows


def table(rows: list[tuple[int, str, str, int, float]]) -> str:
    lines = [
        "| assessments | list | summaries | SQL queries | wall time (median) |",
        "|---:|---|---|---:|---:|",
    ]
    for size, where, mode, count, ms in rows:
        lines.append(f"| {size} | {where} | {mode} | {count} | {ms:.0f} ms |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,10,50", help="numbers of assessments, rising")
    parser.add_argument("--runs", type=int, default=9, help="measured GETs per case and size")
    args = parser.parse_args()
    sizes = sorted(int(n) for n in args.sizes.split(","))
    with tempfile.TemporaryDirectory(prefix="riskatlas-bench-") as home:
        throwaway_site(home)
        rows = run(sizes, args.runs)
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, load average {load}; "
        f"median of {args.runs} GETs per case (after one warm-up GET that counts the queries)\n"
    )
    print(table(rows))


if __name__ == "__main__":
    main()
