"""How long the traveller brief's PDF takes with each print engine, side by side in one run:
the bundled example trip (``examples/trips/peru-andahuaylas.yaml``) against the Peru example
assessment, checked as on 3 December 2026.

    .venv/bin/python benchmarks/brief_bench.py [--runs 5]

Cold: each figure is one fresh ``riskatlas trip brief … --format pdf|md`` process, as a user runs
it (wall time, start to exit), Markdown, ``RISKATLAS_PDF_ENGINE=weasyprint``, ``chromium`` and no
engine set (``auto``) interleaved, with a throwaway ``RISKATLAS_HOME``; one Markdown process
first compiles the templates. In one process: ``render_brief(…, "pdf")`` called again and again
in this process, the engines interleaved, as a web app's worker renders ``trips/<id>/brief.pdf``
(wall time, and this process's own CPU: the browser's runs in its own processes); ``kept``:
Chromium with the browser kept between prints (``chromium_kept``, as ``riskatlas serve`` and
``worker`` do). The load average is printed beside each line (the machine is shared).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRIP = ROOT / "examples" / "trips" / "peru-andahuaylas.yaml"
ASSESSMENT = ROOT / "examples" / "peru-2009.yaml"
ENGINES = ("weasyprint", "chromium", "auto")


def _load() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def _line(name: str, times: list[float], extra: str = "") -> str:
    runs = " ".join(f"{t:.2f}" for t in times)
    return f"{name:<12} median {statistics.median(times):.2f} s  runs {runs}{extra}"


def cold(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="brief-bench-") as home:
        env = {**os.environ, "RISKATLAS_HOME": home, "DATABASE_URL": f"sqlite:///{home}/db"}
        base = [sys.executable, "-m", "riskatlas", "trip", "brief", str(TRIP)]
        base += ["--assessment", str(ASSESSMENT), "--today", "2026-12-03"]
        out = Path(home) / "brief"
        subprocess.run([*base, "--format", "md", "-o", str(out)], env=env, check=True)
        times: dict[str, list[float]] = {name: [] for name in ("md", *ENGINES)}
        loads = [_load()]
        for _ in range(runs):
            for name in times:
                fmt = "md" if name == "md" else "pdf"
                run_env = {**env, "RISKATLAS_PDF_ENGINE": "" if name == "md" else name}
                start = time.perf_counter()
                subprocess.run(
                    [*base, "--format", fmt, "-o", str(out)],
                    env=run_env,
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                times[name].append(time.perf_counter() - start)
            loads.append(_load())
    print(f"cold processes (load {' '.join(loads)}):")
    for name, values in times.items():
        print(_line(name, values))


def in_process(runs: int) -> None:
    from riskatlas.document import load_document
    from riskatlas.reports.brief import render_brief
    from riskatlas.travel.check import check_trip
    from riskatlas.travel.exposure import Covering
    from riskatlas.travel.policy import default_policy
    from riskatlas.travel.trip_file import load_trip

    covering = Covering(load_document(ASSESSMENT), "pe-2009 v1")
    check = check_trip(load_trip(TRIP), [covering], default_policy(), dt.date(2026, 12, 3))
    render_brief(check, "md")
    from riskatlas.reports import chromium_kept

    names = (*ENGINES[:2], "kept")  # kept: Chromium, the browser kept between prints
    wall: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, list[float]] = {name: [] for name in names}
    loads = [_load()]
    for _ in range(runs + 1):
        for name in wall:
            os.environ["RISKATLAS_PDF_ENGINE"] = "chromium" if name == "kept" else name
            # Kept only for "kept": the idle browser waits (not ended) through the others' turns.
            chromium_kept._keeping = name == "kept"
            start, start_cpu = time.perf_counter(), time.process_time()
            render_brief(check, "pdf")
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
        loads.append(_load())
    chromium_kept.keep_browsers(False)
    print(f"in one process, the first call apart (load {' '.join(loads)}):")
    for name in wall:
        first = f"  first {wall[name][0]:.2f} s; this process's CPU median "
        first += f"{statistics.median(cpu[name][1:]):.2f} s (first {cpu[name][0]:.2f})"
        print(_line(name, wall[name][1:], first))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cold(args.runs)
    in_process(args.runs)


if __name__ == "__main__":
    main()
