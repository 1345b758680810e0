"""What a trip's decision rests on, gathered from the database, and the check itself.

For each country on the itinerary the latest PUBLISHED version of the team's assessments of
it (``assessments.published``, as ``riskatlas trip check --team`` reads them), the team's
travel policy, and the official advice held in the evidence store; then the pure core's
``riskatlas.travel.check.check_trip`` decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.utils import timezone

from riskatlas.apps.assessments.published import published_coverings
from riskatlas.apps.travel.interchange import trip_for_check
from riskatlas.apps.travel.models import TravelPolicy, Trip
from riskatlas.travel.check import TripCheck, check_trip
from riskatlas.travel.inputs import official_advice, trip_countries
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


def check(
    trip: Trip,
    today: dt.date | None = None,
    db_path: Path | None = None,
    personal: bool = False,
    hidden: Iterable[str] = (),
) -> TripCheck:
    """The trip checked now against the team's published assessments and policy (with the
    travellers' contact details when ``personal``, but those of the travellers ``hidden``:
    for the brief of someone who may see them)."""
    from riskatlas.evidence.store import events_db_path

    data = trip_for_check(trip, personal, hidden)
    countries = trip_countries(data)
    coverings = published_coverings(countries, trip.team)
    advice = official_advice(db_path if db_path is not None else events_db_path())
    return check_trip(data, coverings, policy_of(trip.team), today or timezone.localdate(), advice)


def has_itinerary(trip: Trip) -> bool:
    """A trip can be checked once it has a traveller and a segment (the trip file needs both)."""
    return trip.segments.exists() and trip.travellers.exists()


def decision_for_brief(trip: Trip) -> dict[str, Any]:
    """What the brief says of the decision: its state, whether the traveller may go on it
    (``outcome``: approved, refused, cancelled or pending), a refusal's reason, the
    conditions and who signed (role, name, email: whom the traveller can reach)."""
    signed = trip.approvals.filter(superseded=False).exclude(decision="").select_related("user")
    Status = Trip.Status
    outcome = {
        Status.APPROVED: "approved",
        Status.APPROVED_WITH_CONDITIONS: "approved",
        Status.REFUSED: "refused",
        Status.CANCELLED: "cancelled",
    }.get(trip.status, "pending")
    approvers: dict[Any, dict[str, Any]] = {}  # one per person, her roles in signing order
    for a in signed.order_by("step"):
        role = a.role_name or a.role
        if a.user_id is not None and a.user_id in approvers:
            approvers[a.user_id]["role"] += f", {role}"
            continue
        approvers[a.user_id if a.user_id is not None else f"step {a.step}"] = {
            "role": role,
            "name": (a.user.get_full_name() or a.user.get_username()) if a.user else "",
            "email": a.user.email if a.user else "",
        }
    return {
        "status": trip.get_status_display(),
        "outcome": outcome,
        "reason": trip.reason if outcome == "refused" else "",
        "conditions": trip.conditions,
        "approvers": list(approvers.values()),
    }
