"""Server CPU per request for the load mix (issue 13: many users at once), in one process.

    .venv/bin/python benchmarks/request_cpu.py [--copies 50] [--runs 200]
    .venv/bin/python benchmarks/request_cpu.py --profile "API list"     # where the time goes
    .venv/bin/python benchmarks/request_cpu.py --dump DIR                # every demo user's bodies

    # the code of an earlier commit against this one, in turns (the same machine load):
    git archive <commit> riskatlas | tar -x -C /tmp/before
    PYTHONPATH=/tmp/before .venv/bin/python benchmarks/request_cpu.py ...

A throwaway SQLite site gets the demo (the bundled examples, the demo's five users, its trips)
and, with ``--copies``, that many published copies of the Peru example in the demo team (the last
only as a draft, and a new draft of the first: analysts list them, readers do not). The
demo's analyst, signed in with Django's test client, GETs the three pages of
``benchmarks/load.py`` (the Peru assessment page, the list, the API list) in turn, ``--runs``
times each after two warm-up rounds (which also render what a process keeps: the page's
sections, the list's country picker). Per page: the median and 95th percentile (nearest rank)
of the CPU time of this process per GET (``time.process_time``: the view, middleware,
templates, the ORM and the test client's own small share; no network, no WSGI server), the
median wall time and the SQL queries of one GET.

``--dump DIR`` writes each page's body for each demo user (CSRF tokens blanked) to compare two
versions of the code byte for byte (``diff -r``). ``--profile PAGE`` runs that page ``--runs``
times under cProfile and prints the 35 costliest functions by cumulative and by own time.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _web import p95

from riskatlas.django_setup import throwaway_site

ROOT = Path(__file__).resolve().parents[1]
PAGES = {
    "assessment page": "/assessments/pe-2009/",
    "list": "/",
    "API list": "/api/v1/assessments/",
}
CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]+(")|(csrftoken=)[^;"\s]+')
MADE_AT = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z")  # created_at: this run's


def demo_site(copies: int) -> dict[str, Any]:
    """The demo's data and users; a signed-in test client per demo user."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from riskatlas.apps.accounts.users import ensure_team
    from riskatlas.apps.assessments.writer import import_document
    from riskatlas.commands.server import (
        DEMO_TEAM,
        DEMO_USERS,
        create_demo_users,
        load_example_trips,
        load_examples,
    )
    from riskatlas.document import load_document

    load_examples(echo=False)
    create_demo_users("request-cpu-password-1")
    load_example_trips(echo=False)
    doc = load_document(ROOT / "examples" / "peru-2009.yaml")
    for i in range(copies):
        copied = copy.deepcopy(doc)
        copied["assessment"]["slug"] = f"a-{i:03d}"
        if i == copies - 1:  # the last only a draft: readers see nothing of it
            copied["assessment"]["status"] = "draft"
        import_document(copied, team=ensure_team(DEMO_TEAM))
    users = get_user_model().objects
    if copies:  # a draft beside the published: analysts list it, readers do not
        from riskatlas.apps.assessments import workflow
        from riskatlas.apps.assessments.models import Assessment

        workflow.new_version(Assessment.objects.get(slug="a-000"), users.get(username="analyst"))
    clients = {}
    for username, _team, _role in DEMO_USERS:
        client = Client()
        client.force_login(users.get(username=username))
        clients[username] = client
    return clients


def get(client: Any, url: str) -> Any:
    response = client.get(url)
    if response.status_code not in (200, 404):
        raise SystemExit(f"GET {url}: {response.status_code}")
    return response


def dump(clients: dict[str, Any], into: Path) -> None:
    into.mkdir(parents=True, exist_ok=True)
    for username, client in clients.items():
        for _ in range(2):  # the first and a kept answer must both match: keep the second
            for name, url in PAGES.items():
                body = CSRF.sub(rb"\1\3TOKEN\2", get(client, url).content)
                body = MADE_AT.sub(b"MADE-AT", body)
                (into / f"{username}-{name.replace(' ', '-')}.out").write_bytes(body)


def queries(client: Any, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured.captured_queries)


def measure(client: Any, runs: int) -> None:
    for _ in range(2):
        for url in PAGES.values():
            get(client, url)
    cpu: dict[str, list[float]] = {name: [] for name in PAGES}
    wall: dict[str, list[float]] = {name: [] for name in PAGES}
    for _ in range(runs):
        for name, url in PAGES.items():
            started, used = time.perf_counter(), time.process_time()
            get(client, url)
            cpu[name].append((time.process_time() - used) * 1000)
            wall[name].append((time.perf_counter() - started) * 1000)
    for name, url in PAGES.items():
        print(
            f"{name:<16} CPU median {statistics.median(cpu[name]):6.2f} ms, "
            f"p95 {p95(cpu[name]):6.2f} ms; wall median {statistics.median(wall[name]):6.2f} ms; "
            f"{queries(client, url)} queries"
        )


def profile(client: Any, url: str, runs: int) -> None:
    for _ in range(2):
        get(client, url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        get(client, url)
    profiler.disable()
    if os.environ.get("REQUEST_CPU_PROFILE"):  # a file to read further with pstats
        profiler.dump_stats(os.environ["REQUEST_CPU_PROFILE"])
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(35)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=0, help="published copies of Peru added")
    parser.add_argument("--runs", type=int, default=200, help="measured GETs of each page")
    parser.add_argument("--dump", type=Path, help="write every demo user's bodies here")
    parser.add_argument("--profile", choices=sorted(PAGES), help="profile one page")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="riskatlas-bench-") as home:
        throwaway_site(home)
        clients = demo_site(args.copies)
        if args.dump:
            dump(clients, args.dump)
        elif args.profile:
            profile(clients["analyst"], PAGES[args.profile], args.runs)
        else:
            load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
            print(f"{args.copies} copies of Peru beside the demo, {args.runs} GETs a page, "
                  f"load average {load} at the start")  # fmt: skip
            measure(clients["analyst"], args.runs)


if __name__ == "__main__":
    main()
