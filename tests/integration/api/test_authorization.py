"""Every API route (read from the URL resolver) × every role: team A's reader, analyst,
reviewer and admin, team B's reader, and nobody. Fails on any leak: another team's object
must be 404 (as if it did not exist), lists hold only the user's teams' objects, readers see
published versions only, and changes need the analyst role (403) and an unfrozen version (409).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model
from rest_framework import serializers

from riskatlas.api.document_parts import DocumentKind, document_kinds
from riskatlas.api.serializers.geography import AreaSerializer
from riskatlas.api.serializers.intelligence import (
    ActorSerializer,
    IncidentSerializer,
    SourceSerializer,
)
from riskatlas.api.serializers.risks import RiskSerializer
from riskatlas.apps.accounts.models import ROLE_RANK, Role
from riskatlas.apps.assessments.interchange import export_version, import_document
from riskatlas.apps.assessments.interchange.registry import items_in
from riskatlas.apps.assessments.models import AssessmentVersion, Risk
from riskatlas.apps.geography.models import AssessmentArea
from riskatlas.apps.intelligence.models import Actor, Incident, Source
from tests.integration.api.conftest import A_SLUG, B_SLUG, DRAFT_MARK, PASSWORD, USERS, World
from tests.integration.api.routes import TRAVEL_ROUTES, Route, api_routes

pytestmark = pytest.mark.django_db

ROLES: list[str | None] = [None, *USERS]  # None: not signed in
PUBLIC = {"api:schema", "api:docs"}  # no team data; anyone may read them
DETAIL_MODELS: dict[str, type[Model]] = {
    "api:risk-detail": Risk,
    "api:incident-detail": Incident,
    "api:actor-detail": Actor,
    "api:area-detail": AssessmentArea,
    "api:source-detail": Source,
}
# (slug, version number) pairs each user may see anything of.
SEES = {
    "a-reader": {(A_SLUG, 1)},
    "a-analyst": {(A_SLUG, 1), (A_SLUG, 2)},
    "a-reviewer": {(A_SLUG, 1), (A_SLUG, 2)},
    "a-admin": {(A_SLUG, 1), (A_SLUG, 2)},
    "b-reader": {(B_SLUG, 1)},
}


@dataclass(frozen=True)
class Target:
    slug: str
    number: int
    params: dict[str, Any]


def targets(route: Route, method: str = "GET") -> Iterator[Target]:
    """The objects a route can name: in team A's published and draft versions, and team B's.
    A DELETE gets an object of its own where it can succeed (see ``to_delete``)."""
    params = set(route.params)
    for slug, number in [(A_SLUG, 1), (A_SLUG, 2), (B_SLUG, 1)]:
        version = AssessmentVersion.objects.get(assessment__slug=slug, number=number)
        if params == {"slug"}:
            if number == 1:  # the assessment itself, reached through its published version
                yield Target(slug, number, {"slug": slug})
        elif params == {"slug", "number"}:
            yield Target(slug, number, {"slug": slug, "number": number})
        elif params == {"slug", "number", "item"} and route.name.startswith("api:part-"):
            kind = document_kinds()[route.name.removeprefix("api:part-").removesuffix("-detail")]
            if slug == B_SLUG and not items_in(export_version(version), kind.section):
                continue  # the Peru example has no official advice (its list is walked)
            item = (
                to_delete_item(kind, version)
                if method == "DELETE" and not version.is_locked
                else first_item(kind, version)
            )
            yield Target(slug, number, {"slug": slug, "number": number, "item": item})
        elif params == {"pk"} and route.name in DETAIL_MODELS:
            obj = DETAIL_MODELS[route.name].objects.filter(version=version).first()
            assert obj is not None, f"no {route.name} object in {slug} v{number}"
            if method == "DELETE":
                obj = to_delete(obj)
            yield Target(slug, number, {"pk": obj.pk})
        else:
            pytest.fail(f"the walk does not know how to fill {route.template} ({route.name})")


COPIES = itertools.count()


def to_delete(first: Model) -> Model:
    """What a DELETE removes: in a draft, a new copy of the version's first part of its kind,
    under an id nothing refers to (so each allowed user deletes one); in a frozen version the
    first part itself (it must stay)."""
    if first.version.is_locked:  # type: ignore[attr-defined]
        return first
    copy = type(first).objects.get(pk=first.pk)
    copy.pk = None
    copy.id = None  # type: ignore[attr-defined]
    id_field = "code" if isinstance(first, AssessmentArea) else "key"
    setattr(copy, id_field, f"walk-delete-{next(COPIES)}")
    if isinstance(copy, AssessmentArea):  # a custom area, made of a region, as it must be
        copy.parts = ["PE-LMA"]
    copy.save()
    return copy


def first_item(kind: DocumentKind, version: AssessmentVersion) -> str | int:
    """What names the version's first part of the kind in its address."""
    items = items_in(export_version(version), kind.section)
    assert items, f"no {kind.label} in {version}"
    return items[0][kind.identity] if kind.identity else 1


