"""Live feeds of official advice and hazards, read from the responses their publishers serve.

Each reader takes the bytes of one response, in the publisher's own format, and gives a
``FeedReading``: national (and, where the feed names them, regional) advice per country on
the common 1–4 scale, or hazards (earthquakes, cyclones, floods, outbreaks) with their date,
alert level and ISO 3166 areas; plus the items that could not be placed, with the reason.
A response whose shape is not the one the reader knows raises ``FeedShapeError`` naming the
source and the field ("gdacs: features[2].properties.alertlevel: missing"), so a publisher's
change of format stops the import instead of storing nothing or nonsense.

- canada-advice: Global Affairs Canada, ``travel-voyage/index-alpha-eng.json`` (``data`` by
  ISO code, ``advisory-state`` 0–3);
- australia-advice: Smartraveller RSS (one item per destination; the level from its words);
- germany-advice: Auswärtiges Amt open data ``travelwarning`` JSON (``warning``,
  ``partialWarning``, ``situationWarning``, ``situationPartWarning``);
- us-advice: US State Department RSS ``TAsTWs.xml`` ("Peru - Level 2: Exercise Increased
  Caution");
- gdacs: GDACS events GeoJSON (``eventtype`` EQ/TC/FL/VO/DR/WF/TS, ``alertlevel``
  Green/Orange/Red);
- usgs: USGS earthquake summary GeoJSON (``mag``, ``place``, ``time`` in ms, PAGER ``alert``);
- who-don: WHO Disease Outbreak News JSON (OData ``value``: ``DonId``, ``Title``,
  ``PublicationDate``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import pycountry

from riskatlas.evidence._data import load_yaml
from riskatlas.evidence.advice import LEVEL_NAMES, CountryAdvice
from riskatlas.evidence.advice_reading import AreaAdvice, read_pages
from riskatlas.evidence.areas import area_from_name, areas_from_coordinates, country_iso3


class FeedShapeError(ValueError):
    """A feed's response is not in the shape its reader knows; the message names the field."""


@dataclass
class Hazard:
    """One natural hazard or outbreak as a feed reports it."""

    source: str
    key: str  # the publisher's own id (GDACS type and id, USGS id, WHO DonId)
    kind: str  # earthquake, tropical cyclone, flood, volcano, drought, wildfire, tsunami, outbreak
    alert: str | None  # green / yellow / orange / red (GDACS, USGS PAGER); None for outbreaks
    event_date: date
    title: str
    country_iso3: str | None = None
    area_code: str | None = None  # ISO 3166-2 where the feed's place or coordinates give it
    countries: list[str] = field(default_factory=list)  # every country the feed names
    latitude: float | None = None
    longitude: float | None = None
    magnitude: float | None = None
    url: str | None = None
    updated: str | None = None


@dataclass
class FeedReading:
    source: str
    advice: list[CountryAdvice] = field(default_factory=list)
    hazards: list[Hazard] = field(default_factory=list)
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # key, reason, raw
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


ADVICE_FEEDS = {
    "canada-advice": "canada",
    "australia-advice": "australia",
    "germany-advice": "germany",
    "us-advice": "unitedstates",
}
HAZARD_FEEDS = ("gdacs", "usgs", "who-don")
ALERTS = ("green", "yellow", "orange", "red")
GDACS_KINDS = {
    "EQ": "earthquake",
    "TC": "tropical cyclone",
    "FL": "flood",
    "VO": "volcano",
    "DR": "drought",
    "WF": "wildfire",
    "TS": "tsunami",
}


# -- helpers ---------------------------------------------------------------------------------


def _json(source: str, body: bytes) -> Any:
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FeedShapeError(f"{source}: the response is not JSON ({exc})") from exc


def _xml(source: str, body: bytes) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(body)  # expat ≥ 2.4 refuses entity expansion bombs
    except ElementTree.ParseError as exc:
        raise FeedShapeError(f"{source}: the response is not XML ({exc})") from exc


