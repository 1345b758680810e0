"""Who reads a trip's check-ins (``access.check_ins_for``, the care pages' and the API's rule)
in one query, however many teams the reader belongs to."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.travel.access import check_ins_for
from riskatlas.apps.travel.models import ApproverRole, CheckIn

from .conftest import PASSWORD, Peru


def _read(user: object) -> tuple[list[CheckIn], int]:
    """The user's check-ins and the queries their reading took."""
    with CaptureQueriesContext(connection) as queries:
        rows = list(check_ins_for(user))
    return rows, len(queries)


def test_check_ins_are_read_in_one_query_for_one_team_or_four(peru: Peru) -> None:
    """Jorge, a reader holding an approver role in the Field team, follows its trip's
    check-ins; as a member of three more teams (a reviewer in one, a reader holding an
    approver role in another), he reads the same ones in as many queries as with one team."""
    rosa = peru.trip.travellers.get()
    due = [dt.datetime(2027, 3, 15, hour, tzinfo=dt.UTC) for hour in (13, 20)]
    made = [CheckIn.objects.create(trip=peru.trip, traveller=rosa, due_at=d) for d in due]
    add_user("jorge", "Field team", "reader", PASSWORD)
    jorge = get_user_model().objects.get(username="jorge")
    ApproverRole.objects.create(team=peru.team, user=jorge, role="line-manager")
    in_one, queries_one = _read(jorge)
    assert in_one == made
    for team, role in (("Second team", "reviewer"), ("Third team", "reader"),
                       ("Fourth team", "analyst")):  # fmt: skip
        add_user("jorge", team, role, PASSWORD)
    ApproverRole.objects.create(team=ensure_team("Third team"), user=jorge, role="line-manager")
    assert jorge.memberships.count() == 4
    in_four, queries_four = _read(jorge)
    assert in_four == made
    assert queries_one == queries_four == 1
    # A reader of the Field team without an approver role reads none of them.
    assert _read(peru.users["reader"])[0] == []
