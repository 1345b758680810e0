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

The PDF runs once for each of ``--pdf single,parts,chromium``: in one WeasyPrint pass, in parts
(forced with ``RISKATLAS_PDF_MODE``; ``riskatlas/reports/pdf_parts.py``) and printed by a
headless Chromium (``RISKATLAS_PDF_ENGINE=chromium``; ``riskatlas/reports/pdf_chromium.py``),
in the same run; ``default`` runs with no engine set (``auto``: Chromium when one is found);
``desktop`` with Chromium's desktop browser (``RISKATLAS_CHROMIUM=chromium``), which the
headless shell, found first where both are installed, replaced. The
processes get a temporary folder (``TMPDIR``) of the run's own: the first of each format
compiles the report's templates and keeps them there (Jinja's cache), as a first report does
on a machine.

For each process: wall time (from start to exit, measured by this script), CPU time (user +
system, from ``wait4``, its helper processes included; this script is the "child subreaper" of
what it starts, so that the browser's processes, ended with their process group and left to
their parent, are reaped and counted here too), peak resident memory (``ru_maxrss``:
the VmHWM of the largest of the process and its helpers), the peak of their sum (PSS, sampled
every 20 ms) and, for the PDF, its number of pages. Printed as a Markdown table of medians,
with ÷ Markdown, and the load average before and after (the machine is shared: wall time moves
with it, CPU time less).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
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
    tree_mb: float = 0.0


def _tree_pss(pid: int) -> int:
    """Proportional resident memory (kB, ``Pss`` of ``smaps_rollup``: a page shared by two
    processes after a fork counts half in each) of ``pid`` and its descendants, now."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
        pending.extend(int(c) for c in children)
    return total


class TreeMemory(threading.Thread):
    """The highest sum of the memory of a process and its helpers (``_tree_pss``), sampled
    every 20 ms."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak_kb = max(self.peak_kb, _tree_pss(self.pid))


def cold_report(source: Path, fmt: str, out: Path, env: dict[str, str]) -> Run:
    """One fresh ``riskatlas report`` process; its wall and CPU time and peak memory (the
    process's own and, sampled, with its worker processes)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [str(RISKATLAS), "report", str(source), "--format", fmt, "-o", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    sampler = TreeMemory(proc.pid)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    orphans_cpu, orphans_rss = _reap_orphans()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        error = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"riskatlas report failed: {error}")
    pages = 0
    if fmt == "pdf":
        from pypdf import PdfReader

        pages = len(PdfReader(out).pages)
    cpu = usage.ru_utime + usage.ru_stime + orphans_cpu
    peak = max(usage.ru_maxrss, orphans_rss) / 1024
    return Run(wall, cpu, peak, pages, sampler.peak_kb / 1024)


def _become_subreaper() -> None:
    """Orphaned descendants of the processes this script starts become its children (Linux
    ``PR_SET_CHILD_SUBREAPER``), so that their CPU time can be counted."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(36, 1, 0, 0, 0) != 0:  # PR_SET_CHILD_SUBREAPER
        print("warning: not a child subreaper; orphaned helpers' CPU is not counted")


def _reap_orphans() -> tuple[float, int]:
    """Wait for every orphaned descendant left (a killed browser's processes): their CPU
    seconds, and the largest one's peak resident memory (kB)."""
    cpu, rss = 0.0, 0
    while True:
        try:
            _, _, usage = os.wait4(-1, 0)
        except ChildProcessError:
            return cpu, rss
        cpu += usage.ru_utime + usage.ru_stime
        rss = max(rss, usage.ru_maxrss)


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


KINDS = {
    "md": "Markdown",
    "single": "PDF, one pass",
    "parts": "PDF in parts",
    "chromium": "PDF, Chromium",
    "default": "PDF, default engine",
    "desktop": "PDF, Chromium's desktop browser",
}


