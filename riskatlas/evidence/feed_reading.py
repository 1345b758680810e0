"""What every feed reader shares: the reading it gives (advice, hazards, what could not be
placed), the error for a response of another shape, and the helpers that read JSON, RSS and
dates and name the field at fault (``feeds.py`` lists the readers)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from riskatlas.evidence._data import load_yaml
from riskatlas.evidence.advice import CountryAdvice
from riskatlas.evidence.advice_reading import AreaAdvice, read_pages


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


def json_body(source: str, body: bytes) -> Any:
    try:
        return json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise FeedShapeError(f"{source}: the response is not JSON ({exc})") from exc


def xml_body(source: str, body: bytes) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(body)  # expat ≥ 2.4 refuses entity expansion bombs
    except ElementTree.ParseError as exc:
        raise FeedShapeError(f"{source}: the response is not XML ({exc})") from exc


def field_of(source: str, where: str, record: Any, name: str, kind: type | tuple[type, ...]) -> Any:
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


def rss_items(source: str, body: bytes) -> list[ElementTree.Element]:
    root = xml_body(source, body)
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FeedShapeError(
            f"{source}: expected an RSS document (<rss><channel>), got <{root.tag}>"
        )
    return channel.findall("item")


def item_text(source: str, where: str, item: ElementTree.Element, tag: str) -> str:
    element = item.find(tag)
    if element is None or not (element.text or "").strip():
        raise FeedShapeError(f"{source}: {where}.{tag}: missing")
    return (element.text or "").strip()


def rss_date(source: str, where: str, value: str) -> date:
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError) as exc:
        raise FeedShapeError(f"{source}: {where}.pubDate: not a date ({value!r})") from exc


def iso_date(source: str, where: str, value: str) -> date:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise FeedShapeError(f"{source}: {where}: not a date ({value!r})") from exc


def government_of(government: str) -> dict[str, Any]:
    config: dict[str, Any] = load_yaml("advice_levels.yaml")["governments"][government]
    return config


def advice_from_text(
    government: str, iso3: str, country: str, text: str
) -> tuple[int | None, str, list[AreaAdvice]]:
    """National level, its sentence and the areas named, read from a feed item's words with
    the government's level phrases (``advice_reading``, as for the advice pages)."""
    from riskatlas.evidence.fetch import html_to_markdown

    markdown = html_to_markdown(text) if "<" in text else text
    # One statement per line: the reader takes a sentence's level phrase and its target.
    lines = re.sub(r"(?<=[.!?])\s+(?=[A-Z*])", "\n", markdown)
    reading = read_pages(lines, government_of(government)["phrases"], iso3, country)
    return reading.level, " ".join(reading.text.split()), reading.areas
