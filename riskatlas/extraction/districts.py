"""Cities that are first-level areas themselves: Bogotá is CO-DC, Mexico City MX-CMX, Kyiv
UA-30, Buenos Aires AR-C.

The GeoNames → ISO 3166-2 bridge (``data/admin1_iso3166_2.csv``) matches admin-1 *names*,
and a capital district's GeoNames name ("Bogota D.C.") is too far from its ISO name
("Distrito Capital de Bogotá") for it: such cities were coded by their country alone (CO).
Here an admin-1 code the bridge lacks is joined to the one subdivision of its country, not
already bridged, whose name without district words ("Distrito Capital de", "Ciudad de",
"City") is the name of the admin-1's biggest town without them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

#: Words that make a city's name the name of its district, or of a district its city's.
DISTRICT_WORDS = frozenset(
    [
        "distrito",
        "capital",
        "de",
        "del",
        "of",
        "the",
        "federal",
        "district",
        "city",
        "ciudad",
        "autonoma",
        "autonomous",
        "metropolitan",
        "metropolitana",
        "region",
        "regional",
        "dc",
        "d",
        "c",
        "shi",
        "municipality",
        "municipio",
        "national",
        "capitale",
        "territory",
        "special",
    ]
)


def core_name(name: str) -> str:
    """A name without its district words: "Distrito Capital de Bogotá" → "bogota"."""
    return " ".join(w for w in _folded_words(name) if w not in DISTRICT_WORDS)


#: The key of a whole admin-1 area in ``district_codes`` (else the town's core name).
WHOLE = ""


def district_codes(
    cities: Iterable[dict[str, Any]], bridge: dict[tuple[str, str], str], subdivisions: Any
) -> dict[tuple[str, str, str], str]:
    """ISO 3166-2 codes for towns of admin-1 codes the ``bridge`` lacks: ``(country,
    admin1, WHOLE)`` for every town of a capital district ("Distrito Capital de Bogotá": its
    other towns lie in it too), ``(country, admin1, core name)`` for the one town a
    subdivision is named after (Kyiv → UA-30; the other towns of that admin-1 may lie
    outside the town). ``subdivisions``: pycountry's, or objects with ``code``,
    ``country_code``, ``name`` and ``parent_code``."""
    biggest: dict[tuple[str, str], dict[str, Any]] = {}
    for city in cities:
        key = (city["countrycode"], city["admin1code"])
        if key in bridge or not city["admin1code"]:
            continue
        if key not in biggest or city["population"] > biggest[key]["population"]:
            biggest[key] = city
    bridged = set(bridge.values())
    by_core: dict[tuple[str, str], list[Any]] = {}
    for sub in subdivisions:
        if sub.parent_code is None and sub.code not in bridged:
            by_core.setdefault((sub.country_code, core_name(sub.name)), []).append(sub)
    found: dict[tuple[str, str, str], str] = {}
    for (cc, admin1), city in biggest.items():
        core = core_name(city["name"])
        matches = by_core.get((cc, core), []) if core else []
        if len(matches) != 1:
            continue
        sub = matches[0]
        is_district = core_name(sub.name) != " ".join(_folded_words(sub.name))
        found[(cc, admin1, WHOLE if is_district else core)] = sub.code
    return found


def _folded_words(name: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return folded.replace(".", " ").replace(",", " ").replace("-", " ").split()
