"""Trips made, replaced and deleted through the API with a trip file, as an HR or booking
system would: the file checked whole by the trip file's own checks (each problem located,
nothing saved), the trip read back as the same file, contact details neither shown to nor
wiped by those who may not see them, the workflow's states (409), and the audit log.
(Who may do what, route by route, is walked in test_travel_authorization.py.)"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.auth import get_user_model

from riskatlas.apps.accounts.models import Membership
from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.audit.models import AuditEntry
from riskatlas.apps.travel.models import Segment, Traveller, Trip
from riskatlas.travel.trip_file import normalise_trip
from tests.integration.api.conftest import World

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "trips" / "peru-andahuaylas.yaml"
TRIPS = "/api/v1/trips/"


def example() -> dict[str, Any]:
    """The example trip file as JSON would carry it (its days as text)."""
    data: dict[str, Any] = json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text()), default=str))
    return data


def post(world: World, user: str, body: Any, query: str = "") -> Any:
    return world.client(user).post(TRIPS + query, json.dumps(body), content_type="application/json")


def put(world: World, user: str, pk: int, body: Any, if_match: str | None = None) -> Any:
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    return world.client(user).put(
        f"{TRIPS}{pk}/", json.dumps(body), content_type="application/json", **headers
    )


def replaced(world: World, user: str, pk: int, body: Any, if_match: str) -> Any:
    """The trip replaced with the file ``body`` by ``user``, who read it as ``if_match``."""
    response = put(world, user, pk, body, if_match)
    assert response.status_code == 200, response.content
    return response


def trip_file(world: World, user: str, pk: int) -> dict[str, Any]:
    response = world.client(user).get(f"{TRIPS}{pk}/file/")
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def test_a_trip_file_makes_a_draft_trip_that_reads_back_as_the_same_file(world: World):
    sent = example()
    response = post(world, "a-admin", sent, "?team=field-team")
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"].endswith(f"{TRIPS}{body['id']}/")
    assert (body["team"], body["slug"], body["status"]) == (
        "field-team",
        "peru-andahuaylas",
        "draft",
    )
    assert [s["place"] for s in body["segments"]] == ["Lima", "Andahuaylas", "Huancavelica"]
    assert body["travellers"][0]["email"] == "rosa.quispe@example.org"  # the admin sees it
    got = trip_file(world, "a-admin", body["id"])
    assert normalise_trip(got) == normalise_trip(sent)  # the same trip, defaults filled in
    # The file as read is a fixed point: sent back, it reads back the same, key for key.
    again = put(world, "a-admin", body["id"], got)
    assert again.status_code == 200, again.content
    assert trip_file(world, "a-admin", body["id"]) == got
    assert world.client("a-admin").get(f"{TRIPS}{body['id']}/check/").status_code == 200


def test_a_bad_trip_file_is_refused_with_every_problem_located_and_nothing_saved(world: World):
    before = (Trip.objects.count(), Traveller.objects.count(), AuditEntry.objects.count())
    schema_breaks = example()
    del schema_breaks["trip"]["title"]
    schema_breaks["segments"][1]["transport"] = "plane"
    response = post(world, "a-analyst", schema_breaks)
    assert response.status_code == 400, response.content
    body = response.json()
    assert "nothing was saved" in body["detail"]
    problems = {p["at"]: p for p in body["problems"]}
    assert set(problems) == {"trip.title", "segments[1].transport"}, problems
    assert "missing" in problems["trip.title"]["message"]
    assert problems["segments[1].transport"]["path"] == ["segments", 1, "transport"]
    # The trip file's own checks beyond its schema, as the CLI and the pages' import make them.
    backwards = example()
    backwards["segments"][2]["start"] = "2027-03-10"
    backwards["segments"][2]["end"] = "2027-03-10"
    backwards["travellers"].append(dict(backwards["travellers"][0]))
    response = post(world, "a-analyst", backwards)
    assert response.status_code == 400, response.content
    at = [p["at"] for p in response.json()["problems"]]
    assert at == ["travellers[1].id", "segments[2].start"], at
    not_a_file = post(world, "a-analyst", ["riskatlas_trip", 1])
    assert not_a_file.status_code == 400
    assert not_a_file.json()["problems"][0]["message"] == "must be a mapping"
    after = (Trip.objects.count(), Traveller.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_contact_details_are_neither_shown_to_nor_wiped_by_an_analyst(world: World):
    made = post(world, "a-analyst", example())
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert made.json()["travellers"][0]["email"] is None  # sent, but not theirs to see
    seen = trip_file(world, "a-analyst", pk)
    assert "email" not in seen["travellers"][0] and "emergency_contact" not in seen["travellers"][0]
    seen["trip"]["title"] = "Field visit, shortened"
    seen["segments"] = seen["segments"][:2]
    assert put(world, "a-analyst", pk, seen).status_code == 200
    full = trip_file(world, "a-admin", pk)
    assert full["trip"]["title"] == "Field visit, shortened" and len(full["segments"]) == 2
    rosa = full["travellers"][0]
    assert rosa["email"] == "rosa.quispe@example.org"
    assert rosa["emergency_contact"]["name"] == "Julio Quispe"
    # Those who see the details change them with the file: left out is then removed.
    del rosa["phone"]
    assert put(world, "a-admin", pk, full).status_code == 200
    assert Traveller.objects.get(key="rosa-quispe").phone == ""


def test_the_workflow_decides_what_may_change(world: World):
    made = post(world, "a-analyst", example())
    pk = made.json()["id"]
    again = post(world, "a-analyst", example())
    assert again.status_code == 409
    assert again.json()["trip"] == pk and f"{TRIPS}{pk}/" in again.json()["detail"]
    renamed = trip_file(world, "a-analyst", pk)
    renamed["trip"]["id"] = "another-id"
    refused = put(world, "a-analyst", pk, renamed)
    assert refused.status_code == 400
    assert [p["at"] for p in refused.json()["problems"]] == ["trip.id"]
    client = world.client("a-analyst")
    requested = client.post(f"{TRIPS}{pk}/request/", content_type="application/json")
    assert requested.status_code == 200, requested.content
    status = requested.json()["status"]
    assert status != "draft"
    changed = trip_file(world, "a-analyst", pk)
    changed["trip"]["title"] = "Changed after the request"
    conflict = put(world, "a-analyst", pk, changed)
    assert conflict.status_code == 409
    assert "approvals rest on" in conflict.json()["detail"]
    assert client.delete(f"{TRIPS}{pk}/").status_code == 409
    assert Trip.objects.get(pk=pk).title != "Changed after the request"
    # Reopened (what its decision rested on changed), it is to be requested again: its file
    # may replace it, while it may not be deleted (it was requested once).
    Trip.objects.filter(pk=pk).update(status=Trip.Status.REOPENED)
    assert put(world, "a-analyst", pk, changed).status_code == 200
    assert Trip.objects.get(pk=pk).title == "Changed after the request"
    assert client.delete(f"{TRIPS}{pk}/").status_code == 409
    assert client.post(f"{TRIPS}{pk}/cancel/", content_type="application/json").status_code == 200
    assert put(world, "a-analyst", pk, changed).json()["detail"] == "the trip is cancelled"
    assert Trip.objects.filter(pk=pk).exists()


def test_changes_are_in_the_audit_log_under_the_token_user(world: World):
    made = post(world, "a-analyst", example())
    pk = made.json()["id"]
    created = AuditEntry.objects.get(object_type="trip", object_id=pk, action="created")
    assert (created.username, created.via, created.team.slug) == ("a-analyst", "api", "field-team")
    file = trip_file(world, "a-admin", pk)
    file["trip"]["title"] = "Renamed by the HR system"
    assert put(world, "a-admin", pk, file).status_code == 200
    changed = AuditEntry.objects.filter(object_type="trip", object_id=pk, action="changed").get()
    assert (changed.username, changed.via) == ("a-admin", "api")
    assert changed.after["title"] == "Renamed by the HR system"
    segments = list(Segment.objects.filter(trip_id=pk).values_list("pk", flat=True))
    assert world.client("a-analyst").delete(f"{TRIPS}{pk}/").status_code == 204
    assert not Trip.objects.filter(pk=pk).exists() and not Segment.objects.filter(trip_id=pk)
    deleted = AuditEntry.objects.filter(action="deleted", via="api", username="a-analyst")
    assert {(e.object_type, e.object_id) for e in deleted} >= {
        ("trip", pk),
        *(("segment", s) for s in segments),
    }
    assert all(e.team.slug == "field-team" for e in deleted)


def test_the_team_is_named_when_the_analyst_has_several(world: World):
    user = Membership.objects.get(user__username="a-analyst").user
    Membership.objects.create(user=user, team=ensure_team("Other team"), role="analyst")
    response = post(world, "a-analyst", example())
    assert response.status_code == 400 and response.json() == {
        "team": ["you are in several teams: say which"]
    }
    response = post(world, "a-analyst", copy.deepcopy(example()), "?team=other-team")
    assert response.status_code == 201 and response.json()["team"] == "other-team"


def test_a_trip_changed_meanwhile_is_neither_replaced_nor_deleted(world: World):
    made = post(world, "a-analyst", example())
    pk = made.json()["id"]
    client = world.client("a-analyst")
    read = client.get(f"{TRIPS}{pk}/")
    tag = read["ETag"]
    assert tag.startswith('"') and client.get(f"{TRIPS}{pk}/file/")["ETag"] == tag
    mine = trip_file(world, "a-analyst", pk)
    mine["trip"]["title"] = "The analyst's title"
    # The HR system replaces the trip after the analyst read it.
    hr = world.client("a-admin")
    theirs_read = hr.get(f"{TRIPS}{pk}/file/")
    theirs = theirs_read.json()
    theirs["trip"]["title"] = "The HR system's title"
    by_hr = replaced(world, "a-admin", pk, theirs, theirs_read["ETag"])
    assert by_hr["ETag"] != theirs_read["ETag"]
    now = client.get(f"{TRIPS}{pk}/")["ETag"]  # the analyst's, without contact details
    assert now != tag
    stale = put(world, "a-analyst", pk, mine, tag)
    assert stale.status_code == 409, stale.content
    body = stale.json()
    assert "nothing was saved" in body["detail"]
    assert body["stored"]["title"] == "The HR system's title"
    # The trip as stored, shown to someone who may not see contact details: without them.
    rosa = next(t for t in body["stored"]["travellers"] if t["id"] == "rosa-quispe")
    assert (rosa["email"], rosa["phone"], rosa["emergency_contact"]) == (None, None, None)
    assert "rosa.quispe@example.org" not in stale.content.decode()
    assert body["yours"]["trip"]["title"] == "The analyst's title"
    assert stale["ETag"] == now
    assert client.delete(f"{TRIPS}{pk}/", HTTP_IF_MATCH=tag).status_code == 409
    assert Trip.objects.get(pk=pk).title == "The HR system's title"
    # With the trip's ETag now (or *), the change is made.
    again = replaced(world, "a-analyst", pk, mine, now)
    assert again.json()["title"] == "The analyst's title"
    assert client.delete(f"{TRIPS}{pk}/", HTTP_IF_MATCH=again["ETag"]).status_code == 204


def test_a_trips_etag_follows_only_what_its_reader_sees(world: World):
    pk = post(world, "a-analyst", example()).json()["id"]
    before = {u: world.client(u).get(f"{TRIPS}{pk}/")["ETag"] for u in ("a-analyst", "a-admin")}
    Traveller.objects.filter(key="rosa-quispe").update(phone="+51 999 000 111")
    after = {u: world.client(u).get(f"{TRIPS}{pk}/")["ETag"] for u in ("a-analyst", "a-admin")}
    assert after["a-analyst"] == before["a-analyst"]  # no phone shown, no change to see
    assert after["a-admin"] != before["a-admin"]
    Traveller.objects.filter(key="rosa-quispe").update(experience="new-to-country")
    assert world.client("a-analyst").get(f"{TRIPS}{pk}/")["ETag"] != after["a-analyst"]


def test_a_trip_file_sent_back_unchanged_writes_nothing(world: World):
    pk = post(world, "a-analyst", example()).json()["id"]
    segments = list(Segment.objects.filter(trip_id=pk).values_list("pk", flat=True))
    entries = AuditEntry.objects.count()
    for user in ("a-analyst", "a-admin"):  # without and with the contact details
        read = world.client(user).get(f"{TRIPS}{pk}/file/")
        response = replaced(world, user, pk, read.json(), read["ETag"])
        assert response["ETag"] == read["ETag"], user
    assert list(Segment.objects.filter(trip_id=pk).values_list("pk", flat=True)) == segments
    assert AuditEntry.objects.count() == entries


def test_contact_details_one_may_not_see_are_neither_overwritten_nor_probed(world: World):
    """An analyst who may not see Rosa's phone sends the file with a phone written in: a wrong
    guess does not overwrite the stored one and a right guess is not told apart from it (the
    same answer and ETag, nothing written either way)."""
    pk = post(world, "a-analyst", example()).json()["id"]
    stored = Traveller.objects.get(key="rosa-quispe").phone
    assert stored
    entries = AuditEntry.objects.count()
    answers = []
    for guess in ("+51 000 000 000", stored):
        sent = trip_file(world, "a-analyst", pk)
        sent["travellers"][0]["phone"] = guess
        sent["travellers"][0]["emergency_contact"] = {"name": "Someone else", "phone": guess}
        response = put(world, "a-analyst", pk, sent)
        assert response.status_code == 200, response.content
        answers.append((response["ETag"], response.json()))
    assert answers[0] == answers[1]
    rosa = Traveller.objects.get(key="rosa-quispe")
    assert rosa.phone == stored and rosa.emergency_name == "Julio Quispe"
    assert AuditEntry.objects.count() == entries


def test_a_change_to_contact_details_leaves_the_etag_of_those_who_may_not_see_them(world: World):
    """The admin changes only Rosa's phone with the trip file: the analyst, who sees no phone,
    reads the same ETag as before and replaces the trip with the one they read (no 409 that
    would tell them something changed); the admin's own ETag follows the change."""
    pk = post(world, "a-analyst", example()).json()["id"]
    analyst = world.client("a-analyst")
    read = analyst.get(f"{TRIPS}{pk}/file/")
    admin_read = world.client("a-admin").get(f"{TRIPS}{pk}/file/")
    full = admin_read.json()
    full["travellers"][0]["phone"] = "+51 1 555 0999"
    changed = replaced(world, "a-admin", pk, full, admin_read["ETag"])
    assert changed["ETag"] != admin_read["ETag"]
    assert Traveller.objects.get(key="rosa-quispe").phone == "+51 1 555 0999"
    assert analyst.get(f"{TRIPS}{pk}/")["ETag"] == read["ETag"]
    mine = read.json()
    mine["trip"]["title"] = "The analyst's title"
    replaced(world, "a-analyst", pk, mine, read["ETag"])
    assert Traveller.objects.get(key="rosa-quispe").phone == "+51 1 555 0999"


