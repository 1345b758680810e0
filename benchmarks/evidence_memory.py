"""Peak memory and time of a large event import, within the evidence store's memory limit and
without one (the obvious alternative: DuckDB's default of 80 % of the machine's memory).

    .venv/bin/python benchmarks/evidence_generate.py          # writes /tmp/acled_synthetic.csv
    .venv/bin/python benchmarks/evidence_memory.py [FILE] [--limits 512MB,1GB,none]

Each import runs in a fresh process into a fresh store (peak memory is the process's VmHWM, the
high-water mark of its resident memory, which a process never shares with another run).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, os, sys, tempfile, time
from pathlib import Path
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.store import connect
folder = Path(tempfile.mkdtemp())
con = connect(folder / "events.duckdb")
if sys.argv[2] == "none":
    con.execute("RESET memory_limit")  # DuckDB's own default: 80 % of the machine's memory
began = time.perf_counter()
result = import_file(con, "acled", Path(sys.argv[1]))
spent = time.perf_counter() - began
setting = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM"))
print(json.dumps({"limit": setting, "rows": result.rows_added, "seconds": round(spent, 1),
                  "peak_mib": round(peak / 1024)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "file", nargs="?", default=str(Path(tempfile.gettempdir()) / "acled_synthetic.csv")
    )
    parser.add_argument("--limits", default="512MB,1GB,none")
    args = parser.parse_args()
    print("| memory limit | rows | import (s) | peak memory (MiB) |")
    print("|---|---:|---:|---:|")
    for limit in args.limits.split(","):
        env = {"RISKATLAS_EVIDENCE_MEMORY": limit if limit != "none" else "512MB"}
        out = subprocess.run(
            [sys.executable, "-c", CHILD, args.file, limit],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        shown = f"{limit} ({row['limit']})" if limit != "none" else f"none ({row['limit']})"
        print(f"| {shown} | {row['rows']:,} | {row['seconds']} | {row['peak_mib']:,} |", flush=True)


if __name__ == "__main__":
    main()
