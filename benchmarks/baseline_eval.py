"""The country baseline against the US levels: held out by region, in sample, and beside
single indicators.

    .venv/bin/python benchmarks/baseline_eval.py [--db STORE.duckdb] [--nested]

Without ``--db``, imports the shared open-data files (``../shared/data``: ACLED and UCDP
samples, GPI (CSV and the workbook with its domains), homicide, WHO road deaths, INFORM 2020,
the US summary) into a temporary store first (about 30 s). Prints what ``riskatlas baseline
--compare unitedstates`` prints, then each domain and single indicator alone on the countries
it covers, and the data coverage. ``--nested`` (about 6 minutes) also judges the *choice* of
the shipped index among the four candidates that were compared (with or without the ACLED
conflict deaths, with or without the GPI's Safety and Security domain): each continent is
scored by the candidate that did best held out on the other five.
"""

from __future__ import annotations

import argparse
import copy
import sys
import tempfile
from collections import Counter
from pathlib import Path

from riskatlas.evidence._data import load_yaml
from riskatlas.evidence.baseline import baseline_index, raw_values, spearman
from riskatlas.evidence.baseline_fit import (
    Candidate,
    continents,
    country_domains,
    national_levels,
    nested_cross_validate,
    shipped_weights,
    validation_text,
    weighted_score,
)
from riskatlas.evidence.catalogue import import_file
from riskatlas.evidence.composite import CompositeIndex
from riskatlas.evidence.store import connect

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FILES = [
    ("acled", "acled/acled_sample_2022h1.csv"),
    ("acled", "acled/acled_argentina_2022-06.csv"),
    ("ucdp-ged", "ucdp/ged_sample.csv"),
    ("gpi", "indicators/global_peace_index.csv"),
    ("gpi", "indicators/GPI-2022-overall-scores-and-domains-2008-2022.xlsx"),
    ("homicide", "indicators/homicide_unodc_who.csv"),
    ("who-road", "indicators/who_road_traffic_deaths_RS_198.csv"),
    ("inform", "indicators/inform_gri_2020_v040.csv"),
    ("advisories-us", "advisories/unitedstates_summary.csv"),
]


def load_shared(db: Path) -> None:
    con = connect(db)
    try:
        for source, name in FILES:
            import_file(con, source, SHARED / name)
    finally:
        con.close()


def single_indicators(db: Path, levels: dict[str, float]) -> list[str]:
    index = baseline_index()
    con = connect(db, read_only=True)
    try:
        values = raw_values(con, index)
        inform = dict(
            con.execute(
                "SELECT area_code, arg_max(value, year) FROM indicators"
                " WHERE indicator = 'inform:INFORM RISK' GROUP BY 1"
            ).fetchall()
        )
    finally:
        con.close()
    lines = ["| alone | countries | Spearman |", "|---|---|---|"]
    for key, indicator in index.indicators.items():
        pairs = [
            (indicator.score(v[key]), levels[c])
            for c, v in values.items()
            if key in v and c in levels
        ]
        if len(pairs) >= 10:
            rho = spearman([a for a, _ in pairs], [b for _, b in pairs])
            lines.append(f"| {key} | {len(pairs)} | {rho:.3f} |")
    pairs = [(float(v), levels[c]) for c, v in inform.items() if v is not None and c in levels]
    if len(pairs) >= 10:
        rho = spearman([a for a, _ in pairs], [b for _, b in pairs])
        lines.append(f"| INFORM RISK (published) | {len(pairs)} | {rho:.3f} |")
    return lines


#: The candidates compared, as what each leaves out of the shipped index (indicator, domain).
CANDIDATES: dict[str, tuple[str, ...]] = {
    "without conflict deaths or Safety and Security": ("conflict_deaths", "safety_security"),
    "with conflict deaths": ("safety_security",),
    "with Safety and Security": ("conflict_deaths",),
    "with both (shipped)": (),
}


def candidate(db: Path, name: str, leave_out: tuple[str, ...]) -> Candidate:
    spec = copy.deepcopy(load_yaml("baseline_index.yaml"))  # the parsed file is cached
    for part in leave_out:
        for component in spec["components"].values():
            component["of"].pop(part, None)
        spec["components"].pop(part, None)
        spec["indicators"].pop(part, None)
        if part in spec["domains"]:
            spec["domains"].remove(part)
    index = CompositeIndex.from_dict(spec)
    return Candidate(name, index.domains, country_domains(db, index).domains)


def nested_text(db: Path, levels: dict[str, float]) -> list[str]:
    found = nested_cross_validate(
        [candidate(db, name, parts) for name, parts in CANDIDATES.items()], levels, continents()
    )
    lines = [
        f"Nested (the candidate chosen without each continent): {found.spearman:.3f} over "
        f"{found.countries} countries"
    ]
    for region, pick, inner in found.chosen:
        judged = ", ".join(f"{rho:.3f}" for rho in inner.values())
        lines.append(f"  {region}: {pick} (held out on the other five: {judged})")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an evidence store with the files imported")
    parser.add_argument("--nested", action="store_true", help="judge the choice of index too")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db
        if db is None:
            if not SHARED.is_dir():
                print(f"{SHARED} is absent: pass --db", file=sys.stderr)
                return 2
            db = Path(scratch) / "events.duckdb"
            load_shared(db)
        levels = national_levels(db, "unitedstates")
        print(validation_text(db, "unitedstates", worst=15))
        print()
        print("\n".join(single_indicators(db, levels)))
        known = country_domains(db)
        weights = shipped_weights(baseline_index())
        coverage = Counter(
            n
            for c, n in known.indicators.items()
            if c in levels and weighted_score(known.domains[c], weights) is not None
        )
        print()
        print(
            "Coverage (countries scored with a US level, by indicators with data of "
            f"{known.indicator_count}): "
            + ", ".join(f"{n}: {coverage[n]}" for n in sorted(coverage, reverse=True))
        )
        if args.nested:
            print()
            print("\n".join(nested_text(db, levels)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