def _field(source: str, where: str, record: Any, name: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(record, dict):
        raise FeedShapeError(f"{source}: {where}: expected an object, got {type(record).__name__}")
    if name not in record or record[name] is None:
        raise FeedShapeError(f"{source}: {where}.{name}: missing")
    value = record[name]
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
        raise FeedShapeError(
            f"{source}: {where}.{name}: expected {_kind_name(kind)}, got {value!r:.60}"
        )
    return value


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "an object",
    }
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in _kinds(kind)))


def _rss_items(source: str, body: bytes) -> list[ElementTree.Element]:
    root = _xml(source, body)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FeedShapeError(
            f"{source}: expected an RSS document (<rss><channel>), got <{root.tag}>"
        )
    return channel.findall("item")


def _text(source: str, where: str, item: ElementTree.Element, tag: str) -> str:
    element = item.find(tag)
    if element is None or not (element.text or "").strip():
        raise FeedShapeError(f"{source}: {where}.{tag}: missing")
    return (element.text or "").strip()


def _rss_date(source: str, where: str, value: str) -> date:
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError) as exc:
        raise FeedShapeError(f"{source}: {where}.pubDate: not a date ({value!r})") from exc


def _iso_date(source: str, where: str, value: str) -> date:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise FeedShapeError(f"{source}: {where}: not a date ({value!r})") from exc


def _government(government: str) -> dict[str, Any]:
    config: dict[str, Any] = load_yaml("advice_levels.yaml")["governments"][government]
    return config


def _advice_from_text(
    government: str, iso3: str, country: str, text: str
) -> tuple[int | None, str, list[AreaAdvice]]:
    """National level, its sentence and the areas named, read from a feed item's words with
    the government's level phrases (``advice_reading``, as for the advice pages)."""
    from riskatlas.evidence.fetch import html_to_markdown

    markdown = html_to_markdown(text) if "<" in text else text
    # One statement per line: the reader takes a sentence's level phrase and its target.
    lines = re.sub(r"(?<=[.!?])\s+(?=[A-Z*])", "\n", markdown)
    reading = read_pages(lines, _government(government)["phrases"], iso3, country)
    return reading.level, " ".join(reading.text.split()), reading.areas


# -- official advice -------------------------------------------------------------------------


def read_canada(body: bytes) -> FeedReading:
    """Global Affairs Canada's index: ``{"data": {"PE": {"country-iso": "PE",
    "advisory-state": 1, "date-published": {"date": "2026-11-20 10:15:02"},
    "has-regional-advisory": 1, "eng": {"name": "Peru", "url-slug": "peru",
    "advisory-text": "Exercise a high degree of caution"}}}}``. States 0–3 are Canada's four
    levels (take normal security precautions … avoid all travel), 1–4 here."""
    source = "canada-advice"
    answer = _json(source, body)
    data = _field(source, "response", answer, "data", dict)
    reading = FeedReading(source)
    if "country-iso" in data:  # one country's file (cta-cap-pe.json), with its regions
        data = {str(data["country-iso"]): data}
    for code, item in data.items():
        where = f"data.{code}"
        iso = _field(source, where, item, "country-iso", str)
        state = _field(source, where, item, "advisory-state", int)
        if state not in (0, 1, 2, 3):
            raise FeedShapeError(f"{source}: {where}.advisory-state: expected 0–3, got {state!r}")
        published = _field(source, where, item, "date-published", dict)
        when = _field(source, f"{where}.date-published", published, "date", str)
        english = _field(source, where, item, "eng", dict)
        name = str(english.get("name") or item.get("country-eng") or iso)
        iso3 = country_iso3(iso)
        if iso3 is None:
            reading.rejected.append((f"{source}#{code}", f"country not recognised: {iso}", name))
            continue
        regional = bool(item.get("has-regional-advisory"))
        words = re.sub(
            r"\s*\(with regional advisor(?:y|ies)\)\s*$",
            "",
            str(english.get("advisory-text") or LEVEL_NAMES[state + 1]),
        )
        slug = english.get("url-slug")
        areas = _canada_regions(iso3, name, english.get("advisories"), f"{where}.eng.advisories")
        reading.advice.append(
            CountryAdvice(
                "canada",
                iso3,
                state + 1,
                words + (" (regional advisories in effect)" if regional else ""),
                updated=_iso_date(source, f"{where}.date-published.date", when[:10]).isoformat(),
                url=f"https://travel.gc.ca/destinations/{slug}" if slug else None,
                summary=words,
                areas=areas,
            )
        )
    return reading