def table(results: dict[tuple[int, str], list[Run]]) -> str:
    lines = [
        "| risks | format | runs | wall (median) | CPU (median) | peak memory (largest process "
        "/ all processes, PSS) | pages | ÷ Markdown (wall / CPU) |",
        "|---:|---|---:|---:|---:|---:|---:|---|",
    ]
    order = list(KINDS)
    for (times, kind), runs in sorted(
        results.items(), key=lambda kv: (kv[0][0], order.index(kv[0][1]))
    ):
        wall = statistics.median(r.wall for r in runs)
        cpu = statistics.median(r.cpu for r in runs)
        peak = max(r.peak_mb for r in runs)
        tree = max(r.tree_mb for r in runs)
        ratio = ""
        if kind != "md" and (times, "md") in results:
            md = results[(times, "md")]
            md_wall = statistics.median(r.wall for r in md)
            md_cpu = statistics.median(r.cpu for r in md)
            ratio = f"{wall / md_wall:.1f}× / {cpu / md_cpu:.1f}×"
        pages = str(runs[0].pages) if kind != "md" else "—"
        lines.append(
            f"| {18 * times:,} | {KINDS[kind]} | {len(runs)} | {wall:.2f} s | {cpu:.2f} s | "
            f"{peak:,.0f} MB / {tree:,.0f} MB | {pages} | {ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="cold processes per format at 18 risks")
    parser.add_argument(
        "--big-runs", type=int, default=1, help="cold processes per size when larger"
    )
    parser.add_argument("--sizes", default="1,10,100", help="how many times each risk is repeated")
    parser.add_argument(
        "--pdf",
        default="single,parts",
        help="the PDF paths to run: single (WeasyPrint, one pass), parts (WeasyPrint in parts), "
        "chromium (RISKATLAS_PDF_ENGINE=chromium), default (no engine set: auto, Chromium "
        "when found), desktop (the desktop browser, RISKATLAS_CHROMIUM=chromium, where the "
        "headless shell is found first); comma-separated",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    kinds = ["md", *args.pdf.split(",")]
    _become_subreaper()
    print(f"{platform.python_version()} on {os.cpu_count()} cores; load average {loadavg()}")
    results: dict[tuple[int, str], list[Run]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        env = {**os.environ, "RISKATLAS_HOME": str(folder / "home")}
        env.pop("RISKATLAS_EVENTS_DB", None)
        env.pop("DATABASE_URL", None)
        env.pop("RISKATLAS_PDF_ENGINE", None)
        env.pop("RISKATLAS_CHROMIUM", None)
        # A temporary folder of the run's own, so that Jinja's compiled templates (kept in its
        # per-user folder there) are made by the run's first process of each format, not found
        # from before.
        (folder / "tmp").mkdir()
        env["TMPDIR"] = str(folder / "tmp")
        sources = documents(folder, sizes)
        for times in sizes:
            for _ in range(args.runs if times == 1 else args.big_runs):
                for kind in kinds:
                    fmt = "md" if kind == "md" else "pdf"
                    run_env = env
                    if kind == "chromium":
                        run_env = {**env, "RISKATLAS_PDF_ENGINE": "chromium"}
                    elif kind == "default":
                        run_env = env
                    elif kind == "desktop":
                        run_env = {**env, "RISKATLAS_PDF_ENGINE": "chromium"}
                        run_env["RISKATLAS_CHROMIUM"] = "chromium"
                    elif fmt == "pdf":
                        run_env = {**env, "RISKATLAS_PDF_ENGINE": "weasyprint"}
                        run_env["RISKATLAS_PDF_MODE"] = kind
                    out = folder / f"out-x{times}-{kind}.{fmt}"
                    run = cold_report(sources[times], fmt, out, run_env)
                    results.setdefault((times, kind), []).append(run)
                    print(
                        f"  {18 * times} risks {KINDS[kind]}: wall {run.wall:.2f} s, "
                        f"CPU {run.cpu:.2f} s, peak {run.peak_mb:.0f} MB, all processes "
                        f"{run.tree_mb:.0f} MB, {run.pages} pages (load {loadavg()})",
                        flush=True,
                    )
    print()
    print(table(results))
    print(f"\nload average after: {loadavg()}")


if __name__ == "__main__":
    main()
