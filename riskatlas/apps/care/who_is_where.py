"""Who is where on a day: each traveller's stays on that date (from the segments of trips
that are asked for, approved or reopened), and who is within N km of a place or incident;
those whose call for help is open are marked "needs help" (``help_calls``).

Distances are great-circle (haversine) from the segment's coordinates, else from the centre
of its area (the built map boundaries); a place is named by its coordinates ("-13.65,
-73.38"), an ISO 3166-2 code (its centre), a place of the team's assessments (name, spelling
or key), a segment's place name, or an incident's key (its place's coordinates).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from riskatlas.apps.care import help_calls
from riskatlas.apps.care.models import HelpCall
from riskatlas.apps.geography.models import Place
from riskatlas.apps.intelligence.models import Incident
from riskatlas.apps.travel.models import Segment, Trip
from riskatlas.config import boundaries_dir
from riskatlas.geography import is_iso_code, iso_area
from riskatlas.geography.boundaries import area_centroid

EARTH_KM = 6371.0088
#: Trips whose travellers are (or will be) on the road.
ON_THE_MOVE = (
    Trip.Status.REQUESTED, Trip.Status.APPROVED, Trip.Status.APPROVED_WITH_CONDITIONS,
    Trip.Status.REOPENED,
)  # fmt: skip
COORDINATES = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*$")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Stay:
    """A traveller at a segment of a trip on the day asked."""

    day: dt.date
    traveller: Any
    trip: Trip
    segment: Segment
    distance_km: float | None = None
    coordinates: tuple[float, float] | None = None
    located: str = ""  # "coordinates", "area centre" or ""
    needs_help: str = ""  # since when, the latest words and where she is, of open calls
    help_location: str = ""  # the position her phone last shared with an open call
    help_map: str = ""  # and a map of it

    @property
    def needs_help_in_full(self) -> str:
        """``needs_help`` with her phone's location (the CSV's column)."""
        if not self.help_location:
            return self.needs_help
        return f"{self.needs_help} — her phone's location: {self.help_location}"


def _point(segment: Segment) -> tuple[tuple[float, float] | None, str]:
    """Where a stay is: the segment's coordinates, else the centre of its area (from the
    built boundaries), else unknown."""
    if segment.lat is not None and segment.lon is not None:
        return (segment.lat, segment.lon), "coordinates"
    code = segment.area or (segment.place.upper() if is_iso_code(segment.place.upper()) else "")
    centre = area_centroid(boundaries_dir(), code) if code else None
    return (centre, "area centre") if centre else (None, "")


class UnknownPlace(ValueError):
    """A place that no coordinates, assessment place, segment or incident names."""


def resolve(text: str, teams: Any) -> tuple[str, float, float]:
    """(name, lat, lon) of a place or incident named in ``text`` (see the module's note)."""
    text = text.strip()
    match = COORDINATES.match(text)
    if match:
        lat, lon = float(match[1]), float(match[2])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise UnknownPlace(f"{text!r}: latitude must be within ±90 and longitude ±180")
        return text, lat, lon
    area = iso_area(text.upper()) if is_iso_code(text.upper()) else None
    if area is not None:
        centre = area_centroid(boundaries_dir(), area.code)
        if centre is None:
            raise UnknownPlace(f"{text!r}: the map boundaries are not built, so its centre is "
                               "unknown; give a place or coordinates")  # fmt: skip
        return f"{area.name} ({area.code}, centre)", centre[0], centre[1]
    places = Place.objects.filter(
        version__assessment__team__in=teams, lat__isnull=False, lon__isnull=False
    ).order_by("-version__number")
    for place in places.filter(Q(name__iexact=text) | Q(key__iexact=text)):
        return place.name, place.lat, place.lon  # type: ignore[return-value]
    for place in places:
        if any(text.lower() == str(s).lower() for s in place.spellings or []):
            return place.name, place.lat, place.lon  # type: ignore[return-value]
    segment = (
        Segment.objects.filter(trip__team__in=teams, place__iexact=text, lat__isnull=False)
        .exclude(lon__isnull=True)
        .first()
    )
    if segment is not None:
        return segment.place, segment.lat, segment.lon  # type: ignore[return-value]
    incident = (
        Incident.objects.filter(version__assessment__team__in=teams, key__iexact=text)
        .select_related("place")
        .order_by("-version__number")
        .first()
    )
    if incident is not None and incident.place and incident.place.lat is not None:
        return f"incident {incident.key}", incident.place.lat, incident.place.lon  # type: ignore[return-value]
    raise UnknownPlace(
        f"{text!r} is not a place of your assessments or trips, nor an incident key; "
        "give coordinates as 'latitude, longitude'"
    )


def stays(day: dt.date, teams: Any) -> list[Stay]:
    """Every traveller's segments on ``day``, for the trips of ``teams`` under way or planned."""
    segments = (
        Segment.objects.filter(
            trip__team__in=teams, trip__status__in=ON_THE_MOVE, start__lte=day, end__gte=day
        )
        .select_related("trip", "trip__team")
        .prefetch_related("trip__travellers")
        .order_by("trip__title", "order")
    )
    out = []
    helps = _needs_help({s.trip_id for s in segments})
    for segment in segments:
        point, located = _point(segment)
        for traveller in segment.trip.travellers.all():
            help_said = helps.get((segment.trip_id, traveller.pk), ("", "", ""))
            out.append(
                Stay(day, traveller, segment.trip, segment, None, point, located, *help_said)
            )
    return sorted(out, key=lambda x: (x.traveller.name, x.trip.title, x.segment.order))


def _needs_help(trip_ids: set[int]) -> dict[tuple[int, int], tuple[str, str, str]]:
    """(trip, traveller) → ('since Mon 15 Mar 2027 09:10 (America/Lima): "the latest words"
    — where: the latest place she gave', the position her phone last shared, a map link of it)
    for the travellers whose calls for help are open (``help_calls``): what the security
    manager acts on, not only the itinerary's stay."""
    first: dict[tuple[int, int], Any] = {}
    latest: dict[tuple[int, int], dict[str, Any]] = {}
    calls = HelpCall.objects.filter(trip_id__in=trip_ids, handled_at__isnull=True)
    for call in calls.select_related("trip").order_by("at", "pk"):
        key = (call.trip_id, call.traveller_id)
        first.setdefault(key, call)
        said = latest.setdefault(key, {})
        said.update({k: v for k, v in (("words", call.message), ("where", call.where)) if v})
        if call.map_link:
            said["located"] = call
    out = {}
    for key, call in first.items():
        said = latest[key]
        text = f"since {help_calls.local_time(call.trip, call.at)}"
        text += f': "{said["words"]}"' if "words" in said else ""
        text += f" — where: {said['where']}" if "where" in said else ""
        located = said.get("located")
        out[key] = (text, *((located.location, located.map_link) if located else ("", "")))
    return out


def within(day: dt.date, lat: float, lon: float, km: float, teams: Any) -> list[Stay]:
    """The stays on ``day`` within ``km`` of (lat, lon), nearest first (stays without
    coordinates cannot be placed and are left out)."""
    near = []
    for stay in stays(day, teams):
        where = stay.coordinates
        if where is None:
            continue
        distance = haversine_km(lat, lon, *where)
        if distance <= km:
            near.append(
                Stay(day, stay.traveller, stay.trip, stay.segment, round(distance, 1), where,
                     stay.located, stay.needs_help, stay.help_location, stay.help_map)
            )  # fmt: skip
    return sorted(near, key=lambda s: (s.distance_km or 0.0, s.traveller.name))


CSV_COLUMNS = [
    "date", "traveller", "trip", "trip_status", "place", "area", "lat", "lon", "located",
    "distance_km", "transport", "night_travel", "accommodation", "needs_help",
]  # fmt: skip


def as_csv(rows: list[Stay]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        s = r.segment
        writer.writerow([
            r.day.isoformat(), r.traveller.name, r.trip.title, r.trip.status, s.place, s.area,
            *(r.coordinates or ("", "")), r.located,
            "" if r.distance_km is None else r.distance_km, s.transport,
            "yes" if s.night_travel else "no", s.accommodation, r.needs_help_in_full,
        ])  # fmt: skip
    return out.getvalue()


def as_features(rows: list[Stay]) -> dict[str, Any]:
    """GeoJSON points for the map (stays with coordinates)."""
    features = []
    for r in rows:
        if r.coordinates is None:
            continue
        lat, lon = r.coordinates
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"traveller": r.traveller.name, "trip": r.trip.title,
                           "place": r.segment.place, "area": r.segment.area,
                           "distance_km": r.distance_km, "needs_help": r.needs_help},
        })  # fmt: skip
    return {"type": "FeatureCollection", "features": features}
