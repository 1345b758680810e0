"""Live feeds: download from a source's API into a file in the upstream format, then import.

Plain HTTP (urllib). Every base address can be overridden with an environment variable
(``RISKATLAS_<SOURCE>_URL``, e.g. ``RISKATLAS_ACLED_URL``), which is how the tests point it at
recorded responses served on this machine. Credentials come from the environment only:
ACLED_USERNAME and ACLED_PASSWORD (OAuth password grant) or ACLED_ACCESS_TOKEN; UCDP_TOKEN.
"""

from __future__ import annotations

import csv
import json
import os
import re
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pycountry

from riskatlas.evidence.areas import country_alpha2, country_iso3

DEFAULT_URLS = {
    "acled": "https://acleddata.com",
    "ucdp-ged": "https://ucdpapi.pcr.uu.se",
    "worldbank": "https://api.worldbank.org",
    "who-road": "https://ghoapi.azureedge.net",
    "gdelt": "http://data.gdeltproject.org",
    "advisories-us": "https://cadataapi.state.gov",
    "advisories": "https://www.gov.uk",
    "canada-advice": "https://data.international.gc.ca",
    "australia-advice": "https://www.smartraveller.gov.au",
    "germany-advice": "https://www.auswaertiges-amt.de",
    "us-advice": "https://travel.state.gov",
    "gdacs": "https://www.gdacs.org",
    "usgs": "https://earthquake.usgs.gov",
    "who-don": "https://www.who.int",
}
#: Where each feed of advice and hazards (``feeds.py``) is read, under its base address, and
#: the suffix its saved response gets.
FEED_PATHS = {
    "canada-advice": ("/travel-voyage/index-alpha-eng.json", ".json"),
    "australia-advice": ("/countries/documents/index.rss", ".rss"),
    "germany-advice": ("/opendata/travelwarning", ".json"),
    "us-advice": ("/_res/rss/TAsTWs.xml", ".xml"),
    "gdacs": ("/gdacsapi/api/events/geteventlist/MAP", ".geojson"),
    "usgs": ("/earthquakes/feed/v1.0/summary/4.5_week.geojson", ".geojson"),
    "who-don": (
        "/api/news/diseaseoutbreaknews?%24orderby=PublicationDate%20desc&%24top=100",
        ".json",
    ),
}
TIMEOUT = 60
#: The most a single response may hold (``RISKATLAS_FETCH_MAX_MB``, default 512 MB): a feed
#: that suddenly sends more is refused rather than filling memory.
DEFAULT_MAX_MB = 512


def max_bytes() -> int:
    value = os.environ.get("RISKATLAS_FETCH_MAX_MB", str(DEFAULT_MAX_MB)).strip()
    if not value.isdigit() or int(value) < 1:
        raise FetchError(f"RISKATLAS_FETCH_MAX_MB: {value!r} is not a whole number of MB from 1")
    return int(value) * 1024 * 1024


class FetchError(Exception):
    """A live feed could not be read; the message says which address and why."""


def base_url(source: str) -> str:
    variable = "RISKATLAS_" + source.upper().replace("-", "_") + "_URL"
    return os.environ.get(variable, DEFAULT_URLS[source]).rstrip("/")


