"""Every travel route of the API (trips, travellers, approvals, check-ins, calls for help;
read from the URL resolver) × every role: team A's reader, analyst, reviewer (an approver) and
admin, team B's reader, and nobody. Another team's trip is 404, lists hold only the user's
teams' objects, a traveller's contact details reach only the traveller, the team's approvers
and its admins, check-ins and calls for help reach only whoever the care pages show them,
requesting needs the analyst role and deciding an approver role (403), and the workflow's
state or four eyes answers 409."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.care import help_calls
from riskatlas.apps.care.models import HelpCall
from riskatlas.apps.travel.interchange import export_trip, save_trip
from riskatlas.apps.travel.models import Approval, ApproverRole, CheckIn, Traveller, Trip
from tests.integration.api.conftest import USERS, World
from tests.integration.api.routes import TRAVEL_ROUTES, api_routes

pytestmark = pytest.mark.django_db

ROLES: list[str | None] = [None, *USERS]
TEAM_OF = {name: team for name, (team, _) in USERS.items()}
EMAIL = "zz-walker@example.org"
SEES_CONTACT = {"a-reviewer", "a-admin"}  # the approver and the admin of team A
# Check-ins and calls for help (with the traveller's shared location and note) follow the
# care pages' rule: the team's reviewers, admins and approvers; a reader or an analyst who
# neither requested the trip nor travels on it gets none (an empty list, 404 for one), as on
# the care pages.
SEES_CHECK_INS = {"a-reviewer", "a-admin"}
FOLLOWED = ("api:check-in-", "api:help-call-")


def _trip(team_name: str, slug: str, email: str) -> Trip:
    team = ensure_team(team_name)
    return save_trip(
        team,
        {
            "riskatlas_trip": 1,
            "trip": {"id": slug, "title": f"Trip {slug}"},
            "travellers": [
                {
                    "id": f"{slug}-walker",
                    "name": "Wanda Walker",
                    "staff": "international",
                    "email": email,
                    "emergency_contact": {"name": "Will Walker", "phone": "+1 555 0101"},
                }
            ],
            "segments": [
                {"place": "PE-LMA", "start": "2027-03-15", "end": "2027-03-16"},
                {"place": "PE-CUS", "start": "2027-03-17", "end": "2027-03-18", "transport": "air"},
            ],
        },
    )


@pytest.fixture
def travel_world(world: World) -> dict[str, Trip]:
    trips = {
        "Field team": _trip("Field team", "a-trip", EMAIL),
        "Other team": _trip("Other team", "b-trip", "b-walker@example.org"),
    }
    reviewer = get_user_model().objects.get(username="a-reviewer")
    for role in ("line-manager", "head-of-security"):
        ApproverRole.objects.create(team=trips["Field team"].team, user=reviewer, role=role)
    for trip in trips.values():
        CheckIn.objects.create(
            trip=trip,
            traveller=trip.travellers.get(),
            due_at=timezone.make_aware(dt.datetime(2027, 3, 15, 9)),
        )
        Approval.objects.create(trip=trip, step=1, role="line-manager", superseded=True)
        help_calls.call_for_help(trip, trip.travellers.get(), "Car broke down", "Km 40")
    return trips


def _object_of(name: str, trip: Trip) -> int:
    kind = name.removeprefix("api:").split("-detail")[0]
    if kind == "trip" or name.startswith("api:trip-"):
        return trip.pk
    if kind == "traveller":
        return Traveller.objects.get(trips=trip).pk
    if kind == "approval":
        return Approval.objects.filter(trip=trip).first().pk  # type: ignore[union-attr]
    if kind == "check-in":
        return CheckIn.objects.get(trip=trip).pk
    if kind == "help-call":
        return HelpCall.objects.get(trip=trip).pk
    raise AssertionError(f"the travel walk does not know {name}")


def _team_of_body(item: dict[str, Any], trips: dict[str, Trip]) -> str | None:
    """Which team's trip an item of a list belongs to."""
    ids = {t.pk: team for team, t in trips.items()}
    if "slug" in item and "segments" in item:
        return ids.get(item["id"])
    if "trip" in item:
        return ids.get(item["trip"])
    if "staff" in item:
        return {t.team.slug: team for team, t in trips.items()}.get(item["team"])
    return None


