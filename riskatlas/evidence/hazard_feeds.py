"""Hazard feeds: GDACS events, USGS earthquakes and WHO Disease Outbreak News, each hazard
with its date, alert level and ISO 3166 areas — from the feed's place or its coordinates, and
every country with a populated place near it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pycountry

from riskatlas.evidence.areas import area_from_name, areas_from_coordinates, country_iso3
from riskatlas.evidence.feed_reading import (
    ALERTS,
    GDACS_KINDS,
    FeedReading,
    FeedShapeError,
    Hazard,
    field_of,
    iso_date,
    json_body,
)

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
    coordinates = field_of(source, f"{where}.geometry", geometry, "coordinates", list)
    if len(coordinates) < 2 or not all(isinstance(c, (int, float)) for c in coordinates[:2]):
        raise FeedShapeError(f"{source}: {where}.geometry.coordinates: expected [lon, lat, …]")
    return float(coordinates[1]), float(coordinates[0])


def _features(source: str, body: bytes) -> list[Any]:
    answer = json_body(source, body)
    if not isinstance(answer, dict) or answer.get("type") != "FeatureCollection":
        raise FeedShapeError(f"{source}: type: expected a GeoJSON FeatureCollection")
    features: list[Any] = field_of(source, "response", answer, "features", list)
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
        props = field_of(source, where, feature, "properties", dict)
        where = f"{where}.properties"
        kind_code = field_of(source, where, props, "eventtype", str)
        event_id = field_of(source, where, props, "eventid", (int, str))
        alert = field_of(source, where, props, "alertlevel", str).lower()
        start = field_of(source, where, props, "fromdate", str)
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
                iso_date(source, f"{where}.fromdate", start),
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
        key = field_of(source, where, feature, "id", str)
        props = field_of(source, where, feature, "properties", dict)
        where = f"{where}.properties"
        when = field_of(source, where, props, "time", int)
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
    answer = json_body(source, body)
    items = field_of(source, "response", answer, "value", list)
    reading = FeedReading(source)
    for n, item in enumerate(items):
        where = f"value[{n}]"
        title = field_of(source, where, item, "Title", str)
        published = field_of(source, where, item, "PublicationDate", str)
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
                iso_date(source, f"{where}.PublicationDate", published),
                title,
                iso3,
                countries=[iso3],
                url=f"https://www.who.int/emergencies/disease-outbreak-news/item/{slug}",
                updated=str(item.get("LastModified") or "") or None,
            )
        )
    return reading