def _get(url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> bytes:
    request = urllib.request.Request(
        url, data=data, headers={"User-Agent": "riskatlas", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            limit = max_bytes()
            body = bytes(response.read(limit + 1))
    except urllib.error.HTTPError as exc:
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise FetchError(f"{url}: {exc}") from exc
    if len(body) > limit:
        raise FetchError(
            f"{url}: the response is larger than {limit // (1024 * 1024)} MB"
            " (RISKATLAS_FETCH_MAX_MB)"
        )
    return body


def _json(url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> Any:
    body = _get(url, headers, data)
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        raise FetchError(f"{url}: not JSON ({exc})") from exc


def acled_token() -> str:
    """An ACLED OAuth access token: ACLED_ACCESS_TOKEN, or the password grant."""
    if os.environ.get("ACLED_ACCESS_TOKEN"):
        return os.environ["ACLED_ACCESS_TOKEN"]
    user, password = os.environ.get("ACLED_USERNAME"), os.environ.get("ACLED_PASSWORD")
    if not user or not password:
        raise FetchError("ACLED needs ACLED_USERNAME and ACLED_PASSWORD (or ACLED_ACCESS_TOKEN)")
    form = urllib.parse.urlencode(
        {"username": user, "password": password, "grant_type": "password", "client_id": "acled"}
    ).encode()
    answer = _json(
        base_url("acled") + "/oauth/token",
        {"Content-Type": "application/x-www-form-urlencoded"},
        form,
    )
    if "access_token" not in answer:
        raise FetchError(f"ACLED login refused: {answer.get('error_description') or answer}")
    return str(answer["access_token"])


def fetch_acled(target: Path, country: str | None, since: str | None) -> Path:
    """ACLED API pages (5,000 rows each) written as the standard CSV export."""
    token = acled_token()
    params: dict[str, str] = {"_format": "json", "limit": "5000"}
    if country:
        params["country"] = country
    if since:
        params["event_date"] = f"{since}|2100-01-01"
        params["event_date_where"] = "BETWEEN"
    rows: list[dict[str, Any]] = []
    page = 1
    while True:
        query = urllib.parse.urlencode({**params, "page": str(page)})
        answer = _json(
            f"{base_url('acled')}/api/acled/read?{query}", {"Authorization": f"Bearer {token}"}
        )
        if answer.get("status") not in (200, "200", None):
            raise FetchError(f"ACLED: {answer.get('messages') or answer.get('error') or answer}")
        batch = answer.get("data") or []
        rows.extend(batch)
        if len(batch) < int(params["limit"]):
            break
        page += 1
    return _write_csv(target.with_suffix(".csv"), rows)


def fetch_ucdp(target: Path, country: str | None, since: str | None, version: str = "25.1") -> Path:
    """UCDP GED API pages (``Result`` rows, ``NextPageUrl``) written as the GED CSV."""
    params = {"pagesize": "1000"}
    if since:
        params["StartDate"] = since if "-" in since else f"{since}-01-01"
    headers = (
        {"x-ucdp-access-token": os.environ["UCDP_TOKEN"]} if os.environ.get("UCDP_TOKEN") else {}
    )
    url: str | None = (
        f"{base_url('ucdp-ged')}/api/gedevents/{version}?{urllib.parse.urlencode(params)}"
    )
    rows: list[dict[str, Any]] = []
    while url:
        answer = _json(url, headers)
        rows.extend(answer.get("Result") or [])
        url = answer.get("NextPageUrl") or None
        if url and not url.startswith(base_url("ucdp-ged")):
            # Follow the API's own paging, but only on the configured host.
            url = (
                base_url("ucdp-ged")
                + urllib.parse.urlsplit(url)._replace(scheme="", netloc="").geturl()
            )
    if country:
        iso3 = country_iso3(country)
        rows = [r for r in rows if country_iso3(str(r.get("country", "")).split(" (")[0]) == iso3]
    return _write_csv(target.with_suffix(".csv"), rows)


def fetch_world_bank(target: Path, indicator: str | None) -> Path:
    """All countries' values of a World Bank indicator (default WGI political stability)."""
    code = indicator or "PV.EST"
    rows: list[dict[str, Any]] = []
    page, pages = 1, 1
    meta: dict[str, Any] = {}
    while page <= pages:
        answer = _json(
            f"{base_url('worldbank')}/v2/country/all/indicator/{urllib.parse.quote(code)}"
            f"?format=json&per_page=20000&page={page}"
        )
        if not isinstance(answer, list) or len(answer) < 2:
            message = answer[0].get("message") if isinstance(answer, list) and answer else answer
            raise FetchError(f"World Bank {code}: {message}")
        meta = answer[0]
        pages = int(meta.get("pages") or 1)
        rows.extend(answer[1] or [])
        page += 1
    target = target.with_suffix(".json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps([meta, rows]), encoding="utf-8")
    return target


def fetch_who(target: Path, indicator: str | None) -> Path:
    """A WHO GHO OData indicator (default RS_198, road traffic deaths per 100,000)."""
    code = indicator or "RS_198"
    body = _get(f"{base_url('who-road')}/api/{urllib.parse.quote(code)}")
    target = target.with_suffix(".json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    return target


def fetch_gdelt(target: Path) -> Path:
    """The latest GDELT 2.0 events export named in ``lastupdate.txt``."""
    listing = _get(f"{base_url('gdelt')}/gdeltv2/lastupdate.txt").decode("utf-8")
    urls = [
        line.split()[-1]
        for line in listing.splitlines()
        if line.strip().endswith(".export.CSV.zip")
    ]
    if not urls:
        raise FetchError("GDELT lastupdate.txt names no events export")
    path = urllib.parse.urlsplit(urls[0]).path
    target = target.with_name(Path(path).name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(_get(base_url("gdelt") + path))
    return target


def fetch_us_advisories(target: Path) -> Path:
    """The State Department's travel advisories, written as the summary CSV."""
    answer = _json(f"{base_url('advisories-us')}/api/TravelAdvisories")
    rows = []
    for item in answer:
        title = str(item.get("Title", ""))
        found = re.match(r"(.+?)\s+-\s+(Level\s*([1-4]).*)$", title)
        if not found:
            continue
        rows.append(
            {
                "destination": found.group(1).strip(),
                "risk_level": found.group(2).strip(),
                "last_updated_advisory": item.get("Updated") or item.get("Published") or "",
                "advisory_details_url": item.get("Link", ""),
                "risk_level_number": found.group(3),
            }
        )
    return _write_csv(target.with_suffix(".csv"), rows)


class _HtmlToMarkdown(HTMLParser):
    """Just enough of HTML to Markdown for advice pages: headings, list items, paragraphs."""

    PREFIX = {"h1": "# ", "h2": "## ", "h3": "### ", "h4": "#### ", "li": "* "}

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.current: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.PREFIX or tag in {"p", "div", "br", "ul", "ol"}:
            self._flush()
            self.current.append(self.PREFIX.get(tag, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.PREFIX or tag in {"p", "div", "ul", "ol"}:
            self._flush()

    def handle_data(self, data: str) -> None:
        self.current.append(data)

    def markdown(self) -> str:
        self._flush()
        return "\n\n".join(self.lines) + "\n"


def html_to_markdown(html: str) -> str:
    parser = _HtmlToMarkdown()
    parser.feed(html)
    parser.close()
    return parser.markdown()


def fetch_uk_advice(target: Path, country: str | None) -> Path:
    """UK FCDO advice for one country from the GOV.UK content API, written as Markdown pages
    in ``<folder>/unitedkingdom/<Country>/<part title>.md`` (the layout `advisories` reads)."""
    if not country:
        raise FetchError("UK advice: give --country (a name such as Peru)")
    record = pycountry.countries.get(alpha_3=country_iso3(country) or "")
    name = str(getattr(record, "common_name", None) or record.name) if record else country
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    answer = _json(f"{base_url('advisories')}/api/content/foreign-travel-advice/{slug}")
    details = answer.get("details") or {}
    parts = details.get("parts") or []
    if not parts:
        raise FetchError(f"UK advice for {name}: the answer has no parts")
    folder = target if target.suffix == "" else target.parent / target.stem
    pages = folder / "unitedkingdom" / name
    pages.mkdir(parents=True, exist_ok=True)
    for part in parts:
        title = re.sub(r"[/\\:]", "-", str(part.get("title") or part.get("slug") or "page"))
        (pages / f"{title}.md").write_text(
            f"# {title}\n\n" + html_to_markdown(str(part.get("body") or "")), encoding="utf-8"
        )
    return folder


def fetch_feed(source: str, target: Path, country: str | None = None) -> Path:
    """A feed of advice or hazards (``FEED_PATHS``), saved as its publisher sent it; with
    ``country``, Canada's file for that country (its regional advisories too)."""
    path, suffix = FEED_PATHS[source]
    if country:
        alpha2 = country_alpha2(country_iso3(country) or "")
        if not alpha2:
            raise FetchError(f"--country {country!r}: not a country")
        if source != "canada-advice":
            raise FetchError(f"{source}: --country: only canada-advice is read per country")
        path = f"/travel-voyage/cta-cap-{alpha2.lower()}.json"
    body = _get(base_url(source) + path, {"Accept": "application/json, application/xml"})
    target = target.with_suffix(suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    return target


def fetch_source(
    source: str,
    target: Path,
    *,
    country: str | None = None,
    since: str | None = None,
    indicator: str | None = None,
) -> Path:
    """Download ``source`` into (a file next to) ``target``; returns the file to import."""
    target = Path(target)
    if source == "acled":
        return fetch_acled(target, country, since)
    if source == "ucdp-ged":
        return fetch_ucdp(target, country, since)
    if source == "worldbank":
        return fetch_world_bank(target, indicator)
    if source == "who-road":
        return fetch_who(target, indicator)
    if source == "gdelt":
        return fetch_gdelt(target)
    if source == "advisories-us":
        return fetch_us_advisories(target)
    if source == "advisories":
        return fetch_uk_advice(target, country)
    if source in FEED_PATHS:
        return fetch_feed(source, target, country)
    raise FetchError(f"{source}: no live feed; known: {', '.join(DEFAULT_URLS)}")


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    if not rows:
        raise FetchError(f"{path.name}: the feed returned no rows")
    path.parent.mkdir(parents=True, exist_ok=True)
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


__all__ = ["FetchError", "country_alpha2", "fetch_source"]