def _canada_regions(iso3: str, country: str, html: Any, where: str) -> list[AreaAdvice]:
    """The regional advisories of a country's file: ``eng.advisories`` holds one block per
    advisory, headed "Region - Avoid non-essential travel" (the first is the country's own).
    A region that is an ISO 3166-2 subdivision gets its code; any other is a named place."""
    if html is None:
        return []
    if not isinstance(html, str):
        raise FeedShapeError(f"canada-advice: {where}: expected text (HTML), got {html!r:.60}")
    from riskatlas.evidence.advice_reading import _Matcher

    phrases = _government("canada")["phrases"]
    matcher = _Matcher(iso3, country)
    areas: list[AreaAdvice] = []
    for heading in re.findall(r"<h3[^>]*>(.*?)</h3>", html, re.IGNORECASE | re.DOTALL):
        text = " ".join(re.sub(r"<[^>]+>", " ", heading).split())
        region, dash, advice = text.rpartition(" - ")
        level = next((n for p, n in phrases.items() if p in advice.lower()), None)
        if not dash or level is None:
            raise FeedShapeError(
                f"canada-advice: {where}: heading {text!r} is not 'Region - level of advice'"
            )
        if matcher.is_country(region):
            continue
        codes = matcher.codes(region)
        areas += [AreaAdvice(region, level, code, text=text) for code in codes] or [
            AreaAdvice(region, level, None, text=text, place=True)
        ]
    return areas


GERMAN_FLAGS: tuple[tuple[str, int | None, str], ...] = (
    # (field, national level or None for parts of the country, words)
    ("warning", 4, "travel warning (Reisewarnung)"),
    ("situationWarning", 3, "travel advised against (von Reisen wird abgeraten)"),
    ("partialWarning", None, "travel warning for parts of the country (Teilreisewarnung)"),
    ("situationPartWarning", None, "travel to parts of the country advised against"),
)


def read_germany(body: bytes) -> FeedReading:
    """The Federal Foreign Office's open data: ``{"response": {"contentList": ["199124"],
    "199124": {"lastModified": 1764581400000, "countryCode": "PE", "iso3CountryCode": "PER",
    "countryName": "Peru", "title": "Peru: Reise- und Sicherheitshinweise", "warning": false,
    "partialWarning": true, "situationWarning": false, "situationPartWarning": false}}}``.

    A travel warning for the whole country is level 4 and travel advised against level 3;
    a warning for parts gives no whole-country level (as the UK's advice, the parts are in the
    pages); no warning at all is level 1."""
    source = "germany-advice"
    answer = _json(source, body)
    response = _field(source, "response", answer, "response", dict)
    ids = _field(source, "response", response, "contentList", list)
    reading = FeedReading(source)
    for content_id in ids:
        where = f"response.{content_id}"
        item = response.get(str(content_id))
        if item is None:
            raise FeedShapeError(f"{source}: {where}: listed in contentList but missing")
        iso = _field(source, where, item, "iso3CountryCode", str)
        modified = _field(source, where, item, "lastModified", int)
        flags = {name: _field(source, where, item, name, bool) for name, _, _ in GERMAN_FLAGS}
        name = str(item.get("countryName") or iso)
        iso3 = country_iso3(iso)
        if iso3 is None:
            reading.rejected.append(
                (f"{source}#{content_id}", f"country not recognised: {iso}", name)
            )
            continue
        level: int | None = 1
        words = "no travel warning"
        for flag, flag_level, flag_words in GERMAN_FLAGS:
            if flags[flag]:
                level, words = flag_level, flag_words
                break
        seconds = modified / 1000 if modified > 10**11 else modified  # ms or s since 1970
        updated = datetime.fromtimestamp(seconds, UTC).date().isoformat()
        reading.advice.append(
            CountryAdvice(
                "germany",
                iso3,
                level,
                words,
                updated=updated,
                url=f"https://www.auswaertiges-amt.de/de/service/laender/{content_id}",
                summary=str(item.get("title") or ""),
            )
        )
    return reading


