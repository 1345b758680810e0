"""Trips made and changed through the API from a trip file (``riskatlas_trip: 1``): the same
JSON Schema and checks as the CLI and the pages' import (``riskatlas.travel.trip_file``),
stored as the pages store them (``apps.travel.interchange.save_trip``), under the team rules
(``apps.travel.access``) and the workflow's (``apps.travel.workflow``).

A file with any problem saves nothing: the answer is a 400 listing every problem with its
place in the file. Contact details the user may not see are never wiped by a file that leaves
them out (as the trip file the API gives such a user does): they are kept as stored.
"""

from __future__ import annotations

import copy
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework.exceptions import APIException, ValidationError

from riskatlas.api.access import API, Conflict
from riskatlas.apps.audit.context import acting_as
from riskatlas.apps.travel import access, workflow
from riskatlas.apps.travel.interchange import save_trip
from riskatlas.apps.travel.models import Traveller, Trip
from riskatlas.document.problems import Problem, format_path
from riskatlas.travel.files import schema
from riskatlas.travel.trip_file import check_trip_data

FILENAME = "the request's trip file"
CONTACT = ("email", "phone", "emergency_contact")


def trip_file_schema() -> dict[str, Any]:
    """The trip file's JSON Schema in OpenAPI 3.0's terms: its definitions written in place
    (beside what a reference adds, such as its own description), a ``const`` as a one-value
    ``enum``, no ``$schema`` or ``$id``."""
    source = schema("trip")
    defs = source.get("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, list):
            return [inline(n) for n in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            named = defs[node["$ref"].removeprefix("#/$defs/")]
            return inline({**named, **{k: v for k, v in node.items() if k != "$ref"}})
        out = {}
        for key, value in node.items():
            if key == "const":
                out["enum"] = [value]
            elif key not in ("$schema", "$id", "$defs"):
                out[key] = inline(value)
        return out

    inlined: dict[str, Any] = inline(source)
    return inlined


def problem_entry(problem: Problem) -> dict[str, Any]:
    return {"at": format_path(problem.path), "path": list(problem.path), "message": problem.message}


def _as_is(exc: APIException, body: dict[str, Any]) -> APIException:
    """``exc`` answering ``body`` as it is (DRF would make every value a string: a path's
    numbers, a trip's id)."""
    exc.detail = body  # type: ignore[assignment]
    return exc


def refused(problems: list[Problem]) -> APIException:
    """A 400 listing each problem: ``at`` as the CLI writes it (``segments[1].start``), its
    ``path`` as a list, and the ``message``."""
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    body = {
        "detail": f"the trip file has {count}; nothing was saved",
        "problems": [problem_entry(p) for p in problems],
    }
    return _as_is(ValidationError(), body)


def checked(body: Any) -> dict[str, Any]:
    """The request's trip file, checked whole; a 400 listing every problem otherwise."""
    found = check_trip_data(body, FILENAME)
    if found.problems:
        raise refused(found.problems)
    data: dict[str, Any] = copy.deepcopy(found.data)
    return data


def _keep_hidden_contacts(user: Any, team_id: int, data: dict[str, Any]) -> None:
    """For a user who may not see the team's contact details: a traveller's email, phone or
    emergency contact left out of the file keeps its stored value (the file they were given
    left it out)."""
    if access.sees_personal_data(user, team_id):
        return
    keys = [t["id"] for t in data["travellers"]]
    stored = {t.key: t for t in Traveller.objects.filter(team_id=team_id, key__in=keys)}
    for entry in data["travellers"]:
        traveller = stored.get(entry["id"])
        if traveller is None or access.sees_personal_data(user, team_id, traveller):
            continue
        if "email" not in entry and traveller.email:
            entry["email"] = traveller.email
        if "phone" not in entry and traveller.phone:
            entry["phone"] = traveller.phone
        if "emergency_contact" not in entry and traveller.emergency_name:
            contact = {"name": traveller.emergency_name}
            if traveller.emergency_phone:
                contact["phone"] = traveller.emergency_phone
            if traveller.emergency_relation:
                contact["relation"] = traveller.emergency_relation
            entry["emergency_contact"] = contact


def _taken(trip: Trip) -> APIException:
    body = {
        "detail": f"the team already has a trip with the id {trip.slug!r} (trip {trip.pk}): "
        f"PUT /api/v1/trips/{trip.pk}/ to change it",
        "trip": trip.pk,
    }
    return _as_is(Conflict(), body)


def create(user: Any, team: Any, body: Any) -> Trip:
    """A new draft trip of ``team`` from the trip file ``body``; 400 for a bad file, 409 when
    the team has a trip with its id already."""
    data = checked(body)
    existing = Trip.objects.filter(team=team, slug=data["trip"]["id"]).first()
    if existing is not None:
        raise _taken(existing)
    _keep_hidden_contacts(user, team.pk, data)
    try:
        with transaction.atomic(), acting_as(user, API):
            return save_trip(team, data, user)
    except IntegrityError as exc:  # the same id stored by another request meanwhile
        made = Trip.objects.filter(team=team, slug=data["trip"]["id"]).first()
        if made is None:
            raise
        raise _taken(made) from exc


def replace(user: Any, trip: Trip, body: Any) -> Trip:
    """The trip's title, purpose, travellers and itinerary replaced by the trip file ``body``
    (its id must stay the trip's); 409 unless the trip is a draft or reopened."""
    why = workflow.why_not_replace(trip)
    if why:
        raise Conflict(why)
    data = checked(body)
    if data["trip"]["id"] != trip.slug:
        raise refused(
            [
                Problem(
                    ("trip", "id"),
                    f"this is the trip {trip.slug!r}: a trip's id does not change",
                )
            ]
        )
    _keep_hidden_contacts(user, trip.team_id, data)
    with transaction.atomic(), acting_as(user, API):
        locked = Trip.objects.select_for_update().get(pk=trip.pk)
        why = workflow.why_not_replace(locked)
        if why:  # requested or cancelled meanwhile
            raise Conflict(why)
        return save_trip(locked.team, data, user)


def delete(user: Any, trip: Trip) -> None:
    """Delete a draft trip; 409 for one ever requested (cancel it instead)."""
    try:
        with acting_as(user, API):
            workflow.delete(trip, user)
    except workflow.TripWorkflowError as exc:
        raise Conflict(str(exc)) from exc