def to_delete_item(kind: DocumentKind, version: AssessmentVersion) -> str | int:
    """A new part of the kind (a copy of the first under a new id), for a DELETE to remove."""
    doc = export_version(version)
    items = items_in(doc, kind.section)
    taken = {item.get("category") for item in items}
    copy = new_document_item(kind, items[0], f"doc-walk-delete-{next(COPIES)}", taken)
    *path, key = kind.section
    place = doc
    for step in path:
        place = place[step]
    place[key] = [*items, copy]
    import_document(doc, team=version.assessment.team)
    return copy[kind.identity] if kind.identity else len(items) + 1


THREATS = ["KID", "TER", "ACI", "UNR", "POL", "BRD", "DET", "SGV", "TRN", "MED", "NAT", "CYB"]


def new_document_item(
    kind: DocumentKind, first: dict[str, Any], name: str, taken: Collection[Any] = ()
) -> dict[str, Any]:
    """A valid new part of the kind: the first one under the id ``name`` (in the kind's form
    of id), without its evidence; a threat of a category not described yet, an area made of
    a region."""
    item = {k: v for k, v in first.items() if k != "evidence"}
    if kind.slug == "mitigations":
        item["code"] = name.upper()
    elif kind.slug == "areas":
        item.update(code=name, name=name, parts=["PE-LMA"])
        item.pop("level", None)
        item.pop("level_reason", None)
    elif kind.identity is not None:
        item[kind.identity] = name
    if kind.slug == "threats":
        item["category"] = next(c for c in THREATS if c not in taken)
    return item


def new_document_part(kind: DocumentKind) -> Callable[[Target, str | None], dict[str, Any]]:
    """POST: a new part of the kind, with the user's own id, into the target version."""

    def body(target: Target, user: str | None) -> dict[str, Any]:
        # Made from team A's published version, which has every kind (the Peru example has
        # no official advice; its answer is 404 whatever the body).
        version = AssessmentVersion.objects.get(assessment__slug=A_SLUG, number=1)
        items = items_in(export_version(version), kind.section)
        target_version = AssessmentVersion.objects.get(
            assessment__slug=target.slug, number=target.number
        )
        taken = {i.get("category") for i in items_in(export_version(target_version), kind.section)}
        return new_document_item(kind, items[0], f"doc-walk-{user or 'anonymous'}", taken)

    return body


def changed_document_part(kind: DocumentKind) -> Callable[[Target, str | None], dict[str, Any]]:
    """PUT: the part as read, without its id, with one text replaced."""

    def body(target: Target, user: str | None) -> dict[str, Any]:
        version = AssessmentVersion.objects.get(assessment__slug=target.slug, number=target.number)
        items = items_in(export_version(version), kind.section)
        item = target.params["item"]
        found = (
            items[item - 1]
            if kind.identity is None
            else next(i for i in items if i[kind.identity] == item)
        )
        text = next(
            f
            for f in ("title", "name", "summary", "text", "level")
            if isinstance(found.get(f), str)
        )
        return {
            **{k: v for k, v in found.items() if k != kind.identity},
            text: f"Replaced by {user}",
        }

    return body


