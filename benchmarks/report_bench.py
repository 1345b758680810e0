"""How long the Peru report takes as PDF and as Markdown, each from a cold process, and how much
memory the PDF needs as the assessment grows (issue 13: quick reports).

    .venv/bin/python benchmarks/report_bench.py [--runs 3] [--sizes 1,10,100]

Each measurement is one fresh ``riskatlas report FILE.yaml --format pdf|md -o OUT`` process, as
a user runs it: Python's start, the imports, reading and checking the YAML, the report context,
the rendering and the file written. The files are the Peru 2009 example
(``examples/peru-2009.yaml``, 18 risks) and copies with every risk repeated 10 and 100 times
(180 and 1,800 risks; ``page_bench.multiplied``), written to a temporary folder first. The
commands run with a throwaway ``RISKATLAS_HOME`` (no evidence store, no database), PDF and
Markdown interleaved so that a change in the machine's load hits both alike.

For each process: wall time (from start to exit, measured by this script), CPU time (user +
system, from ``wait4``), peak resident memory (``ru_maxrss``, the process's VmHWM) and, for the
PDF, its number of pages. Printed as a Markdown table of medians, with PDF ÷ Markdown, and the
load average before and after (the machine is shared: wall time moves with it, CPU time less).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from page_bench import multiplied

from riskatlas.document import load_document

ROOT = Path(__file__).resolve().parents[1]
RISKATLAS = Path(sys.executable).with_name("riskatlas")


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mb: float
    pages: int


def cold_report(source: Path, fmt: str, out: Path, env: dict[str, str]) -> Run:
    """One fresh ``riskatlas report`` process; its wall and CPU time and peak memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(RISKATLAS), "report", str(source), "--format", fmt, "-o", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        error = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"riskatlas report failed: {error}")
    pages = 0
    if fmt == "pdf":
        from pypdf import PdfReader

        pages = len(PdfReader(out).pages)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, pages)


class _NoAliases(yaml.SafeDumper):
    """Every repeated value written out in full: assessment files refuse YAML aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def documents(folder: Path, sizes: list[int]) -> dict[int, Path]:
    """The Peru example and its copies with every risk repeated, as YAML files."""
    doc = load_document(ROOT / "examples" / "peru-2009.yaml")
    paths = {}
    for times in sizes:
        path = folder / f"peru-x{times}.yaml"
        data = doc if times == 1 else multiplied(doc, times)
        path.write_text(
            yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), "utf-8"
        )
        paths[times] = path
    return paths


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def table(results: dict[tuple[int, str], list[Run]]) -> str:
    lines = [
        "| risks | format | runs | wall (median) | CPU (median) | peak memory | pages "
        "| PDF ÷ Markdown (wall / CPU) |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    for (times, fmt), runs in sorted(results.items(), key=lambda kv: (kv[0][0], kv[0][1] != "md")):
        wall = statistics.median(r.wall for r in runs)
        cpu = statistics.median(r.cpu for r in runs)
        peak = max(r.peak_mb for r in runs)
        ratio = ""
        if fmt == "pdf" and (times, "md") in results:
            md = results[(times, "md")]
            md_wall = statistics.median(r.wall for r in md)
            md_cpu = statistics.median(r.cpu for r in md)
            ratio = f"{wall / md_wall:.1f}× / {cpu / md_cpu:.1f}×"
        pages = str(runs[0].pages) if fmt == "pdf" else "—"
        lines.append(
            f"| {18 * times:,} | {'PDF' if fmt == 'pdf' else 'Markdown'} | {len(runs)} | "
            f"{wall:.2f} s | {cpu:.2f} s | {peak:.0f} MB | {pages} | {ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="cold processes per format at 18 risks")
    parser.add_argument(
        "--big-runs", type=int, default=1, help="cold processes per size when larger"
    )
    parser.add_argument("--sizes", default="1,10,100", help="how many times each risk is repeated")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{platform.python_version()} on {os.cpu_count()} cores; load average {loadavg()}")
    results: dict[tuple[int, str], list[Run]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "RISKATLAS_HOME": str(folder / "home")}
        env.pop("RISKATLAS_EVENTS_DB", None)
        env.pop("DATABASE_URL", None)
        sources = documents(folder, sizes)
        for times in sizes:
            for _ in range(args.runs if times == 1 else args.big_runs):
                for fmt in ("md", "pdf"):
                    run = cold_report(sources[times], fmt, folder / f"out-x{times}.{fmt}", env)
                    results.setdefault((times, fmt), []).append(run)
                    print(
                        f"  {18 * times} risks {fmt}: wall {run.wall:.2f} s, CPU {run.cpu:.2f} s, "
                        f"peak {run.peak_mb:.0f} MB (load {loadavg()})",
                        flush=True,
                    )
    print()
    print(table(results))
    print(f"\nload average after: {loadavg()}")


if __name__ == "__main__":
    main()