def test_every_travel_route_and_role(world: World, travel_world: dict[str, Trip]):
    routes = [r for r in api_routes() if r.name.startswith(TRAVEL_ROUTES)]
    names = {r.name for r in routes}
    assert {"api:trip-list", "api:trip-detail", "api:traveller-list", "api:approval-list"} <= names
    assert {"api:check-in-list", "api:help-call-list", "api:trip-decide"} <= names
    problems: list[str] = []
    seen_contact: set[str] = set()
    a_trip = travel_world["Field team"]
    for route in routes:
        if "GET" not in route.methods:
            continue
        for user in ROLES:
            client = world.client(user)
            if not route.params:
                response = client.get(route.template)
                want = 401 if user is None else 200
                if response.status_code != want:
                    problems.append(f"{user}: GET {route.template} -> {response.status_code}")
                    continue
                if user is None:
                    continue
                results = response.json()["results"]
                teams = {_team_of_body(item, travel_world) for item in results}
                if route.name.startswith(FOLLOWED) and user not in SEES_CHECK_INS:
                    if results:
                        problems.append(f"{user}: GET {route.template} holds {results}")
                elif teams != {TEAM_OF[user]}:
                    problems.append(f"{user}: GET {route.template} holds {teams}")
                if EMAIL in response.content.decode():
                    seen_contact.add(user)
                continue
            for team, trip in travel_world.items():
                url = route.fill(**{route.params[0]: _object_of(route.name, trip)})
                response = client.get(url)
                if user is None:
                    want = 401
                elif TEAM_OF[user] != team or (
                    route.name.startswith(FOLLOWED) and user not in SEES_CHECK_INS
                ):
                    want = 404
                else:
                    want = 200
                if route.name == "api:trip-check" and want == 200:
                    body = response.json()
                    if body.get("trip", {}).get("id") != trip.slug:
                        problems.append(f"{user}: GET {url} is not the trip's check")
                if response.status_code != want:
                    problems.append(f"{user}: GET {url} -> {response.status_code}, not {want}")
                elif want == 200 and EMAIL in response.content.decode():
                    seen_contact.add(user)
    if seen_contact != SEES_CONTACT:
        problems.append(f"the traveller's email reached {sorted(seen_contact)}")

    # The workflow: every user asks in turn; team B's reader always gets 404, nobody 401.
    def post(user: str | None, action: str, body: dict[str, Any] | None = None) -> int:
        url = f"/api/v1/trips/{a_trip.pk}/{action}/"
        response = world.client(user).post(
            url, json.dumps(body or {}), content_type="application/json"
        )
        return response.status_code

    writes = {(r.name, m) for r in routes for m in r.methods - {"GET"}}
    assert writes == {
        ("api:trip-request", "POST"),
        ("api:trip-decide", "POST"),
        ("api:trip-cancel", "POST"),
        *TRIP_FILE_WRITES,
    }, writes
    approve = {"decision": "approve", "reason": "Walked."}
    expected = [
        ("request", None, "a-reader", 403),
        ("request", None, "b-reader", 404),
        ("request", None, None, 401),
        ("decide", approve, "a-reviewer", 409),  # nothing requested yet
        ("request", None, "a-analyst", 200),
        ("request", None, "a-admin", 409),  # requested already
        ("decide", approve, "a-analyst", 403),  # holds no approver role
        ("decide", approve, "b-reader", 404),
        ("decide", {"decision": "approve"}, "a-reviewer", 400),  # no reason
        ("decide", approve, "a-reviewer", 200),
        ("cancel", None, "a-reader", 403),
        ("cancel", None, "a-analyst", 200),
        ("cancel", None, "a-admin", 409),  # cancelled already
    ]
    for action, body, user, want in expected:
        got = post(user, action, body)
        if got != want:
            problems.append(f"{user}: POST {action} -> {got}, not {want}")
    assert not problems, "\n".join(problems)
    signed = Approval.objects.get(trip=a_trip, superseded=False, step=1)
    assert signed.user.username == "a-reviewer" and signed.decision == "approve"
    # The trip is approved, then cancelled: its file changes nothing, and it stays.
    for method in ("PUT", "DELETE"):
        got = _send(world, "a-analyst", method, f"/api/v1/trips/{a_trip.pk}/", export_trip(a_trip))
        if got.status_code != 409:
            problems.append(f"a-analyst: {method} a cancelled trip -> {got.status_code}, not 409")
    assert not problems, "\n".join(problems)


# Made, replaced and deleted with a trip file: who may, in which team (the workflow's states
# are test_trip_changes.py's). POST makes a trip in the user's own team (the role is asked
# first); PUT and DELETE name a draft trip of either team.
TRIP_FILE_WRITES = {
    ("api:trip-list", "POST"),
    ("api:trip-detail", "PUT"),
    ("api:trip-detail", "DELETE"),
}


def _send(world: World, user: str | None, method: str, url: str, body: Any = None) -> Any:
    client = world.client(user)
    send = {"POST": client.post, "PUT": client.put, "DELETE": client.delete}[method]
    if body is None:
        return send(url)
    return send(url, json.dumps(body), content_type="application/json")


