"""How long the `riskatlas` command takes to start: `riskatlas --help` beside a bare Python and
beside the eager imports `--help` used to pay for (issue 9, "one door").

    .venv/bin/python benchmarks/cli_startup.py [--runs 20] [--before REV]

Each case runs as its own process, ``--runs`` times, the cases interleaved (so that a change
in the machine's load hits them alike), after one unmeasured warm-up run each (which also
writes the bytecode caches). Wall time is measured around the process; CPU time (user +
system) is the delta of ``resource.getrusage(RUSAGE_CHILDREN)``. Medians are printed as a
Markdown table.

``--before REV`` adds the real earlier state: ``git archive REV riskatlas`` unpacked into a
temporary folder and run as ``python -m riskatlas --help`` from there (it comes first on
``sys.path``, before the editable install of this checkout).
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
# What `riskatlas --help` imported before issue 9 (every command module imported the core
# it calls at the top): the evidence store (DuckDB), the report modules (Jinja), the
# extraction engine, the document schema, rich.
EAGER = (
    "import click, rich.progress, rich.table, duckdb, jinja2, riskatlas.document, "
    "riskatlas.evidence, riskatlas.extraction, riskatlas.reports.render"
)


@dataclass
class Case:
    label: str
    argv: list[str]
    cwd: Path = ROOT
    env: dict[str, str] = field(default_factory=dict)
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def run(self) -> tuple[float, float]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            self.argv,
            cwd=self.cwd,
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise SystemExit(f"{self.label}: exit {done.returncode}\n{done.stderr}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return wall, cpu


def _checkout(rev: str, into: Path) -> Path:
    """The ``riskatlas`` package as it was at ``rev``, unpacked under ``into``."""
    archive = into / "riskatlas.tar"
    with archive.open("wb") as handle:
        subprocess.run(
            ["git", "archive", "--format=tar", rev, "riskatlas"], cwd=ROOT, stdout=handle,
            check=True,
        )  # fmt: skip
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into


def _cases(before: str | None, tmp: Path) -> list[Case]:
    cases = [
        Case("`python -c pass` (bare interpreter)", [PY, "-c", "pass"]),
        Case("`python -m riskatlas --help` (now)", [PY, "-m", "riskatlas", "--help"]),
        Case(
            "`python -m riskatlas data import --help` (now)",
            [PY, "-m", "riskatlas", "data", "import", "--help"],
        ),
        Case("`python -c 'import click'`", [PY, "-c", "import click"]),
        Case("eager: the imports `--help` paid for before (see below)", [PY, "-c", EAGER]),
        Case("`python -c 'import duckdb, weasyprint'`", [PY, "-c", "import duckdb, weasyprint"]),
    ]
    if before:
        old = _checkout(before, tmp)
        cases.append(
            Case(
                f"`python -m riskatlas --help` at {before} (before)",
                [PY, "-m", "riskatlas", "--help"],
                cwd=old,
                env={"PYTHONPATH": str(old)},
            )
        )
    return cases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="Runs per case (default 20).")
    parser.add_argument("--before", metavar="REV", help="Also time --help at this commit.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = _cases(args.before, Path(tmp))
        load_start = os.getloadavg()[0]
        for case in cases:  # warm-up: OS file cache, __pycache__
            case.run()
        for _ in range(args.runs):
            for case in cases:
                wall, cpu = case.run()
                case.wall.append(wall)
                case.cpu.append(cpu)
        load_end = os.getloadavg()[0]
    bare = statistics.median(cases[0].cpu)
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {args.runs} runs per case, "
        f"load average {load_start:.1f} at the start and {load_end:.1f} at the end.\n"
    )
    print("| case | wall time (median) | CPU time (median) | CPU × bare Python |")
    print("|---|---|---|---|")
    for case in cases:
        cpu = statistics.median(case.cpu)
        print(
            f"| {case.label} | {statistics.median(case.wall) * 1000:.0f} ms "
            f"| {cpu * 1000:.0f} ms | {cpu / bare:.1f} |"
        )
    print(f"\nEager imports: `{EAGER}`")


if __name__ == "__main__":
    main()
