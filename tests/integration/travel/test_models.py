"""The travel models: stored, ordered, and every change recorded in the team's audit log."""

from __future__ import annotations

import datetime as dt

import pytest

from riskatlas.apps.accounts.users import ensure_team
from riskatlas.apps.audit.models import AuditEntry
from riskatlas.apps.travel.models import Segment, Traveller, Trip

pytestmark = pytest.mark.django_db


def test_a_trip_and_its_segments_are_audited_under_the_team():
    team = ensure_team("Field team")
    rosa = Traveller.objects.create(
        team=team,
        key="rosa-quispe",
        name="Rosa Quispe",
        staff="national",
        experience="new-to-region",
    )
    trip = Trip.objects.create(team=team, slug="peru", title="Field visit to Andahuaylas")
    trip.travellers.add(rosa)
    Segment.objects.create(
        trip=trip,
        order=1,
        place="Lima",
        area="PE-LMA",
        start=dt.date(2027, 3, 15),
        end=dt.date(2027, 3, 15),
    )
    trip.title = "Field visit to Andahuaylas and Huancavelica"
    trip.save()
    entries = AuditEntry.objects.filter(team=team).order_by("id")
    assert [(e.action, e.object_type) for e in entries] == [
        ("created", "traveller"),
        ("created", "trip"),
        ("created", "segment"),
        ("changed", "trip"),
    ]
    assert entries.last().changes() == [
        ("title", "Field visit to Andahuaylas", "Field visit to Andahuaylas and Huancavelica")
    ]
    assert trip.start == dt.date(2027, 3, 15)
