"""Issue 14's done-when with real processes: a `riskatlas worker` on the default SQLite queue
and a real SMTP server (aiosmtpd). The Peru trip is approved (the worker emails Rosa her
check-in plan); then a Peru version raising Huancavelica's level is published in another
process, and the worker sends exactly one email to the traveller and one to the approver, and
the trip's decision is reopened. Each test has its own RISKATLAS_HOME; the test database is
not touched."""

from __future__ import annotations

import email
import email.policy
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

SET_UP = """
from riskatlas.django_setup import migrate, setup_django
setup_django()
migrate()
from tests.integration.care.peru_trip import approve, set_up_team
team = set_up_team()
trip = approve(team["trip"], team["ana"], team["marta"])
print(trip.pk, trip.status)
"""

PUBLISH = """
from riskatlas.django_setup import setup_django
setup_django()
from django.contrib.auth import get_user_model
from riskatlas.apps.assessments import workflow
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.assessments.writer import import_document
from tests.integration.care.peru_trip import raised_huancavelica
users = get_user_model().objects
v1 = AssessmentVersion.objects.get(assessment__slug="pe-2009", number=1)
v2 = import_document(raised_huancavelica(v1), team=v1.assessment.team).version
workflow.submit_for_review(v2, users.get(username="ana"))
workflow.approve(v2, users.get(username="marta"))
workflow.publish(v2, users.get(username="marta"))
print(v2.number)
"""


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 OK"

    def subjects(self, address: str) -> list[str]:
        return [str(m["Subject"]) for rcpts, m in self.received if address in rcpts]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    from aiosmtpd.controller import Controller

    box, port = Inbox(), _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture
def worker_env(tmp_path: Path, inbox: tuple[Inbox, int]) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        RISKATLAS_HOME=str(tmp_path / "home"), EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(inbox[1]),
        RISKATLAS_EVENTS_DB=str(tmp_path / "no-store.duckdb"),
    )  # fmt: skip
    yield env


def _python(env: dict[str, str], script: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True,
        text=True, timeout=300,
    )  # fmt: skip
    return done.stdout.strip().splitlines()[-1]


def _wait_for(check: Any, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the worker never sent it"
        time.sleep(0.3)


def test_a_worker_emails_traveller_and_approver_once_when_a_level_rises(
    worker_env: dict[str, str], inbox: tuple[Inbox, int], tmp_path: Path
) -> None:
    box = inbox[0]
    pk, status = _python(worker_env, SET_UP).split()
    assert status == "approved"
    worker = subprocess.Popen(
        [sys.executable, "-m", "riskatlas", "worker", "--threads", "1"], env=worker_env,
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(lambda: box.subjects("rosa.quispe@example.org"))
        assert box.subjects("rosa.quispe@example.org")[0].startswith("Check-in plan: ")
        box.received.clear()

        assert _python(worker_env, PUBLISH) == "2"
        _wait_for(lambda: len(box.received) >= 2)
        time.sleep(3)  # anything sent twice would arrive by now
        title = "Field visit to the Andahuaylas project and the Huancavelica partner"
        expected = [f"Levels changed on {title}: the decision is reopened"]
        assert box.subjects("rosa.quispe@example.org") == expected
        assert box.subjects("marta@example.org") == expected
        assert len(box.received) == 2
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    with sqlite3.connect(tmp_path / "home" / "riskatlas.sqlite3") as db:
        status, because = db.execute(
            "SELECT status, reopened_because FROM travel_trip WHERE id = ?", (int(pk),)
        ).fetchone()
    assert status == "reopened" and "PE-HUV" in because
