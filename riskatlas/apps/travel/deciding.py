"""What a trip's decision rests on, gathered from the database, and the check itself.

For each country on the itinerary the latest PUBLISHED version of each of the team's
assessments of it (exported as its normalised document, as the reports do), the team's travel
policy, and the official advice held in the evidence store; then the pure core's
``riskatlas.travel.check.check_trip`` decides.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone

from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion, Status
from riskatlas.apps.travel.interchange import trip_for_check
from riskatlas.apps.travel.models import TravelPolicy, Trip
from riskatlas.geography import country_code_of
from riskatlas.travel.check import TripCheck, check_trip, locate
from riskatlas.travel.exposure import Covering
from riskatlas.travel.policy import default_policy


def current_policy_row(team: Any) -> TravelPolicy | None:
    """The team's policy in force (its latest version), or None: the default applies."""
    return TravelPolicy.objects.filter(team=team).order_by("-version").first()


def policy_of(team: Any) -> dict[str, Any]:
    """The team's travel policy as data (the shipped default when it has none)."""
    row = current_policy_row(team)
    if row is None:
        return default_policy()
    data: dict[str, Any] = yaml.safe_load(row.text)
    return data


def trip_countries(trip_data: dict[str, Any]) -> list[str]:
    """The countries (ISO alpha-2) the itinerary stays in or crosses, in order. Segments
    given by coordinates alone get their area first (the core's ``locate``)."""
    if any("area" not in s for s in trip_data["segments"]):
        trip_data = copy.deepcopy(trip_data)
        locate(trip_data, {})
    codes: list[str] = []
    for segment in trip_data["segments"]:
        for code in [segment.get("area") or segment["place"], *segment.get("via", [])]:
            country = country_code_of(code)
            if country and country not in codes:
                codes.append(country)
    return codes


def published_coverings(team: Any, countries: list[str]) -> list[Covering]:
    """The newest published version of each of the team's assessments of these countries,
    newest publication first (the core takes the first per country)."""
    versions = []
    for assessment in Assessment.objects.filter(team=team, country__in=countries):
        version = assessment.versions.filter(status=Status.PUBLISHED).order_by("-number").first()
        if version is not None:
            versions.append(version)
    versions.sort(key=_published_order, reverse=True)
    return [_covering(v) for v in versions]


def _published_order(version: AssessmentVersion) -> tuple[dt.datetime, int]:
    return (version.frozen_at or version.created_at, version.number)


def _covering(version: AssessmentVersion) -> Covering:
    published = version.frozen_at.date().isoformat() if version.frozen_at else None
    return Covering(
        export_version(version), f"{version.assessment.slug} v{version.number}", published
    )


def official_advice_for(
    countries: list[str], db_path: Path | None
) -> dict[str, list[dict[str, Any]]]:
    """Imported official advice by ISO code (the country's national levels, and each area a
    government names): what the trip shows where no assessment covers an area."""
    if db_path is None or not Path(db_path).is_file():
        return {}
    from riskatlas.evidence.advice import official_advice
    from riskatlas.evidence.areas import country_iso3
    from riskatlas.evidence.store import StoreBusy

    out: dict[str, list[dict[str, Any]]] = {}
    for country in countries:
        iso3 = country_iso3(country)
        if iso3 is None:
            continue
        try:
            governments = official_advice(db_path, iso3)
        except StoreBusy:
            continue
        for g in governments:
            said = {
                "government": g.get("government_name") or g.get("government"),
                "level": g.get("level"),
                "level_name": g.get("level_name"),
                "updated": g.get("updated"),
            }
            out.setdefault(country, []).append(said)
            for area in g.get("areas") or []:
                if area.get("area_code") and not area.get("place"):
                    out.setdefault(area["area_code"], []).append(
                        {
                            **said,
                            "level": area.get("level"),
                            "level_name": area.get("level_name"),
                            "text": area.get("text", ""),
                        }
                    )
    return out


def check(trip: Trip, today: dt.date | None = None, db_path: Path | None = None) -> TripCheck:
    """The trip checked now against the team's published assessments and policy."""
    from riskatlas.evidence.store import events_db_path

    data = trip_for_check(trip)
    countries = trip_countries(data)
    coverings = published_coverings(trip.team, countries)
    advice = official_advice_for(countries, db_path if db_path is not None else events_db_path())
    return check_trip(data, coverings, policy_of(trip.team), today or timezone.localdate(), advice)


def has_itinerary(trip: Trip) -> bool:
    """A trip can be checked once it has a traveller and a segment (the trip file needs both)."""
    return trip.segments.exists() and trip.travellers.exists()