US_TITLE = re.compile(r"^(?P<name>.+?)\s+[-–]\s+Level\s*(?P<level>[1-4])\s*:\s*(?P<words>.+)$")


def read_us_rss(body: bytes) -> FeedReading:
    """The State Department's RSS: ``<item><title>Peru - Level 2: Exercise Increased
    Caution</title><link>…</link><pubDate>Tue, 17 Nov 2026 00:00:00 -0500</pubDate>
    <description>(the advisory's text, HTML)</description></item>``. The national level is
    the title's; the areas at other levels are read from the description."""
    source = "us-advice"
    reading = FeedReading(source)
    for n, item in enumerate(_rss_items(source, body)):
        where = f"item[{n}]"
        title = _text(source, where, item, "title")
        found = US_TITLE.match(title)
        if not found:
            if "level" in title.lower():
                raise FeedShapeError(
                    f"{source}: {where}.title: no 'Country - Level N: …' in {title!r}"
                )
            reading.skip("item without a level (not a travel advisory)")
            continue
        when = _rss_date(source, where, _text(source, where, item, "pubDate"))
        name = found.group("name").strip()
        iso3 = country_iso3(name)
        if iso3 is None:
            reading.rejected.append(
                (f"{source}#{name}", f"destination not recognised: {name}", title)
            )
            continue
        description = (item.findtext("description") or "").strip()
        _level, _text_read, areas = _advice_from_text("unitedstates", iso3, name, description)
        reading.advice.append(
            CountryAdvice(
                "unitedstates",
                iso3,
                int(found.group("level")),
                f"Level {found.group('level')}: {found.group('words').strip()}",
                updated=when.isoformat(),
                url=(item.findtext("link") or "").strip() or None,
                summary=title,
                areas=[a for a in areas if a.level != int(found.group("level")) or a.area_code],
            )
        )
    return reading


def read_australia(body: bytes) -> FeedReading:
    """Smartraveller's RSS: one ``<item>`` per destination whose advice changed, ``<title>``
    the destination, ``<description>`` the advice ("We continue to advise exercise a high
    degree of caution in Peru overall. Do not travel to the VRAEM…"), ``<pubDate>``. The
    national level is the one said "overall" (else the only level named); areas named at
    other levels are read as in the advice pages. An item naming no level is skipped, said."""
    source = "australia-advice"
    reading = FeedReading(source)
    phrases = _government("australia")["phrases"]
    for n, item in enumerate(_rss_items(source, body)):
        where = f"item[{n}]"
        name = _text(source, where, item, "title")
        when = _rss_date(source, where, _text(source, where, item, "pubDate"))
        description = _text(source, where, item, "description")
        iso3 = country_iso3(name)
        if iso3 is None:
            reading.rejected.append(
                (f"{source}#{name}", f"destination not recognised: {name}", name)
            )
            continue
        level, sentence, areas = _advice_from_text("australia", iso3, name, description)
        plain = " ".join(re.sub(r"<[^>]+>", " ", description).split())
        overall = re.search(
            r"(" + "|".join(map(re.escape, phrases)) + r")[^.]*\boverall\b", plain, re.IGNORECASE
        )
        named = {
            phrases[m.group(1).lower()]
            for m in re.finditer(
                "(" + "|".join(map(re.escape, phrases)) + ")", plain, re.IGNORECASE
            )
        }
        if overall:
            level = phrases[overall.group(1).lower()]
        elif level is None and len(named) == 1:  # "… continue to advise exercise normal …"
            level = named.pop()
        if level is None:
            reading.skip("destination whose item names no advice level")
            continue
        reading.advice.append(
            CountryAdvice(
                "australia",
                iso3,
                level,
                next(p for p, n in phrases.items() if n == level).capitalize(),
                updated=when.isoformat(),
                url=(item.findtext("link") or "").strip() or None,
                summary=(sentence or plain)[:400],
                areas=[a for a in areas if a.area_code or a.place],
            )
        )
    return reading