def _expected_trip_write(user: str | None, method: str, team: str) -> int:
    if user is None:
        return 401
    role = USERS[user][1]
    if method == "POST":  # into the user's own team
        return 403 if role == "reader" else 201
    if TEAM_OF[user] != team:
        return 404
    if role == "reader":
        return 403
    return 204 if method == "DELETE" else 200


def test_trip_files_by_every_role(world: World, travel_world: dict[str, Trip]):
    routes = {(r.name, m) for r in api_routes() for m in r.methods}
    assert routes >= TRIP_FILE_WRITES
    problems: list[str] = []
    for user in ROLES:
        for team, trip in travel_world.items():
            who = user or "nobody"
            file = export_trip(trip)
            made = {**file, "trip": {"id": f"walk-{who}-{trip.slug}", "title": "Walked"}}
            drafts = {
                "PUT": trip,
                # A draft of its own for each user to delete (the first allowed one would
                # otherwise leave the next a 404).
                "DELETE": _trip(team, f"delete-{who}-{trip.slug}", "d@example.org"),
            }
            for method in ("POST", "PUT", "DELETE"):
                want = _expected_trip_write(user, method, team)
                if method == "POST":
                    if team != TEAM_OF.get(user or "", team):
                        continue  # the user's own team only
                    got = _send(world, user, method, "/api/v1/trips/", made)
                else:
                    body = {**file, "trip": {**file["trip"], "title": f"By {user}"}}
                    url = f"/api/v1/trips/{drafts[method].pk}/"
                    got = _send(world, user, method, url, body if method == "PUT" else None)
                if got.status_code != want:
                    problems.append(
                        f"{user}: {method} {team}'s trip -> {got.status_code}, not {want}"
                    )
                elif want == 201 and got.json()["team"] != ensure_team(team).slug:
                    problems.append(f"{user}: POST made the trip in {got.json()['team']}")
    # Naming a team: one the user is not in, or only reads in.
    for user, team, want in [("b-reader", "field-team", 400), ("a-reader", "field-team", 403)]:
        got = _send(world, user, "POST", f"/api/v1/trips/?team={team}", {})
        if got.status_code != want:
            problems.append(f"{user}: POST ?team={team} -> {got.status_code}, not {want}")
    assert not problems, "\n".join(problems)
    titles = dict(
        Trip.objects.filter(pk__in=[t.pk for t in travel_world.values()]).values_list(
            "slug", "title"
        )
    )
    assert titles == {"a-trip": "By a-admin", "b-trip": "Trip b-trip"}


def test_check_ins_follow_the_care_pages_rule(world: World, travel_world: dict[str, Trip]):
    """A reader of the team gets no check-ins (the care pages give her 404), unless she is
    the traveller: then her own, with her shared location and note, not a co-traveller's.
    The analyst who requested the trip sees all of its check-ins; one who did not, none."""
    trip = travel_world["Field team"]
    users = get_user_model().objects
    wanda = trip.travellers.get()
    CheckIn.objects.filter(traveller=wanda).update(
        lat=-12.05, lon=-77.04, note="At the Lima office"
    )
    co = Traveller.objects.create(team=trip.team, key="a-trip-co", name="Carl Co", staff="national")
    trip.travellers.add(co)
    theirs = CheckIn.objects.create(
        trip=trip, traveller=co, due_at=timezone.make_aware(dt.datetime(2027, 3, 16, 9))
    )
    reader = world.client("a-reader")
    assert reader.get("/api/v1/check-ins/").json()["results"] == []
    assert reader.get(f"/api/v1/check-ins/{theirs.pk}/").status_code == 404
    pages = Client()
    pages.force_login(users.get(username="a-reader"))
    assert pages.get(f"/care/trips/{trip.pk}/").status_code == 404  # the care pages agree

    wanda.user = users.get(username="a-reader")
    wanda.save()
    [own] = reader.get("/api/v1/check-ins/").json()["results"]
    assert own["traveller"] == wanda.key and own["note"] == "At the Lima office"
    assert reader.get(f"/api/v1/check-ins/{theirs.pk}/").status_code == 404

    analyst = world.client("a-analyst")
    assert analyst.get("/api/v1/check-ins/").json()["results"] == []
    Trip.objects.filter(pk=trip.pk).update(requested_by=users.get(username="a-analyst"))
    listed = analyst.get("/api/v1/check-ins/").json()["results"]
    assert sorted(c["id"] for c in listed) == sorted(trip.check_ins.values_list("pk", flat=True))
    assert analyst.get(f"/api/v1/check-ins/{theirs.pk}/").status_code == 200
    assert world.client("b-reader").get(f"/api/v1/check-ins/{theirs.pk}/").status_code == 404