def test_a_decided_trip_is_not_replaced_by_a_file(world: World):
    """As the pages' import: a trip file replaces a draft or reopened trip only."""
    pk = post(world, "a-analyst", example()).json()["id"]
    Trip.objects.filter(pk=pk).update(status=Trip.Status.APPROVED)
    sent = trip_file(world, "a-analyst", pk)
    sent["trip"]["title"] = "Changed after the decision"
    refused = put(world, "a-analyst", pk, sent)
    assert refused.status_code == 409, refused.content
    assert refused.json()["detail"].startswith("the trip is approved: ")
    trip = Trip.objects.get(pk=pk)
    assert trip.status == Trip.Status.APPROVED and trip.title != sent["trip"]["title"]


def test_a_traveller_reads_her_own_contact_details_in_the_trip_file(world: World):
    """Rosa (a reader of the team, her profile linked to her account) gets her own contact
    details in the trip file, as in the trip itself; not a co-traveller's."""
    sent = example()
    sent["travellers"].append(
        {
            "id": "tomas-rojas",
            "name": "Tomás Rojas",
            "staff": "national",
            "email": "tomas.rojas@example.org",
            "emergency_contact": {"name": "Elena Rojas", "phone": "+51 1 555 0188"},
        }
    )
    pk = post(world, "a-admin", sent, "?team=field-team").json()["id"]
    reader = get_user_model().objects.get(username="a-reader")
    Traveller.objects.filter(key="rosa-quispe").update(user=reader)
    got = {t["id"]: t for t in trip_file(world, "a-reader", pk)["travellers"]}
    assert got["rosa-quispe"]["email"] == "rosa.quispe@example.org"
    assert got["rosa-quispe"]["emergency_contact"]["name"] == "Julio Quispe"
    assert "email" not in got["tomas-rojas"] and "emergency_contact" not in got["tomas-rojas"]
    shown = {t["id"]: t for t in world.client("a-reader").get(f"{TRIPS}{pk}/").json()["travellers"]}
    assert shown["rosa-quispe"]["email"] == got["rosa-quispe"]["email"]
    assert shown["tomas-rojas"]["email"] is None