# -- hazards ---------------------------------------------------------------------------------


def _place(hazards: list[Hazard]) -> None:
    """The ISO 3166-2 area of each hazard with coordinates, from the nearest populated place,
    when it lies in the hazard's country (or the hazard has no country yet)."""
    located = [h for h in hazards if h.latitude is not None and h.longitude is not None]
    found = areas_from_coordinates([(h.latitude, h.longitude) for h in located])  # type: ignore[misc]
    for hazard, (iso3, match) in zip(located, found, strict=True):
        if hazard.country_iso3 is None and iso3 and not hazard.countries:
            continue  # at sea or unnamed: the nearest town may be another country's
        if iso3 and iso3 == hazard.country_iso3 and hazard.area_code is None:
            hazard.area_code = match.code


#: A hazard is near a country when its point lies this close to one of the country's
#: populated places (GeoNames, as for areas): an earthquake off the coast concerns the coast.
NEAR_KM = 150


def _add_near(hazards: list[Hazard]) -> None:
    """Add to each located hazard's ``countries`` every country with a populated place
    (GeoNames, as for areas) within ``NEAR_KM`` of it: an offshore earthquake concerns the
    coast, one just across a border the neighbour. The places are looked for around the
    point (the nearest place to it and to points 50, 100 and 150 km away in eight
    directions), so a country whose nearest place lies between those points may be missed."""
    import contextlib
    import io

    import reverse_geocoder

    located = [
        h for h in hazards
        if h.latitude is not None and h.longitude is not None
        and -90 <= h.latitude <= 90 and -180 <= h.longitude <= 180
    ]  # fmt: skip
    if not located:
        return
    probes: list[tuple[float, float]] = []
    for hazard in located:
        probes += _around(float(hazard.latitude or 0), float(hazard.longitude or 0))
    with contextlib.redirect_stdout(io.StringIO()):
        places = reverse_geocoder.search(probes, mode=1)
    per = len(probes) // len(located)
    for n, hazard in enumerate(located):
        for place in places[n * per : (n + 1) * per]:
            here = (float(hazard.latitude or 0), float(hazard.longitude or 0))
            km = _km(here, (float(place["lat"]), float(place["lon"])))
            iso3 = country_iso3(place.get("cc"))
            if iso3 and km <= NEAR_KM and iso3 not in hazard.countries:
                hazard.countries.append(iso3)


def _around(lat: float, lon: float) -> list[tuple[float, float]]:
    """The point, and points 50, 100 and 150 km from it to the N, NE, E … NW."""
    import math

    points = [(lat, lon)]
    for km in (50, 100, 150):
        for bearing in range(0, 360, 45):
            angle = math.radians(bearing)
            d_lat = km / 111.2 * math.cos(angle)
            d_lon = km / (111.2 * max(0.01, math.cos(math.radians(lat)))) * math.sin(angle)
            points.append((max(-90.0, min(90.0, lat + d_lat)), (lon + d_lon + 180) % 360 - 180))
    return points


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    import math

    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


