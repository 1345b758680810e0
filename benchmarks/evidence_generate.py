"""Write a synthetic ACLED-format CSV (standard 31-column export) for the import benchmark.

    .venv/bin/python benchmarks/evidence_generate.py [--rows 2500000] [-o /tmp/acled_synthetic.csv]

Countries and admin-1 names are real (pycountry subdivisions, 40 countries), sub-event types
are ACLED's 25, dates span 2018-2023, and ~1 % of rows carry the real "Demostrations" typo.
The file goes to /tmp, never into the repository.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from datetime import date, timedelta
from pathlib import Path

import pycountry

from riskatlas.evidence._data import load_table
from riskatlas.evidence.sources.acled import EXPORT_COLUMNS

HEADER = list(EXPORT_COLUMNS)
COUNTRIES = [
    "PE",
    "CO",
    "MX",
    "BR",
    "AR",
    "CL",
    "EC",
    "BO",
    "VE",
    "GT",
    "HN",
    "SV",
    "NI",
    "NG",
    "KE",
    "ET",
    "SO",
    "SD",
    "CD",
    "ML",
    "BF",
    "NE",
    "CM",
    "ZA",
    "UA",
    "RU",
    "TR",
    "SY",
    "IQ",
    "YE",
    "AF",
    "PK",
    "IN",
    "BD",
    "MM",
    "PH",
    "ID",
    "TH",
    "FR",
    "DE",
]
EVENT_TYPES = {
    "Armed clash": ("Political violence", "Battles"),
    "Peaceful protest": ("Demonstrations", "Protests"),
    "Violent demonstration": ("Demonstrations", "Riots"),
    "Mob violence": ("Political violence", "Riots"),
    "Attack": ("Political violence", "Violence against civilians"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=2_500_000)
    parser.add_argument("-o", "--output", type=Path, default=Path("/tmp/acled_synthetic.csv"))
    parser.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    places = []
    for alpha2 in COUNTRIES:
        country = pycountry.countries.get(alpha_2=alpha2)
        subs = [
            s
            for s in pycountry.subdivisions.get(country_code=alpha2) or ()
            if s.parent_code is None
        ]
        for sub in subs[:30]:
            places.append((country.alpha_3[:3], country.numeric, country.name, sub.name))
    sub_events = [row["sub_event_type"] for row in load_table("categories_acled.csv")]
    start, days = date(2018, 1, 1), 6 * 365
    started = time.perf_counter()
    with args.output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(args.rows):
            prefix, numeric, name, admin1 = places[rng.randrange(len(places))]
            sub_event = sub_events[rng.randrange(len(sub_events))]
            disorder, event_type = EVENT_TYPES.get(
                sub_event, ("Strategic developments", "Strategic developments")
            )
            if disorder == "Demonstrations" and rng.random() < 0.02:
                disorder = "Demostrations"
            day = start + timedelta(days=rng.randrange(days))
            fatalities = rng.choice((0, 0, 0, 0, 1, 2, 5))
            writer.writerow(
                (
                    f"{prefix}{i}", day.isoformat(), day.year, 1, disorder, event_type, sub_event,
                    f"Actor ({name})", "", 1, "", "", 0, 10, "", numeric, "", name, admin1, "", "",
                    f"Place {i % 997}", round(rng.uniform(-40, 60), 4),
                    round(rng.uniform(-120, 140), 4), 1, "Synthetic", "National",
                    f"Synthetic event {i} in {admin1}.", fatalities, "", 1700000000,
                )
            )  # fmt: skip
    size = args.output.stat().st_size / 1e6
    seconds = time.perf_counter() - started
    print(f"{args.output}: {args.rows:,} rows, {size:,.0f} MB in {seconds:.1f} s")


if __name__ == "__main__":
    main()
