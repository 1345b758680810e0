"""Trips made and changed through the API from a trip file (``riskatlas_trip: 1``): the same
JSON Schema and checks as the CLI and the pages' import (``riskatlas.travel.trip_file``),
stored as the pages store them (``apps.travel.interchange.save_trip``), under the team rules
(``apps.travel.access``) and the workflow's (``apps.travel.workflow``).

A file with any problem saves nothing: the answer is a 400 listing every problem with its
place in the file. A stored traveller's contact details the user may not see are ignored in
the file (left out, as in the trip file the API gives such a user, or written in): neither
written nor told apart, by the same rule as the pages (``interchange.save_trip``). A file that
says what is stored already writes nothing. A file replaces only a draft or reopened trip
(``interchange.why_not_replace``, as on the pages).

A trip read carries an ETag (``etag``: what the user sees of its row, segments, approvals and
travellers' profiles); a PUT or DELETE whose If-Match names another is refused
(``ChangedMeanwhile``, answered 409 with the trip as stored, as the document parts answer).
Without If-Match (or with ``*``) the change is made, as for the document parts.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework.exceptions import APIException, ValidationError

from riskatlas.api.access import API, Conflict
from riskatlas.api.schema import inlined
from riskatlas.apps.assessments.revisions import revision
from riskatlas.apps.audit.context import acting_as
from riskatlas.apps.travel import access, workflow
from riskatlas.apps.travel.interchange import save_trip, why_not_replace
from riskatlas.apps.travel.models import Segment, Traveller, Trip
from riskatlas.document.problems import Problem, format_path
from riskatlas.travel.files import schema
from riskatlas.travel.trip_file import check_trip_data

FILENAME = "the request's trip file"
# A traveller's profile as everyone in the team sees it (no contact details).
PROFILE = tuple(
    f.name
    for f in Traveller._meta.concrete_fields
    if f.name not in ("email", "phone", "emergency_name", "emergency_phone", "emergency_relation")
)
# A trip's row as its ETag covers it: not the time of its last save, which a save of contact
# details alone also sets (and no reader sees).
TRIP_SEEN = tuple(f.name for f in Trip._meta.concrete_fields if f.name != "updated_at")
# A segment by what it says, not by the row holding it (a changed itinerary is written anew).
SEGMENT_SEEN = tuple(f.name for f in Segment._meta.concrete_fields if f.name != "id")


class ChangedMeanwhile(Exception):
    """The trip changed since the ETag the client sent in If-Match; nothing was written."""

    def __init__(self, trip: Trip, current: str) -> None:
        self.trip = trip
        self.current = current
        super().__init__(
            f"the trip {trip.slug!r} was changed by someone else after you read it "
            "(its ETag is no longer the one in If-Match); nothing was saved"
        )


def etag(user: Any, trip: Trip) -> str:
    """The trip's revision as the user reads it, as an HTTP entity tag: what they see of it,
    its row (status, decision, check; ``TRIP_SEEN``), segments in order (``SEGMENT_SEEN``),
    approvals and travellers' profiles, with their contact details only when the user may see
    them. A change the user cannot see (a contact detail) leaves their tag as it was."""
    sees = access.sees_personal_data(user, trip.team_id)
    parts = [revision(trip, TRIP_SEEN)]
    parts += [revision(s, SEGMENT_SEEN) for s in sorted(trip.segments.all(), key=lambda s: s.order)]
    parts += [revision(a) for a in sorted(trip.approvals.all(), key=lambda a: a.pk)]
    for t in sorted(trip.travellers.all(), key=lambda t: t.pk):
        whole = sees or t.user_id == user.pk
        parts.append(revision(t, None if whole else PROFILE))
    digest = hashlib.sha256("\n".join(parts).encode("ascii")).hexdigest()[:20]
    return f'"{digest}"'


def _unchanged(user: Any, trip: Trip, seen: list[str] | None) -> None:
    """Refuse (ChangedMeanwhile) when the trip, locked, is not the one the client read."""
    if seen is None:
        return
    current = etag(user, trip)
    if current.strip('"') not in seen:
        raise ChangedMeanwhile(trip, current)


def trip_file_schema() -> dict[str, Any]:
    """The trip file's JSON Schema in OpenAPI 3.0's terms (``schema.inlined``): its
    definitions written in place, beside what a reference adds (such as its own
    description), its formats kept."""
    source = schema("trip")
    trip_file: dict[str, Any] = inlined(
        source, source.get("$defs", {}), keep_format=True, merge_siblings=True
    )
    return trip_file


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
    try:
        with transaction.atomic(), acting_as(user, API):
            existing = Trip.objects.filter(team=team, slug=data["trip"]["id"]).first()
            if existing is not None:
                raise _taken(existing)
            return save_trip(team, data, user)
    except IntegrityError as exc:  # the same id stored by another request meanwhile
        made = Trip.objects.filter(team=team, slug=data["trip"]["id"]).first()
        if made is None:
            raise
        raise _taken(made) from exc


def replace(user: Any, trip: Trip, body: Any, seen: list[str] | None = None) -> Trip:
    """The trip's title, purpose, travellers and itinerary replaced by the trip file ``body``
    (its id must stay the trip's); 409 unless the trip is a draft or reopened;
    ChangedMeanwhile when ``seen`` (If-Match) does not name its ETag. A file that says what is
    stored already changes nothing."""
    why = why_not_replace(trip)
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
    with transaction.atomic(), acting_as(user, API):
        locked = Trip.objects.select_for_update().get(pk=trip.pk)
        why = why_not_replace(locked)
        if why:  # requested or cancelled meanwhile
            raise Conflict(why)
        _unchanged(user, locked, seen)
        return save_trip(locked.team, data, user)


def delete(user: Any, trip: Trip, seen: list[str] | None = None) -> None:
    """Delete a draft trip; 409 for one ever requested (cancel it instead);
    ChangedMeanwhile when ``seen`` (If-Match) does not name its ETag."""
    try:
        with transaction.atomic(), acting_as(user, API):
            locked = Trip.objects.select_for_update().get(pk=trip.pk)
            _unchanged(user, locked, seen)
            workflow.delete(locked, user)
    except workflow.TripWorkflowError as exc:
        raise Conflict(str(exc)) from exc
