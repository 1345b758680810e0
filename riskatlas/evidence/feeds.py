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

from collections.abc import Callable

from riskatlas.evidence.advice_feeds import read_australia, read_canada, read_germany, read_us_rss
from riskatlas.evidence.feed_reading import (
    ADVICE_FEEDS,
    ALERTS,
    HAZARD_FEEDS,
    FeedReading,
    FeedShapeError,
    Hazard,
)
from riskatlas.evidence.hazard_feeds import read_gdacs, read_usgs, read_who_don

__all__ = [
    "ADVICE_FEEDS",
    "ALERTS",
    "FEED_SOURCES",
    "HAZARD_FEEDS",
    "FeedReading",
    "FeedShapeError",
    "Hazard",
    "read_feed",
]


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
    """Read one response of ``source``; FeedShapeError when it is not in the known shape.
    A link that is not http(s) (``javascript:``) is dropped: the pages show links as links."""
    if source not in READERS:
        raise ValueError(f"{source}: not a feed; known: {', '.join(READERS)}")
    reading = READERS[source](body)
    for advice in reading.advice:
        advice.url = web_link(advice.url)
    for hazard in reading.hazards:
        hazard.url = web_link(hazard.url)
    return reading


def web_link(url: str | None) -> str | None:
    """``url`` if it is an http(s) address, else None."""
    return url if url and url.strip().lower().startswith(("https://", "http://")) else None
