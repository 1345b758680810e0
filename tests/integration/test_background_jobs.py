"""Reports prepared in the background, as the web shows them: the PDF button queues a job,
its page says what is happening and then offers the file; a stalled job is queued again, then
failed with the reason. The job runs here through the same function a worker calls
(``running.run``); tests/e2e/test_worker_processes.py runs real worker processes."""

from __future__ import annotations

import copy
import datetime as dt
from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from riskatlas.apps.accounts.users import add_user, ensure_team
from riskatlas.apps.assessments.interchange import import_document
from riskatlas.apps.jobs import running
from riskatlas.apps.jobs.models import Job
from riskatlas.document import load_document

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password-1"
PREPARE = "/assessments/zz-test/v1/report.pdf/prepare"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RISKATLAS_HOME", str(tmp_path))  # where the prepared files go
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "no-store.duckdb"))
    return tmp_path


@pytest.fixture
def loaded(everything_yaml: Path, home: Path) -> None:
    doc = load_document(everything_yaml)
    doc["assessment"]["status"] = "published"
    import_document(copy.deepcopy(doc), team=ensure_team("Field team"))
    add_user("reader", "Field team", "reader", PASSWORD)
    add_user("outsider", "Other team", "reader", PASSWORD)


def _client(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_pdf_is_queued_then_offered_when_ready(loaded: None, home: Path) -> None:
    client = _client("reader")
    response = client.post(PREPARE)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    waiting = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Waiting for a worker" in waiting and 'hx-trigger="every 1s"' in waiting
    assert "queued just now" in waiting and "0\xa0minutes ago" not in waiting
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=3))
    assert "queued 3\xa0minutes ago" in client.get(f"/jobs/{job.pk}/").content.decode()

    done = running.run(job.pk)
    assert done is not None and (done.state, done.attempts) == ("done", 1)
    assert Path(done.file).parent == home / "reports"
    page = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "Download the PDF" in page and "hx-trigger" not in page  # polling stops
    # The file's size as people read it ("607.2 KB"), not a count of bytes.
    size = Path(done.file).stat().st_size
    assert size > 1024 and "bytes" not in page
    assert f"ready ({size / 1024:.1f} KB)" in page or f"ready ({size / 1024**2:.1f} MB)" in page

    pdf = client.get("/assessments/zz-test/v1/report.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == Path(done.file).read_bytes()  # the prepared file, not a new one
    assert "Test" in PdfReader(BytesIO(pdf.content)).pages[0].extract_text()
    # Asked again while nothing has changed: straight to the file, no second job.
    assert client.post(PREPARE)["Location"] == "/assessments/zz-test/v1/report.pdf"
    assert Job.objects.count() == 1


def test_a_job_is_claimed_once(loaded: None) -> None:
    _client("reader").post(PREPARE)
    job = Job.objects.get()
    assert running.claim(job.pk) is not None
    assert running.claim(job.pk) is None  # a second worker (or a repeated message) gets nothing


def test_a_failed_job_says_why_and_offers_another_try(loaded: None) -> None:
    client = _client("reader")
    client.post(PREPARE)
    job = Job.objects.get()

    def broken(_: Job) -> tuple[str, str]:
        raise OSError("No space left on device")

    failed = running.run(job.pk, work=broken)
    assert failed is not None and failed.state == "failed"
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "could not be prepared" in page and "No space left on device" in page
    assert '<button type="submit" class="button">Try again</button>' in page


def test_another_team_cannot_see_the_job(loaded: None) -> None:
    _client("reader").post(PREPARE)
    job = Job.objects.get()
    assert _client("outsider").get(f"/jobs/{job.pk}/").status_code in (403, 404)
    assert _client("outsider").post(PREPARE).status_code in (403, 404)
    assert Job.objects.count() == 1


def test_a_stalled_job_is_queued_again_then_failed(loaded: None, settings) -> None:  # type: ignore[no-untyped-def]
    settings.JOB_STALL_SECONDS = 60
    _client("reader").post(PREPARE)
    job = Job.objects.get()
    running.claim(job.pk)  # a worker took it, then died: its heartbeat stops here
    later = timezone.now() + dt.timedelta(seconds=61)
    queued: list[int] = []
    assert running.recover(queued.append, now=timezone.now()) == []  # still within the time
    assert running.recover(queued.append, now=later) == [job.pk] and queued == [job.pk]
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("queued", 1)

    running.claim(job.pk)  # the second attempt's worker dies too
    assert running.recover(queued.append, now=later + dt.timedelta(seconds=61)) == []
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.message == "The worker running it stopped, 2 times; it was not tried again."
