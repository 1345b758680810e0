"""Official travel-advice pages known by their address (the FCDO's, the US State
Department's, Canada's, Australia's): a source cited by such an address is proposed its
title, publisher and kind. Its grade stays the analyst's to choose."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from riskatlas.evidence.areas import country_alpha2, country_iso3
from riskatlas.geography import iso_area


@dataclass(frozen=True)
class OfficialPage:
    title: str
    publisher: str
    country: str  # ISO 3166-1 alpha-2, or "" when the page's name is not a known country
    kind: str = "official"


# host, path (its ``slug`` names the country), publisher, title ({country}: the country's name)
_PAGES = (
    (
        "gov.uk",
        re.compile(r"^/foreign-travel-advice/(?P<slug>[a-z-]+)"),
        "FCDO",
        "FCDO travel advice: {country}",
    ),
    (
        "travel.state.gov",
        re.compile(r"/traveladvisories/traveladvisories/(?P<slug>[a-z-]+?)-travel-advisory\.html$"),
        "US Department of State",
        "US State Department travel advisory: {country}",
    ),
    (
        "travel.gc.ca",
        re.compile(r"^/destinations/(?P<slug>[a-z-]+)"),
        "Government of Canada",
        "Government of Canada travel advice: {country}",
    ),
    (
        "smartraveller.gov.au",
        re.compile(r"^/destinations/[a-z-]+/(?P<slug>[a-z-]+)"),
        "Smartraveller (Australian Government)",
        "Smartraveller travel advice: {country}",
    ),
)


def official_page(url: str) -> OfficialPage | None:
    """The official advice page at ``url``, if it is one of the known kinds; else None."""
    text = url.strip()
    parts = urlsplit(text if "://" in text else f"https://{text}")
    host = parts.netloc.lower().removeprefix("www.")
    for known, path, publisher, title in _PAGES:
        if host != known:
            continue
        found = path.search(parts.path.lower().rstrip("/"))
        if found is None:
            continue
        slug = found.group("slug")
        iso3 = country_iso3(slug.replace("-", " "))
        alpha2 = country_alpha2(iso3) if iso3 else None
        area = iso_area(alpha2) if alpha2 else None
        name = area.name if area else slug.replace("-", " ").capitalize()
        return OfficialPage(title.format(country=name), publisher, alpha2 or "")
    return None
