"""Import and aggregation speed of the evidence engine, beside a plain pandas version.

    .venv/bin/python benchmarks/evidence_generate.py            # writes /tmp/acled_synthetic.csv
    .venv/bin/python benchmarks/evidence_bench.py [/tmp/acled_synthetic.csv]

Measures, in the same run:
- riskatlas: `import_file(con, "acled", path)` into a fresh DuckDB store (read, map countries,
  areas and categories, quarantine, write with natural keys), then the full
  area × category × month aggregation (`refresh_monthly`, materialised as a table), best of 3.
- pandas: read_csv, the same mapping through dictionaries (resolved once per distinct
  country/admin-1 pair with the same resolver), then groupby area × category × month, best of 3.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from riskatlas.evidence.analytics import monthly_table, refresh_monthly
from riskatlas.evidence.areas import area_from_name, country_iso3
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.importing import category_table
from riskatlas.evidence.store import connect


def best_of(n: int, run):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(n):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return min(times), result


def riskatlas_run(path: Path, store: Path) -> dict[str, object]:
    con = connect(store)
    started = time.perf_counter()
    result = import_file(con, "acled", path)
    import_seconds = time.perf_counter() - started
    aggregate_seconds, groups = best_of(3, lambda: refresh_monthly(con))
    assert groups == len(monthly_table(con))
    con.close()
    return {
        "import_s": round(import_seconds, 2),
        "aggregate_s": round(aggregate_seconds, 3),
        "rows_added": result.rows_added,
        "rows_rejected": result.rows_rejected,
        "groups": groups,
    }


def pandas_run(path: Path) -> dict[str, object]:
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    categories = dict(category_table("categories_acled.csv", ("sub_event_type",)))
    frame["category"] = frame["sub_event_type"].map(categories)
    pairs = frame[["iso", "country", "admin1"]].drop_duplicates()
    iso3 = {}
    area = {}
    for code, name, admin1 in pairs.itertuples(index=False):
        country = country_iso3(code) or country_iso3(name)
        iso3[(code, name)] = country
        area[(code, name, admin1)] = area_from_name(country, admin1).code if country else None
    keys = list(zip(frame["iso"], frame["country"], frame["admin1"], strict=True))
    frame["iso3"] = [iso3[k[:2]] for k in keys]
    frame["area"] = [area[k] for k in keys]
    frame["area"] = frame["area"].fillna(frame["iso3"])
    frame["event_date"] = pd.to_datetime(frame["event_date"], errors="coerce")
    frame["fatalities"] = pd.to_numeric(frame["fatalities"], errors="coerce").fillna(0)
    frame = frame[frame["category"].notna() & frame["iso3"].notna() & frame["event_date"].notna()]
    frame = frame.drop_duplicates("event_id_cnty")
    import_seconds = time.perf_counter() - started

    def aggregate():  # type: ignore[no-untyped-def]
        month = frame["event_date"].dt.to_period("M")
        return frame.groupby(["area", "category", month]).agg(
            events=("event_id_cnty", "size"), fatalities=("fatalities", "sum")
        )

    aggregate_seconds, table = best_of(3, aggregate)
    return {
        "import_s": round(import_seconds, 2),
        "aggregate_s": round(aggregate_seconds, 3),
        "rows_added": len(frame),
        "groups": len(table),
    }


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/acled_synthetic.csv")
    if not path.exists():
        sys.exit(f"{path}: run benchmarks/evidence_generate.py first")
    rows = sum(1 for _ in path.open("rb")) - 1
    with tempfile.TemporaryDirectory() as tmp:
        ours = riskatlas_run(path, Path(tmp) / "events.duckdb")
    theirs = pandas_run(path)
    report = {
        "file": str(path),
        "rows": rows,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}",
        "duckdb": duckdb.__version__,
        "riskatlas (DuckDB)": ours,
        "pandas": theirs,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
