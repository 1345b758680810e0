"""The OpenAPI description is exact: schemathesis sends every operation of the description
valid and invalid requests, in-process through the WSGI application, and every check holds
(no 500, only described status codes, content types, headers and bodies; invalid requests
refused; valid ones accepted).

Bounded so that it runs in seconds per operation: a fixed number of examples per operation
and generation mode, derandomized (the same requests every run), no deadline. It runs as an
analyst of a team that owns the bundled Peru example and the test assessment (a published
version and a draft); valid requests are pointed now and then at objects that exist, so that
changes and review steps are really made, not only refused with 404."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation

from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.assessments.models import Assessment, ExposureGroup, Risk
from riskatlas.apps.geography.models import AssessmentArea, Place
from riskatlas.apps.intelligence.models import Actor, Incident, Source
from riskatlas.apps.travel.interchange import import_trip_file
from riskatlas.apps.travel.models import Trip
from riskatlas.geography import subdivisions_of
from tests.integration.api.conftest import B_SLUG, PASSWORD, World

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 12  # per operation and generation mode
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
]
BOUNDS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
# Runs (operation, generation mode) that still fail, each with its reason; any other failure
# fails the test, and the list is meant to stay empty.
STILL_FAILING: set[str] = set()
# What a pattern cannot say: a valid date is a day that exists (not 30 February).
REAL_AREAS = st.sampled_from(["PE-AYA", "PE-CUS", "PE-ICA", "PE-LMA", "PE-PUN"])
REAL_DAYS = st.dates().map(lambda d: d.isoformat())
REAL_DATES = REAL_DAYS | st.integers(1900, 2100).map(str)  # an incident's date may be a year
TRIP_FILE = Path(__file__).resolve().parents[3] / "examples" / "trips" / "peru-andahuaylas.yaml"
PART_MODELS = {
    "risks": Risk,
    "incidents": Incident,
    "actors": Actor,
    "areas": AssessmentArea,
    "sources": Source,
}


def known_path_parameters(path: str) -> dict[str, list[Any]]:
    """Values of the path's parameters that name objects the analyst's team has."""
    kind = path.removeprefix("/api/v1/").split("/")[0]
    known: dict[str, list[Any]] = {
        "slug": sorted(Assessment.objects.values_list("slug", flat=True))
    }
    known["number"] = [1, 2]
    if kind in PART_MODELS:
        known["id"] = sorted(PART_MODELS[kind].objects.values_list("pk", flat=True))[:20]
    if kind == "trips":
        known["id"] = sorted(Trip.objects.values_list("pk", flat=True))[:20]
    return known


def signing_in(case: Any) -> None:
    """A valid request for a token names a user who exists, with the right password."""
    meta = case.meta
    body_info = meta.components.get(ParameterLocation.BODY) if meta else None
    if case.path.endswith("/token/") and body_info and not body_info.mode.is_negative:
        case.body = {**case.body, "username": "a-analyst", "password": PASSWORD}


def references_of(model: type, version_id: int) -> dict[str, list[str]]:
    """Ids a part of the version may name: its areas, places and actors."""
    areas = AssessmentArea.objects.filter(version_id=version_id)
    codes = sorted(areas.values_list("code", flat=True))
    return {
        "area": codes,
        "areas": codes,
        "place": sorted(Place.objects.filter(version_id=version_id).values_list("key", flat=True)),
        "actors": sorted(Actor.objects.filter(version_id=version_id).values_list("key", flat=True)),
        "exposed": sorted(
            ExposureGroup.objects.filter(version_id=version_id).values_list("key", flat=True)
        ),
    }


def on_the_matrix(case: Any, part: Any, choose: st.DataObject) -> None:
    """A valid risk's ratings are points of its version's matrix (the field says so; the
    description's bounds are those of the largest matrix, 9 × 9)."""
    matrix = part.version.matrix
    for which in ("inherent", "current", "residual"):
        rating = case.body.get(which)
        if not isinstance(rating, dict):
            continue
        for axis in ("likelihood", "impact"):
            if isinstance(rating.get(axis), int):
                values = st.sampled_from([int(v) for v in matrix[f"{axis}_values"]])
                rating[axis] = choose.draw(values, label=f"{which} {axis}")


def estimated(strength: dict[str, Any]) -> None:
    """An actor's strength given in fighters, a date or a source says the estimate in words
    too (the field's description says so)."""
    details = any(strength.get(k) for k in ("fighters", "as_of", "source"))
    if details and not strength.get("estimate"):
        strength["estimate"] = "Several hundred armed members."


def naming_what_exists(case: Any, choose: st.DataObject) -> None:
    """A valid change of a part that exists names areas, places and actors of its version
    (which the description cannot list): other ids are refused with 400, rightly; its date,
    if any, is a day that exists; a custom area's parts are ISO codes that exist, an ISO
    area has none; a level set by hand comes with its reason (rules between fields or
    against the standard's list, which the fields' descriptions state and OpenAPI 3.0 cannot
    express)."""
    meta = case.meta
    body_info = meta.components.get(ParameterLocation.BODY) if meta else None
    kind = case.path.removeprefix("/api/v1/").split("/")[0]
    if not body_info or body_info.mode.is_negative or not isinstance(case.body, dict):
        return
    if kind not in PART_MODELS or not isinstance((case.path_parameters or {}).get("id"), int):
        return
    part = PART_MODELS[kind].objects.filter(pk=case.path_parameters["id"]).first()
    if part is None:
        return
    if isinstance(case.body.get("date"), str):  # a source's date is a day (format: date)
        dates = REAL_DAYS if kind == "sources" else REAL_DATES
        case.body["date"] = choose.draw(dates, label="date")
    if kind == "areas" and isinstance(case.body.get("parts"), list):
        # Only a custom area is made of parts, and those are ISO 3166 codes that exist.
        custom = not part.code.isupper()
        case.body["parts"] = (
            choose.draw(st.lists(REAL_AREAS, max_size=3), label="parts") if (custom) else []
        )
    if kind == "areas":  # a level set by hand (sent now or stored) says why (described)
        override = case.body.get("level_override", part.level_override)
        reason = case.body.get("level_reason", part.level_reason)
        if override is not None and not reason:
            case.body["level_reason"] = "Road blocks."
        # ...and an area with a level set by hand has no reason for not being assessed.
        if override is not None and case.body.get("not_assessed_reason", part.not_assessed_reason):
            case.body["not_assessed_reason"] = ""
    if kind == "risks":
        on_the_matrix(case, part, choose)
    if kind == "actors" and isinstance(case.body.get("strength"), dict):
        estimated(case.body["strength"])
    if kind == "sources" and case.body.get("kind", part.kind) == "analyst":
        # A named judgement says who made it and when (the kind's description says so).
        if not case.body.get("author", part.author):
            case.body["author"] = "An analyst"
        if not case.body.get("date", part.date):
            case.body["date"] = "2009-11-29"
    for name, known in references_of(PART_MODELS[kind], part.version_id).items():
        if name not in case.body or not known or case.body[name] is None:
            continue
        pick = st.sampled_from(known)
        many = isinstance(case.body[name], list)
        case.body[name] = choose.draw(st.lists(pick, max_size=3) if many else pick, label=name)


def starting_what_can_be(case: Any, choose: st.DataObject) -> None:
    """A valid new assessment (as the fields' descriptions say, and OpenAPI cannot express)
    ticks subdivisions of its country, starts from an assessment of the analyst's team if
    from one (a full copy keeping its country), has an id not taken, and is reviewed on or
    after its as-of date; the analyst is in one team, so names none."""
    meta = case.meta
    body_info = meta.components.get(ParameterLocation.BODY) if meta else None
    if case.path != "/api/v1/assessments/" or case.method.upper() != "POST":
        return
    if not body_info or body_info.mode.is_negative or not isinstance(case.body, dict):
        return
    body = case.body
    codes = [a.code for a in subdivisions_of(body["country"])] or ["none"]
    if "areas" in body:
        body["areas"] = choose.draw(st.lists(st.sampled_from(codes), max_size=3), label="areas")
    for i, custom in enumerate(body.get("custom_areas") or []):
        custom["name"] = f"Custom area {i}"
        custom["parts"] = choose.draw(st.lists(st.sampled_from(codes), min_size=1, max_size=2))
    if not codes or codes == ["none"]:
        body.pop("areas", None)
        body.pop("custom_areas", None)
    body.pop("team", None)
    body.pop("slug", None)
    body.pop("full_copy", None)
    if "source" in body:
        slugs = sorted(Assessment.objects.values_list("slug", flat=True))
        body["source"] = choose.draw(st.sampled_from(slugs), label="source")
    if "review_by" in body:  # as_of is today unless given
        body["as_of"] = min(body.get("as_of") or body["review_by"], body["review_by"])


def trip_files_that_hold(case: Any, choose: st.DataObject) -> None:
    """A valid trip file (as the trip file's checks beyond its schema say, and OpenAPI cannot
    express): its segments' days exist and run forward, each place is locatable, areas and
    areas crossed are ISO 3166 codes that exist, lat and lon come together, traveller ids are
    unique, e-mail addresses hold no space of any kind; a replacement keeps the trip's id.
    The analyst is in one team, so names none."""
    meta = case.meta
    body_info = meta.components.get(ParameterLocation.BODY) if meta else None
    method = case.method.upper()
    if (case.path, method) not in (("/api/v1/trips/", "POST"), ("/api/v1/trips/{id}/", "PUT")):
        return
    if not body_info or body_info.mode.is_negative or not isinstance(case.body, dict):
        return
    if case.query:
        case.query.pop("team", None)
    pk = (case.path_parameters or {}).get("id")
    stored = Trip.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if stored is not None:
        case.body["trip"]["id"] = stored.slug
    first = choose.draw(st.dates(dt.date(2000, 1, 1), dt.date(2090, 1, 1)), label="first day")
    for i, segment in enumerate(case.body["segments"]):
        segment["start"] = (first + dt.timedelta(days=2 * i)).isoformat()
        segment["end"] = (first + dt.timedelta(days=2 * i + 1)).isoformat()
        if "area" in segment or "lat" not in segment:
            segment["area"] = choose.draw(REAL_AREAS, label="area")
        if ("lat" in segment) != ("lon" in segment):
            segment["lat"], segment["lon"] = segment.get("lat", -12.0), segment.get("lon", -77.0)
        if "via" in segment:
            segment["via"] = choose.draw(st.lists(REAL_AREAS, max_size=2, unique=True))
    for i, traveller in enumerate(case.body["travellers"]):
        traveller["id"] = f"{traveller['id'][:70]}-{i}"
        if "email" in traveller:  # Python's \s, which the check uses, is wider than ECMA's
            traveller["email"] = f"traveller-{i}@example.org"


def pointed_at_known(case: Any, choose: st.DataObject) -> None:
    """Now and then, a case whose path is valid gets path parameters that exist."""
    meta = case.meta
    path_info = meta.components.get(ParameterLocation.PATH) if meta else None
    if not case.path_parameters or (path_info and path_info.mode.is_negative):
        return
    if not choose.draw(st.booleans(), label="known objects"):
        return
    known = known_path_parameters(case.path)
    for name in case.path_parameters:
        if known.get(name):
            case.path_parameters[name] = choose.draw(st.sampled_from(known[name]), label=name)


@pytest.fixture
def connections_kept() -> Iterator[None]:
    """Requests sent straight to the WSGI application do not close the test's database
    connection at their end (Django's test client does the same); a closed connection
    would end the test's transaction on PostgreSQL."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def analyst_world(world: World, documents: dict[str, dict[str, Any]]) -> World:
    """The world, and the analysts' team owns the Peru example too, and a draft trip."""
    team = ensure_team("Field team")
    import_document(copy.deepcopy(documents[B_SLUG]), team=team)
    import_trip_file(team, TRIP_FILE.read_bytes(), TRIP_FILE.name)
    return world


def test_every_operation_conforms_to_the_description(
    analyst_world: World, connections_kept: None
) -> None:
    from riskatlas.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    schema.config.checks.update(included_check_names=CHECKS)
    # Django refuses NUL characters in any text (400); the description does not repeat it.
    schema.config.generation.update(allow_x00=False)
    headers = {"Authorization": f"Token {analyst_world.tokens['a-analyst']}"}
    failures: dict[str, str] = {}
    nothing_invalid: list[str] = []  # operations with no invalid request to make
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @BOUNDS
            @given(case=operation.as_strategy(generation_mode=mode), choose=st.data())
            def run(case: Any, choose: st.DataObject) -> None:
                pointed_at_known(case, choose)
                signing_in(case)
                naming_what_exists(case, choose)
                starting_what_can_be(case, choose)
                trip_files_that_hold(case, choose)
                case.call_and_validate(headers=headers)

            try:
                run()
            except Unsatisfiable:
                nothing_invalid.append(operation.label)
            except KeyboardInterrupt:
                raise
            except BaseException as exc:  # every operation runs; all failures are listed below
                failures[f"{operation.label} ({mode.value})"] = str(exc)[:3000]
    report = "\n\n".join(f"== {label}\n{text}" for label, text in failures.items())
    assert operations >= 40
    unexpected = set(failures) - STILL_FAILING
    assert not unexpected, f"{len(failures)} of {operations * 2} runs failed:\n{report}"
    if failures:  # known and listed; the list is meant to shrink to nothing
        pytest.xfail(f"{len(failures)} known runs still fail:\n{report}")
    assert len(nothing_invalid) <= 2, nothing_invalid