def expected_read(user: str | None, target: Target) -> int:
    if user is None:
        return 401
    return 200 if (target.slug, target.number) in SEES[user] else 404


def expected_change(user: str | None, target: Target, write: Write) -> set[int]:
    if user is None:
        return {401}
    team, role = USERS[user]
    weaker = ROLE_RANK[Role(role)] < ROLE_RANK[Role(write.role)]
    if write.role_first and weaker:
        return {403}
    if team != ("Field team" if target.slug == A_SLUG else "Other team"):
        return {404}
    if weaker:
        return {403}
    return write.success(target)


def leaks(user: str, body: Any) -> list[str]:
    """What the user must not see in a response body."""
    text = json.dumps(body)
    found = []
    others = {A_SLUG, B_SLUG} - {slug for slug, _ in SEES[user]}
    found += [f"names {slug}" for slug in others if slug in text]
    if (A_SLUG, 2) not in SEES[user]:
        if DRAFT_MARK in text:
            found.append("shows draft content")
        if f"{A_SLUG}/versions/2" in text:
            found.append("links the draft version")
    for item in _items(body):
        slug, number = item.get("assessment"), item.get("version", item.get("number"))
        if not isinstance(slug, str):
            continue
        if (slug, number) not in SEES[user]:
            found.append(f"holds an item of {slug} v{number}")
    return found


def _items(body: Any) -> Iterator[dict[str, Any]]:
    if isinstance(body, dict):
        yield body
        for value in body.values():
            yield from _items(value)
    elif isinstance(body, list):
        for value in body:
            yield from _items(value)


def risk_body(target: Target, user: str | None) -> dict[str, Any]:
    return {
        "assessment": target.slug,
        "version": target.number,
        "key": f"walk-{user or 'anonymous'}",
        "title": f"Added by {user}",
        "category": "CRM",
        "area": "PE-LMA" if target.slug == A_SLUG else "PE",
        "inherent": {"likelihood": 3, "impact": 3},
        "residual": {"likelihood": 2, "impact": 3},
        "rationale": "Walk.",
    }


def full(
    serializer: type[serializers.ModelSerializer], field: str = "title"
) -> Callable[[Target, str | None], dict[str, Any]]:
    """PUT: the part as the API shows it, with one field replaced."""

    def body(target: Target, user: str | None) -> dict[str, Any]:
        model = serializer.Meta.model
        data = dict(serializer(model.objects.get(pk=target.params["pk"])).data)
        data[field] = f"Replaced by {user}"
        return data

    return body


def new_part(**fields: Any) -> Callable[[Target, str | None], dict[str, Any]]:
    """POST: a new part with the user's own id, into the target version."""

    def body(target: Target, user: str | None) -> dict[str, Any]:
        id_field = "code" if "parts" in fields else "key"
        return {
            "assessment": target.slug,
            "version": target.number,
            id_field: f"walk-{user or 'anonymous'}",
            **fields,
        }

    return body


def patch(field: str) -> Callable[[Target, str | None], dict[str, Any]]:
    return lambda t, u: {field: f"Changed by {u}"}


def nothing(t: Target, u: str | None) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Write:
    """How the walk changes things through one route and method."""

    body: Callable[[Target, str | None], dict[str, Any]]
    role: str  # the weakest role allowed (weaker members get 403)
    success: Callable[[Target], set[int]]  # what an allowed user gets
    # The role is asked before the target is looked up (a route that makes something new in
    # the user's own team): a weaker member gets 403 whichever team the target is in.
    role_first: bool = False


def unless_frozen(done: int) -> Callable[[Target], set[int]]:
    return lambda t: {409} if t.number == 1 else {done}  # version 1 is published


def step(t: Target) -> set[int]:
    # Version 1 is published, so no step applies; the draft moves on with the first allowed
    # user, and the step is then refused to the next ones.
    return {409} if t.number == 1 else {200, 409}


def comment(t: Target, u: str | None) -> dict[str, Any]:
    return {"comment": f"Walked by {u}"}


