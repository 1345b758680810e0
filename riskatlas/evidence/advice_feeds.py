"""Official advice feeds: Canada (JSON index and a country's own file), Germany (the
Auswärtiges Amt's open data), the US State Department's RSS and Smartraveller's RSS, each read
to the common 1–4 scale per country and, where the feed names them, per area."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from riskatlas.evidence.advice import LEVEL_NAMES, CountryAdvice
from riskatlas.evidence.advice_reading import AreaAdvice
from riskatlas.evidence.areas import country_iso3
from riskatlas.evidence.feed_reading import (
    FeedReading,
    FeedShapeError,
    advice_from_text,
    field_of,
    government_of,
    iso_date,
    item_text,
    json_body,
    rss_date,
    rss_items,
)


def read_canada(body: bytes) -> FeedReading:
    """Global Affairs Canada's index: ``{"data": {"PE": {"country-iso": "PE",
    "advisory-state": 1, "date-published": {"date": "2026-11-20 10:15:02"},
    "has-regional-advisory": 1, "eng": {"name": "Peru", "url-slug": "peru",
    "advisory-text": "Exercise a high degree of caution"}}}}``. States 0–3 are Canada's four
    levels (take normal security precautions … avoid all travel), 1–4 here."""
    source = "canada-advice"
    answer = json_body(source, body)
    data = field_of(source, "response", answer, "data", dict)
    reading = FeedReading(source)
    if "country-iso" in data:  # one country's file (cta-cap-pe.json), with its regions
        data = {str(data["country-iso"]): data}
    for code, item in data.items():
        where = f"data.{code}"
        iso = field_of(source, where, item, "country-iso", str)
        state = field_of(source, where, item, "advisory-state", int)
        if state not in (0, 1, 2, 3):
            raise FeedShapeError(f"{source}: {where}.advisory-state: expected 0–3, got {state!r}")
        published = field_of(source, where, item, "date-published", dict)
        when = field_of(source, f"{where}.date-published", published, "date", str)
        english = field_of(source, where, item, "eng", dict)
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
                updated=iso_date(source, f"{where}.date-published.date", when[:10]).isoformat(),
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

    phrases = government_of("canada")["phrases"]
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
    answer = json_body(source, body)
    response = field_of(source, "response", answer, "response", dict)
    ids = field_of(source, "response", response, "contentList", list)
    reading = FeedReading(source)
    for content_id in ids:
        where = f"response.{content_id}"
        item = response.get(str(content_id))
        if item is None:
            raise FeedShapeError(f"{source}: {where}: listed in contentList but missing")
        iso = field_of(source, where, item, "iso3CountryCode", str)
        modified = field_of(source, where, item, "lastModified", int)
        flags = {name: field_of(source, where, item, name, bool) for name, _, _ in GERMAN_FLAGS}
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
    for n, item in enumerate(rss_items(source, body)):
        where = f"item[{n}]"
        title = item_text(source, where, item, "title")
        found = US_TITLE.match(title)
        if not found:
            if "level" in title.lower():
                raise FeedShapeError(
                    f"{source}: {where}.title: no 'Country - Level N: …' in {title!r}"
                )
            reading.skip("item without a level (not a travel advisory)")
            continue
        when = rss_date(source, where, item_text(source, where, item, "pubDate"))
        name = found.group("name").strip()
        iso3 = country_iso3(name)
        if iso3 is None:
            reading.rejected.append(
                (f"{source}#{name}", f"destination not recognised: {name}", title)
            )
            continue
        description = (item.findtext("description") or "").strip()
        _level, _text_read, areas = advice_from_text("unitedstates", iso3, name, description)
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
    phrases = government_of("australia")["phrases"]
    for n, item in enumerate(rss_items(source, body)):
        where = f"item[{n}]"
        name = item_text(source, where, item, "title")
        when = rss_date(source, where, item_text(source, where, item, "pubDate"))
        description = item_text(source, where, item, "description")
        iso3 = country_iso3(name)
        if iso3 is None:
            reading.rejected.append(
                (f"{source}#{name}", f"destination not recognised: {name}", name)
            )
            continue
        level, sentence, areas = advice_from_text("australia", iso3, name, description)
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