def test_every_call_for_help_is_in_the_api_by_the_check_ins_rule(
    world: World, travel_world: dict[str, Trip]
):
    """A call for help made in the web app (no check-in) and one from a check-in's link are
    both listed, newest first, with the position her phone shared, to whoever the care pages
    show them; her phone only to those who may see her contact details. A reader gets none,
    as the trip's page shows her none; the traveller her own, not a co-traveller's."""
    trip = travel_world["Field team"]
    users = get_user_model().objects
    wanda = trip.travellers.get()
    Traveller.objects.filter(pk=wanda.pk).update(phone="+51 999 000 111")
    wanda.refresh_from_db()
    link = CheckIn.objects.get(trip=trip)
    help_calls.call_for_help(trip, wanda, "Stopped at a road block", check_in=link)
    co = Traveller.objects.create(team=trip.team, key="a-trip-co", name="Carl Co", staff="national")
    trip.travellers.add(co)
    help_calls.call_for_help(trip, co, "Lost", position=(-13.65432, -73.38765))
    # The fixture's call (web app, no check-in) and these two.
    reviewer = world.client("a-reviewer")
    listed = reviewer.get("/api/v1/help-calls/").json()["results"]
    assert [(c["traveller"], c["message"], c["check_in"]) for c in listed] == [
        ("a-trip-co", "Lost", None),
        (wanda.key, "Stopped at a road block", link.pk),
        (wanda.key, "Car broke down", None),
    ]
    assert (listed[0]["lat"], listed[0]["lon"]) == (-13.65432, -73.38765)
    assert listed[1]["phone"] == "+51 999 000 111" and listed[2]["where"] == "Km 40"
    assert all(c["trip"] == trip.pk and c["handled_at"] is None for c in listed)
    one = reviewer.get(f"/api/v1/help-calls/{listed[2]['id']}/").json()
    assert one == listed[2]

    # One trip's open calls; handled ones drop out of open=true and are in open=false.
    help_calls.mark_handled(trip, wanda, users.get(username="a-reviewer"), "Called her.")
    assert [c["traveller"] for c in reviewer.get(
        f"/api/v1/help-calls/?trip={trip.pk}&open=true"
    ).json()["results"]] == ["a-trip-co"]  # fmt: skip
    handled = reviewer.get(f"/api/v1/help-calls/?trip={trip.pk}&open=false").json()["results"]
    assert [(c["handled_by"], c["handled_note"]) for c in handled] == [
        ("a-reviewer", "Called her.")
    ] * 2
    other = travel_world["Other team"]
    assert reviewer.get(f"/api/v1/help-calls/?trip={other.pk}").json()["results"] == []
    assert reviewer.get("/api/v1/help-calls/?open=yes").status_code == 400

    # A reader of the team: none, and the trip's page shows her no call either.
    reader = world.client("a-reader")
    assert reader.get("/api/v1/help-calls/").json()["results"] == []
    assert reader.get(f"/api/v1/help-calls/{listed[0]['id']}/").status_code == 404
    pages = Client()
    pages.force_login(users.get(username="a-reader"))
    shown = pages.get(reverse("travel:trip", kwargs={"trip": trip.pk}))
    page = shown.content.decode()
    assert shown.status_code == 200 and "Wanda Walker" in page
    assert "Carl Co needs help" not in page and "Lost" not in page

    # The analyst who requested the trip follows it: the calls and where her phone put
    # Carl, as the trip's page shows her, but not his phone (his contact details).
    Traveller.objects.filter(pk=co.pk).update(phone="+51 999 000 222")
    Trip.objects.filter(pk=trip.pk).update(requested_by=users.get(username="a-analyst"))
    analyst = world.client("a-analyst")
    [carl, *_] = analyst.get("/api/v1/help-calls/").json()["results"]
    assert carl["phone"] is None and (carl["lat"], carl["lon"]) == (-13.65432, -73.38765)
    pages.force_login(users.get(username="a-analyst"))
    page = pages.get(reverse("travel:trip", kwargs={"trip": trip.pk})).content.decode()
    assert "Carl Co needs help" in page and "-13.65432, -73.38765" in page
    assert "+51 999 000 222" not in page
    assert reviewer.get(f"/api/v1/help-calls/{carl['id']}/").json()["phone"] == "+51 999 000 222"

    # The traveller signed in (a reader): her own calls, with her phone, not Carl's.
    wanda.user = users.get(username="a-reader")
    wanda.save()
    own = reader.get("/api/v1/help-calls/").json()["results"]
    assert {c["traveller"] for c in own} == {wanda.key} and len(own) == 2
    assert own[0]["phone"] == "+51 999 000 111"
    assert reader.get(f"/api/v1/help-calls/{carl['id']}/").status_code == 404
    assert world.client("b-reader").get(f"/api/v1/help-calls/{carl['id']}/").status_code == 404