def _point(source: str, where: str, feature: dict[str, Any]) -> tuple[float, float] | None:
    geometry = feature.get("geometry")
    if not geometry:
        return None
    if geometry.get("type") != "Point":
        return None  # GDACS also serves polygons for some events; the point feature is read
    coordinates = _field(source, f"{where}.geometry", geometry, "coordinates", list)
    if len(coordinates) < 2 or not all(isinstance(c, (int, float)) for c in coordinates[:2]):
        raise FeedShapeError(f"{source}: {where}.geometry.coordinates: expected [lon, lat, …]")
    return float(coordinates[1]), float(coordinates[0])


def _features(source: str, body: bytes) -> list[Any]:
    answer = _json(source, body)
    if not isinstance(answer, dict) or answer.get("type") != "FeatureCollection":
        raise FeedShapeError(f"{source}: type: expected a GeoJSON FeatureCollection")
    features: list[Any] = _field(source, "response", answer, "features", list)
    return features


def read_gdacs(body: bytes) -> FeedReading:
    """GDACS events: a FeatureCollection whose features' ``properties`` have ``eventtype``
    (EQ, TC, FL, VO, DR, WF, TS), ``eventid``, ``alertlevel`` (Green, Orange, Red),
    ``fromdate``, ``iso3``, ``affectedcountries`` ([{"iso3": …}]), ``name``, ``url``."""
    source = "gdacs"
    reading = FeedReading(source)
    seen: set[str] = set()
    for n, feature in enumerate(_features(source, body)):
        where = f"features[{n}]"
        props = _field(source, where, feature, "properties", dict)
        where = f"{where}.properties"
        kind_code = _field(source, where, props, "eventtype", str)
        event_id = _field(source, where, props, "eventid", (int, str))
        alert = _field(source, where, props, "alertlevel", str).lower()
        start = _field(source, where, props, "fromdate", str)
        if alert not in ALERTS:
            raise FeedShapeError(
                f"{source}: {where}.alertlevel: expected Green, Orange or Red, got {alert!r}"
            )
        key = f"{kind_code}{event_id}"
        if key in seen:  # the same event as a point and as an outline
            reading.skip("event repeated (its outline beside its point)")
            continue
        seen.add(key)
        countries = [
            c
            for c in (
                country_iso3(a.get("iso3"))
                for a in props.get("affectedcountries") or []
                if isinstance(a, dict)
            )
            if c
        ]
        iso3 = country_iso3(props.get("iso3")) or (countries[0] if countries else None)
        point = _point(source, f"features[{n}]", feature)
        url = props.get("url")
        title = str(props.get("name") or props.get("description") or key)
        reading.hazards.append(
            Hazard(
                source,
                key,
                GDACS_KINDS.get(kind_code, kind_code),
                alert,
                _iso_date(source, f"{where}.fromdate", start),
                title,
                iso3,
                countries=countries or ([iso3] if iso3 else []),
                latitude=point[0] if point else None,
                longitude=point[1] if point else None,
                magnitude=_number((props.get("severitydata") or {}).get("severity")),
                url=str(url.get("report") or url.get("details")) if isinstance(url, dict) else url,
                updated=str(props.get("datemodified") or "") or None,
            )
        )
    _place(reading.hazards)
    _add_near(reading.hazards)
    return reading


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


US_STATES = {str(s.code)[3:]: str(s.code) for s in pycountry.subdivisions.get(country_code="US")}


