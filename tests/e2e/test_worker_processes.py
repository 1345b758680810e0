"""Background jobs end to end: real `riskatlas worker` processes on each queue backend (the
default SQLite file, and Redis), a report queued as the web queues it, the file arriving; a
worker killed in the middle of a job leaves it to the next worker, never lost.

Each test gets its own RISKATLAS_HOME (SQLite database, queue file, reports) with the Peru
example imported through the command line; nothing here touches the test database.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("RISKATLAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

ENQUEUE = """
from django.db import transaction
from riskatlas.django_setup import setup_django
setup_django()
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.jobs.tasks import start_report
with transaction.atomic():
    job = start_report(AssessmentVersion.objects.get(assessment__slug="pe-2009"), "pdf")
print(job.pk)
"""


def _env(home: Path, redis: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(RISKATLAS_HOME=str(home), RISKATLAS_JOB_STALL_SECONDS="3")
    if redis:
        env["REDIS_URL"] = REDIS_URL
    return env


def _riskatlas(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riskatlas", *args], env=env, cwd=ROOT, check=True,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _job(home: Path, pk: int) -> tuple[str, int, str, str]:
    with sqlite3.connect(home / "riskatlas.sqlite3") as db:
        row = db.execute(
            "SELECT state, attempts, file, message FROM jobs_job WHERE id = ?", (pk,)
        ).fetchone()
    return row


def _wait(home: Path, pk: int, states: set[str], seconds: float = 240) -> tuple[str, int, str, str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        row = _job(home, pk)
        if row[0] in states:
            return row
        time.sleep(0.2)
    raise AssertionError(f"job {pk} never reached {states}: {_job(home, pk)}")


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def _start_worker(
    env: dict[str, str], workers: list[subprocess.Popen[bytes]]
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "riskatlas", "worker", "--threads", "1"], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers.append(process)
    return process


def _prepared(tmp_path: Path, redis: bool) -> tuple[Path, dict[str, str], int]:
    home = tmp_path / "home"
    env = _env(home, redis)
    _riskatlas(env, "import", str(ROOT / "examples" / "peru-2009.yaml"))
    pk = _enqueue(env)
    return home, env, pk


def _enqueue(env: dict[str, str]) -> int:
    out = subprocess.run(
        [sys.executable, "-c", ENQUEUE], env=env, cwd=ROOT, check=True, capture_output=True,
        text=True, timeout=120,
    )  # fmt: skip
    return int(out.stdout.strip().splitlines()[-1])


def _redis_or_skip() -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    except Exception as exc:
        if os.environ.get("REQUIRE_REDIS") == "1":
            raise
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


def _assert_peru_pdf(path: str) -> None:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(Path(path).read_bytes()))
    assert len(reader.pages) > 5
    assert "Peru" in reader.pages[0].extract_text()


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_a_worker_renders_a_queued_report(tmp_path: Path, workers: list, backend: str) -> None:
    if backend == "redis":
        _redis_or_skip()
    home, env, pk = _prepared(tmp_path, redis=backend == "redis")
    assert _job(home, pk)[0] == "queued"
    if backend == "sqlite":
        assert (home / "queue.sqlite3").is_file()
    _start_worker(env, workers)
    state, attempts, file, message = _wait(home, pk, {"done", "failed"})
    assert (state, attempts) == ("done", 1), message
    assert Path(file).parent == home / "reports"
    _assert_peru_pdf(file)


def test_a_job_whose_worker_is_killed_is_done_by_the_next(tmp_path: Path, workers: list) -> None:
    home, env, pk = _prepared(tmp_path, redis=False)
    first = _start_worker(env, workers)
    _wait(home, pk, {"running"})
    first.send_signal(signal.SIGKILL)  # no chance to tidy up: the heartbeat just stops
    first.wait(timeout=30)
    assert _job(home, pk)[0] == "running"
    _start_worker(env, workers)  # on start it finds the stalled job and queues it again
    state, attempts, file, message = _wait(home, pk, {"done", "failed"})
    assert (state, attempts) == ("done", 2), message
    _assert_peru_pdf(file)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_demo_prepares_a_pdf_in_the_background(
    tmp_path: Path,
    browser,
    workers: list,
    screenshot,  # type: ignore[no-untyped-def]
) -> None:
    """As a reader would: the demo (which starts its own worker), the PDF button, a page that
    waits and then offers the file."""
    import urllib.request

    home = tmp_path / "home"
    env = _env(home, redis=False)
    env["RISKATLAS_DEMO_PASSWORD"] = "a-long-test-password-1"
    port = _free_port()
    demo = subprocess.Popen(
        [sys.executable, "-m", "riskatlas", "demo", "--port", str(port)], env=env, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers.append(demo)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(base + "/accounts/login/", timeout=2)
            break
        except OSError:
            assert time.monotonic() < deadline, "the demo never answered"
            time.sleep(0.5)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    try:
        page = context.new_page()
        page.set_default_timeout(240_000)
        page.goto(base + "/accounts/login/")
        page.fill("#id_username", "reader")
        page.fill("#id_password", "a-long-test-password-1")
        page.click("button[type=submit]")
        page.goto(base + "/assessments/pe-2009/")
        page.click(".downloads button:has-text('PDF')")
        page.wait_for_url(f"{base}/jobs/*/")
        assert page.locator("#job-state").is_visible()
        link = page.locator("a:has-text('Download the PDF')")
        link.wait_for()  # the page asks every second; the worker beside the demo renders it
        screenshot(page, "report-prepared")
        with page.expect_download() as download:
            link.click()
        _assert_peru_pdf(str(download.value.path()))
        # Asked again, the same report is served at once from the file already made.
        page.goto(base + "/assessments/pe-2009/")
        token = page.locator(".downloads input[name=csrfmiddlewaretoken]").get_attribute("value")
        again = context.request.post(
            base + "/assessments/pe-2009/v1/report.pdf/prepare",
            headers={"X-CSRFToken": token or "", "Referer": base + "/"}, max_redirects=0,
        )  # fmt: skip
        assert again.status == 302
        assert again.headers["location"] == "/assessments/pe-2009/v1/report.pdf"
    finally:
        context.close()
    beside = subprocess.run(["pgrep", "-P", str(demo.pid)], capture_output=True, text=True)
    pids = [int(p) for p in beside.stdout.split()]
    assert pids, "the demo started no worker beside it"
    demo.terminate()
    demo.wait(timeout=60)
    for pid in pids:  # the worker stopped with the server (and was reaped by it)
        deadline = time.monotonic() + 30
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not Path(f"/proc/{pid}").exists(), f"worker {pid} outlived the demo"