WRITES: dict[tuple[str, str], Write] = {
    ("api:risk-list", "POST"): Write(risk_body, "analyst", unless_frozen(201)),
    ("api:risk-detail", "PATCH"): Write(patch("title"), "analyst", unless_frozen(200)),
    ("api:risk-detail", "PUT"): Write(full(RiskSerializer), "analyst", unless_frozen(200)),
    ("api:risk-detail", "DELETE"): Write(nothing, "analyst", unless_frozen(204)),
    ("api:incident-list", "POST"): Write(
        new_part(title="Walked", date="2024-03", categories=["CRM"], actors=["traffickers"]),
        "analyst",
        unless_frozen(201),
    ),
    ("api:incident-detail", "PATCH"): Write(patch("title"), "analyst", unless_frozen(200)),
    ("api:incident-detail", "PUT"): Write(full(IncidentSerializer), "analyst", unless_frozen(200)),
    ("api:incident-detail", "DELETE"): Write(nothing, "analyst", unless_frozen(204)),
    ("api:actor-list", "POST"): Write(
        new_part(name="Walkers", type="criminal"), "analyst", unless_frozen(201)
    ),
    ("api:actor-detail", "PATCH"): Write(patch("name"), "analyst", unless_frozen(200)),
    ("api:actor-detail", "PUT"): Write(
        full(ActorSerializer, "name"), "analyst", unless_frozen(200)
    ),
    ("api:actor-detail", "DELETE"): Write(nothing, "analyst", unless_frozen(204)),
    ("api:area-list", "POST"): Write(
        new_part(name="Walked area", parts=["PE-LMA"]), "analyst", unless_frozen(201)
    ),
    ("api:area-detail", "PATCH"): Write(patch("name"), "analyst", unless_frozen(200)),
    ("api:area-detail", "PUT"): Write(full(AreaSerializer, "name"), "analyst", unless_frozen(200)),
    ("api:area-detail", "DELETE"): Write(nothing, "analyst", unless_frozen(204)),
    ("api:source-list", "POST"): Write(
        new_part(
            title="Walk notes",
            kind="analyst",
            author="The walk",
            date="2026-12-01",
            reliability="B",
            credibility=2,
        ),
        "analyst",
        unless_frozen(201),
    ),
    ("api:source-detail", "PATCH"): Write(patch("title"), "analyst", unless_frozen(200)),
    ("api:source-detail", "PUT"): Write(full(SourceSerializer), "analyst", unless_frozen(200)),
    ("api:source-detail", "DELETE"): Write(nothing, "analyst", unless_frozen(204)),
    # A new assessment started from the target's assessment as a template: another team's is
    # not found (404); a reader may not start one at all (403).
    ("api:assessment-list", "POST"): Write(
        lambda t, u: {"country": "CO", "scope": f"Started by {u}", "source": t.slug},
        "analyst",
        lambda t: {201},
        role_first=True,
    ),
    # zz-test has an open draft (version 2), so no second one: 409.
    ("api:version-list", "POST"): Write(lambda t, u: {}, "analyst", lambda t: {409}),
    ("api:version-submit", "POST"): Write(comment, "analyst", step),
    ("api:version-return", "POST"): Write(comment, "reviewer", step),
    ("api:version-withdraw", "POST"): Write(comment, "analyst", step),
    ("api:version-approve", "POST"): Write(comment, "reviewer", step),
    ("api:version-publish", "POST"): Write(comment, "reviewer", step),
}
# Every kind of part in the document's own form: added, replaced, deleted.
for _slug, _kind in document_kinds().items():
    WRITES[(f"api:part-{_slug}-list", "POST")] = Write(
        new_document_part(_kind), "analyst", unless_frozen(201)
    )
    WRITES[(f"api:part-{_slug}-detail", "PUT")] = Write(
        changed_document_part(_kind), "analyst", unless_frozen(200)
    )
    WRITES[(f"api:part-{_slug}-detail", "DELETE")] = Write(nothing, "analyst", unless_frozen(204))


