"""The event import beside DuckDB's bare load of the same file, in the same run.

    .venv/bin/python benchmarks/evidence_generate.py          # writes /tmp/acled_synthetic.csv
    .venv/bin/python benchmarks/import_bench.py [FILE] [--repeat 3]

Each measurement runs in a fresh process into a fresh DuckDB file in /tmp, alternating them:

- riskatlas: ``import_file(con, "acled", path)`` into a new evidence store (the store's default
  memory limit, ``RISKATLAS_EVIDENCE_MEMORY`` or 512MB): read, map countries, ISO 3166-2 areas
  and categories, quarantine, write, in one transaction (a new store counts no country by day:
  none is asked for);
- bare: ``CREATE TABLE t AS SELECT * FROM read_csv_auto(path)`` with DuckDB's defaults (no
  mapping, no key, nothing checked), the reference the issue compares against;
- with ``--assessed ISO3,...`` a third, **riskatlas + counted**: the import as the import
  command makes it when those countries have assessments in its database
  (``import_into_store(..., count=[...])``: their events counted by day once the import has
  committed, decision 0009). Without an assessment's country nothing is counted by day.

Peak memory is each process's VmHWM (the high-water mark of its resident memory). Prints one
line per run, then the medians and the ratio riskatlas / bare.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, sys, tempfile, time
from pathlib import Path
folder = Path(tempfile.mkdtemp())
path = Path(sys.argv[1])
began = time.perf_counter()
if sys.argv[2] == "riskatlas":
    from riskatlas.evidence.catalogue import import_file
    from riskatlas.evidence.store import connect
    con = connect(folder / "events.duckdb")
    began = time.perf_counter()
    rows = import_file(con, "acled", path).rows_added
elif sys.argv[2] == "counted":
    from riskatlas.evidence.operations import import_into_store
    from riskatlas.evidence.store import connect
    connect(folder / "events.duckdb").close()
    began = time.perf_counter()
    rows = import_into_store("acled", path, folder / "events.duckdb",
                             count=sys.argv[3].split(",")).rows_added
    con = connect(folder / "events.duckdb", read_only=True)
else:
    import duckdb
    con = duckdb.connect(str(folder / "bare.duckdb"))
    began = time.perf_counter()
    quoted = str(path).replace("'", "''")
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv_auto('{quoted}')")
    rows = con.execute("SELECT count(*) FROM t").fetchone()[0]
spent = time.perf_counter() - began
con.close()
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"rows": rows, "seconds": spent, "peak_mib": peak / 1024}))
"""


def run(path: str, what: str, assessed: str = "") -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, path, what, assessed],
        env=os.environ,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "file", nargs="?", default=str(Path(tempfile.gettempdir()) / "acled_synthetic.csv")
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--assessed", default="", help="countries with an assessment (ISO alpha-3, commas)"
    )
    args = parser.parse_args()
    results: dict[str, list[dict[str, float]]] = {"riskatlas": [], "bare": []}
    if args.assessed:
        results["counted"] = []
    print("| run | what | rows | seconds | peak memory (MiB) | load average (1 min) |")
    print("|---:|---|---:|---:|---:|---:|")
    for n in range(1, args.repeat + 1):
        order = list(results)
        for what in order if n % 2 else order[::-1]:
            row = run(args.file, what, args.assessed)
            results[what].append(row)
            load = os.getloadavg()[0]
            print(
                f"| {n} | {what} | {row['rows']:,} | {row['seconds']:.1f} | "
                f"{row['peak_mib']:,.0f} | {load:.1f} |",
                flush=True,
            )
    medians = {
        what: (
            statistics.median(r["seconds"] for r in rows),
            statistics.median(r["peak_mib"] for r in rows),
        )
        for what, rows in results.items()
    }
    for what, (seconds, peak) in medians.items():
        print(f"median {what}: {seconds:.1f} s, {peak:,.0f} MiB")
    print(f"riskatlas / bare: {medians['riskatlas'][0] / medians['bare'][0]:.2f}× the time")
    if "counted" in medians:
        ratio = medians["counted"][0] / medians["bare"][0]
        print(f"riskatlas + {args.assessed} counted / bare: {ratio:.2f}× the time")


if __name__ == "__main__":
    main()