def read_usgs(body: bytes) -> FeedReading:
    """USGS earthquake summary GeoJSON: features with an ``id`` and ``properties`` ``mag``,
    ``place`` ("12 km SSW of Acarí, Peru"; "… , CA" for a US state), ``time`` (ms since
    1970), ``url``, ``alert`` (PAGER: green, yellow, orange, red, or null) and a Point
    geometry [lon, lat, depth]. The country is the place's last part; a US state code or
    name is the United States and that state."""
    source = "usgs"
    reading = FeedReading(source)
    for n, feature in enumerate(_features(source, body)):
        where = f"features[{n}]"
        key = _field(source, where, feature, "id", str)
        props = _field(source, where, feature, "properties", dict)
        where = f"{where}.properties"
        when = _field(source, where, props, "time", int)
        place = str(props.get("place") or "")
        alert = props.get("alert")
        if alert is not None and (not isinstance(alert, str) or alert.lower() not in ALERTS):
            raise FeedShapeError(
                f"{source}: {where}.alert: expected green, yellow, orange, red or null,"
                f" got {alert!r}"
            )
        point = _point(source, f"features[{n}]", feature)
        tail = place.rsplit(",", 1)[-1].strip() if "," in place else place.strip()
        iso3, area = country_iso3(tail) if len(tail) > 2 else None, None
        if tail in US_STATES:
            iso3, area = "USA", US_STATES[tail]
        elif iso3 is None and area_from_name("USA", tail).method in ("exact", "alias"):
            iso3, area = "USA", area_from_name("USA", tail).code
        reading.hazards.append(
            Hazard(
                source,
                key,
                str(props.get("type") or "earthquake"),
                alert.lower() if isinstance(alert, str) else None,
                datetime.fromtimestamp(when / 1000, UTC).date(),
                str(props.get("title") or place or key),
                iso3,
                area,
                countries=[iso3] if iso3 else [],
                latitude=point[0] if point else None,
                longitude=point[1] if point else None,
                magnitude=_number(props.get("mag")),
                url=props.get("url"),
                updated=str(props.get("updated") or "") or None,
            )
        )
        if iso3 is None:
            reading.skip("earthquake at sea or in a place naming no country (kept, without one)")
    _place(reading.hazards)
    _add_near(reading.hazards)
    return reading


def read_who_don(body: bytes) -> FeedReading:
    """WHO Disease Outbreak News (OData JSON): ``{"value": [{"DonId": "2026-DON590",
    "Title": "Marburg virus disease - Ethiopia", "PublicationDate": "2026-11-21T15:05:00Z",
    "UrlName": "2026-DON590", "Summary": "…"}]}``. The country is the title's last part
    after a dash ("Avian Influenza A(H5N1) – Cambodia"); a title naming no single country
    ("Multi-country outbreak of mpox") is quarantined with that reason."""
    source = "who-don"
    answer = _json(source, body)
    items = _field(source, "response", answer, "value", list)
    reading = FeedReading(source)
    for n, item in enumerate(items):
        where = f"value[{n}]"
        title = _field(source, where, item, "Title", str)
        published = _field(source, where, item, "PublicationDate", str)
        don = item.get("DonId") or item.get("UrlName") or item.get("Id")
        if not don:
            raise FeedShapeError(f"{source}: {where}.DonId: missing")
        parts = re.split(r"\s+[-–—]\s+", title.strip())
        iso3 = country_iso3(parts[-1]) if len(parts) > 1 else None
        if iso3 is None:
            reading.rejected.append(
                (f"{source}#{don}", "no single country named in the title", title)
            )
            continue
        slug = item.get("UrlName") or don
        reading.hazards.append(
            Hazard(
                source,
                str(don),
                "outbreak",
                None,
                _iso_date(source, f"{where}.PublicationDate", published),
                title,
                iso3,
                countries=[iso3],
                url=f"https://www.who.int/emergencies/disease-outbreak-news/item/{slug}",
                updated=str(item.get("LastModified") or "") or None,
            )
        )
    return reading


READERS: dict[str, Callable[[bytes], FeedReading]] = {
    "canada-advice": read_canada,
    "australia-advice": read_australia,
    "germany-advice": read_germany,
    "us-advice": read_us_rss,
    "gdacs": read_gdacs,
    "usgs": read_usgs,
    "who-don": read_who_don,
}
FEED_SOURCES = tuple(READERS)


def read_feed(source: str, body: bytes) -> FeedReading:
    """Read one response of ``source``; FeedShapeError when it is not in the known shape."""
    if source not in READERS:
        raise ValueError(f"{source}: not a feed; known: {', '.join(READERS)}")
    return READERS[source](body)