def test_every_route_and_role(peru_world: World, peru_changes: object):
    problems: list[str] = []
    routes = api_routes()
    assert len(routes) >= 17
    writes: list[tuple[Route, str]] = []

    for route in routes:
        if route.name.startswith(TRAVEL_ROUTES):
            continue  # test_travel_authorization.py
        for method in sorted(route.methods - {"GET"}):
            if route.name == "api:token":
                continue  # walked below
            if (route.name, method) not in WRITES:
                problems.append(f"{method} {route.template}: add it to WRITES to walk it")
            else:
                writes.append((route, method))
        if "GET" not in route.methods:
            continue
        # The objects a read names are the same for every user (reads change nothing): found
        # once a route, not once a user (each is a full export of its version).
        read_targets = list(targets(route)) if route.params and route.name not in PUBLIC else []
        for user in ROLES:
            client = peru_world.client(user)
            if route.name in PUBLIC:
                response = client.get(route.template)
                if response.status_code != 200 or A_SLUG.encode() in response.content:
                    problems.append(f"{user}: GET {route.template} -> {response.status_code}")
            elif not route.params:  # a list across the user's teams
                response = client.get(route.template)
                want = 401 if user is None else 200
                if response.status_code != want:
                    problems.append(
                        f"{user}: GET {route.template} -> {response.status_code}, not {want}"
                    )
                elif user is not None:
                    problems += [
                        f"{user}: GET {route.template} {leak}"
                        for leak in leaks(user, response.json())
                    ]
                    if not response.json()["results"]:
                        problems.append(f"{user}: GET {route.template} is empty")
            else:
                for target in read_targets:
                    url = route.fill(**target.params)
                    response = client.get(url)
                    want = expected_read(user, target)
                    if response.status_code != want:
                        problems.append(f"{user}: GET {url} -> {response.status_code}, not {want}")
                    elif want == 200:
                        body = response.json()
                        problems += [f"{user}: GET {url} {leak}" for leak in leaks(user, body)]

    # Changes last (they move team A's draft on), the review steps after the risk changes.
    writes.sort(key=lambda rm: (rm[0].name.startswith("api:version-"), rm[0].template))
    for route, method in writes:
        write = WRITES[(route.name, method)]
        for user in ROLES:
            if route.params:
                route_targets = list(targets(route, method))
            else:  # the target is named in the body
                route_targets = [
                    Target(s, n, {}) for s, n in [(A_SLUG, 1), (A_SLUG, 2), (B_SLUG, 1)]
                ]
            for target in route_targets:
                url = route.fill(**target.params)
                response = peru_world.client(user).generic(
                    method,
                    url,
                    json.dumps(write.body(target, user)),
                    content_type="application/json",
                )
                want = expected_change(user, target, write)
                if response.status_code not in want:
                    problems.append(
                        f"{user}: {method} {url} ({target.slug} v{target.number}) -> "
                        f"{response.status_code} {response.content[:200]!r}, not {want}"
                    )
                if user == "b-reader" and A_SLUG.encode() in response.content:
                    problems.append(f"{user}: {method} {url} names {A_SLUG}")

    for user in ROLES:
        username = user or "nobody"
        response = peru_world.client(None).post(
            "/api/v1/token/", {"username": username, "password": PASSWORD}
        )
        want = 400 if user is None else 200
        if response.status_code != want:
            problems.append(f"{user}: POST /api/v1/token/ -> {response.status_code}, not {want}")

    assert not problems, "\n".join(problems)


def test_the_walk_sees_what_it_should(peru_world: World):
    """The walk's leak checks are not vacuous: the same lists do hold the other content."""
    body = peru_world.client("a-analyst").get("/api/v1/risks/").json()
    assert DRAFT_MARK in json.dumps(body)
    assert leaks("a-reader", body) and not leaks("a-analyst", body)
    body = peru_world.client("b-reader").get("/api/v1/risks/").json()
    assert body["count"] > 10 and not leaks("b-reader", body)
    assert leaks("a-reader", body)
