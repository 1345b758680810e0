"""Travel fixtures: the Peru assessment and the Peru example trip, read once."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from riskatlas.document import load_document
from riskatlas.travel.check import TripCheck, check_trip
from riskatlas.travel.exposure import Covering
from riskatlas.travel.policy import default_policy
from riskatlas.travel.trip_file import load_trip

ROOT = Path(__file__).resolve().parents[3]
TRIP = ROOT / "examples" / "trips" / "peru-andahuaylas.yaml"
TODAY = dt.date(2026, 12, 3)


@pytest.fixture(scope="session")
def peru_doc(peru_yaml: Path) -> dict[str, Any]:
    return load_document(peru_yaml)


@pytest.fixture
def trip() -> dict[str, Any]:
    return load_trip(TRIP)


def check(trip: dict[str, Any], doc: dict[str, Any], **kwargs: Any) -> TripCheck:
    return check_trip(
        copy.deepcopy(trip),
        [Covering(copy.deepcopy(doc), "pe-2009 v1")],
        kwargs.pop("policy", None) or default_policy(),
        kwargs.pop("today", TODAY),
        **kwargs,
    )
