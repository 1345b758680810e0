"""Why a trip needs an approval or a measure reads as one line on the trip page and in
`riskatlas trip check`: the policy's reasons joined by "; " without the full stop each rule's
reason ends in ("…a journey plan; rule off-road: …", not "…a journey plan.; rule …"), while the
check's reasons, which its fingerprint is made of, stay as the policy words them."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.test import Client

from riskatlas.apps.travel import deciding
from riskatlas.apps.travel.models import Approval
from riskatlas.travel.policy import default_policy_text
from tests.integration.conftest import own_sqlite_files, run_riskatlas

from .conftest import TRIP_FILE, Peru

JOINED = (
    "rule road-travel-high: Road journeys at level 4 and above need a journey plan; "
    "rule off-road: Off-road journeys leave mobile coverage and medical care behind"
)


def _page(peru: Peru, username: str) -> str:
    client = Client()
    client.force_login(peru.users[username])
    response = client.get(f"/trips/{peru.trip.pk}/")
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.mark.django_db
def test_the_trip_page_joins_the_rules_reasons_without_their_full_stops(peru: Peru):
    page = _page(peru, "analyst")
    assert JOINED in page  # the measures' reasons, before the trip is requested
    assert ".; " not in page
    measures = deciding.check(peru.trip).as_dict()["measures"]
    assert any(r.endswith("plan.") for m in measures for r in m["reasons"])  # kept as worded
    analyst = Client()
    analyst.force_login(peru.users["analyst"])
    analyst.post(f"/trips/{peru.trip.pk}/request/")
    recorded = [a.why for a in Approval.objects.filter(trip=peru.trip)]
    assert recorded and not any(".; " in why for why in recorded)
    # An approval recorded before (its reasons joined with their stops) reads the same.
    Approval.objects.filter(trip=peru.trip).update(why=JOINED.replace("plan; ", "plan.; "))
    page = _page(peru, "manager")
    assert f"Why: {JOINED}" in page and ".; " not in page


@own_sqlite_files
def test_the_trip_command_joins_the_reasons_without_their_full_stops(
    peru_yaml: Path, tmp_path: Path
):
    # The regional security manager also signs for road travel: two rules' reasons on one line.
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        default_policy_text().replace(
            "    measures: [journey-plan]\n",
            "    measures: [journey-plan]\n    approvals: [regional-security-manager]\n",
        ),
        encoding="utf-8",
    )
    out = run_riskatlas(
        ["trip", "check", str(TRIP_FILE), "--assessment", str(peru_yaml), "--policy", str(policy)],
        tmp_path / "db.sqlite3",
        tmp_path,
    )
    assert out.returncode == 0, out.stderr
    approvals = out.stdout.split("Approvals, in order:")[1].split("Measures:")[0]
    assert (
        "it still holds before travel; rule road-travel-high: Road journeys at level 4 and "
        "above need a journey plan\n" in approvals
    )
    assert ".; " not in approvals
