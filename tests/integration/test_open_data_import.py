"""Importing an events file through the web, as an analyst does: upload it, follow the job,
read what it did (rows by outcome, each quarantined row's line and reason) or why nothing was
imported, naming the file and its line. The job runs here through the function a worker calls
(``running.run``)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.jobs import running, tasks
from riskatlas.apps.jobs.models import Job
from tests.integration.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password-1"
PAGE = "/open-data/import/"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RISKATLAS_HOME", str(tmp_path))
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "events.duckdb"))
    add_user("analyst", "Field team", "analyst", PASSWORD)
    add_user("reader", "Field team", "reader", PASSWORD)
    return tmp_path / "events.duckdb"


def _upload(client, name: str, content: bytes, **fields: str):  # type: ignore[no-untyped-def]
    data = {"source": "acled", "file": SimpleUploadedFile(name, content), **fields}
    return client.post(PAGE, data)


def test_an_analyst_imports_an_events_file_and_reads_its_quarantined_rows(
    store: Path, fixtures_dir: Path
) -> None:
    client = client_for("analyst")
    assert "Import open data" in client.get("/changes/").content.decode()  # the way in
    # The fixture's rows 6-8 cannot be used (sub-event type, country, date), row 9 repeats 3.
    content = (fixtures_dir / "evidence" / "acled_peru.csv").read_bytes()
    response = _upload(client, "acled_peru.csv", content)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    waiting = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Waiting for a worker" in waiting and "Import of acled_peru.csv" in waiting

    done = running.run(job.pk)
    assert done is not None and done.state == "done"
    page = client.get(f"/jobs/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in page  # polling stops
    assert (
        "9 rows read from acled_peru.csv: 5 added, 0 already present, 3 quarantined, 1 skipped"
        in " ".join(page.split())
    )
    assert "1 skipped: event id repeated within the file" in page
    table = page.split("</table>")[0]
    rows = [" ".join(re.sub("<[^>]+>", " ", r).split()) for r in table.split("<tr>")[2:]]
    assert rows == [
        "6 ACLED sub-event type not in the mapping table: Teleportation",
        "7 country not recognised: Atlantis",
        "8 no valid date",
    ]
    with duckdb.connect(str(store), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone() == (5,)
    listed = client.get(PAGE).content.decode()
    assert "acled_peru.csv" in listed and "5 added, 0 already present, 3 quarantined" in listed


def test_a_file_that_cannot_be_imported_says_which_and_where(store: Path) -> None:
    client = client_for("analyst")
    _upload(client, "my_events.csv", b"a,b\n1,2\n", scope="full")
    job = running.run(Job.objects.get().pk)
    assert job is not None and job.state == "failed"
    page = " ".join(client.get(f"/jobs/{job.pk}/").content.decode().split())
    assert "Nothing was imported from my_events.csv" in page
    assert "my_events.csv: line 1: missing acled column(s) &#x27;event_id_cnty&#x27;" in page
    assert "uploads" not in page and "Error:" not in page  # no server path, no class name
    assert "Upload a corrected file" in page


def test_a_reader_cannot_import(store: Path, fixtures_dir: Path) -> None:
    client = client_for("reader")
    assert client.get(PAGE).status_code == 404
    content = (fixtures_dir / "evidence" / "acled_peru.csv").read_bytes()
    assert _upload(client, "acled_peru.csv", content).status_code == 404
    assert not Job.objects.exists()
    assert "Import open data" not in client.get("/changes/").content.decode()


def test_a_missing_file_or_unknown_source_is_refused_on_the_form(store: Path) -> None:
    client = client_for("analyst")
    response = client.post(PAGE, {"source": "acled"})
    assert response.status_code == 400
    assert "Nothing was imported: Events file: This field is required." in " ".join(
        response.content.decode().split()
    )
    response = _upload(client, "x.csv", b"a\n", source="nonsense")
    assert response.status_code == 400 and not Job.objects.exists()


def _kept(store: Path, job: Job) -> Path:
    return store.parent / "uploads" / str(job.pk)


def test_the_uploaded_file_is_removed_once_its_import_has_ended(
    store: Path, fixtures_dir: Path
) -> None:
    client = client_for("analyst")
    content = (fixtures_dir / "evidence" / "acled_peru.csv").read_bytes()
    _upload(client, "acled_peru.csv", content)
    _upload(client, "broken.csv", b"a,b\n1,2\n")
    imported, refused = Job.objects.order_by("pk")
    assert (_kept(store, imported) / "acled_peru.csv").is_file()  # kept for the worker
    for job, state in ((imported, "done"), (refused, "failed")):
        ended = running.run(job.pk)
        assert ended is not None and ended.state == state
        assert not _kept(store, job).exists()
        page = " ".join(client.get(f"/jobs/{job.pk}/").content.decode().split())
        assert ended.upload_name in page  # the page still names the file
    assert "acled_peru.csv" in client.get(PAGE).content.decode()


def test_an_import_whose_worker_stopped_too_often_leaves_no_file(store: Path) -> None:
    client = client_for("analyst")
    _upload(client, "events.csv", b"a,b\n1,2\n")
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(
        state="running", attempts=2, heartbeat_at=job.created_at - dt.timedelta(hours=1)
    )
    assert running.recover(lambda pk: None) == []
    job.refresh_from_db()
    assert job.state == "failed" and not _kept(store, job).exists()


def test_an_import_that_cannot_be_queued_leaves_no_file(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def queue_down(job_id: int) -> None:
        raise ConnectionError("the queue is not answering")

    monkeypatch.setattr(tasks, "run_job", queue_down)
    client = client_for("analyst")
    response = _upload(client, "events.csv", b"a,b\n1,2\n")
    job = Job.objects.get()
    assert response.status_code == 302 and job.state == "failed"
    assert not _kept(store, job).exists()
    page = " ".join(client.get(f"/jobs/{job.pk}/").content.decode().split())
    assert "Nothing was imported from events.csv" in page
    assert "could not be queued (ConnectionError: the queue is not answering)" in page


class Keeping(TemporaryFileUploadHandler):
    """Django's handler that keeps a big upload in a temporary file, noting what reaches it."""

    received: list[int] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received.append(start + len(raw_data))
        return super().receive_data_chunk(raw_data, start)


def test_a_file_over_the_limit_is_refused_as_it_arrives(store: Path, settings: Any) -> None:
    settings.OPEN_DATA_UPLOAD_MAX_MB = 1
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.Keeping"]
    Keeping.received = []
    client = client_for("analyst")
    response = _upload(client, "acled_all.csv", b"x" * (3 * 1024 * 1024))
    assert response.status_code == 400
    text = " ".join(response.content.decode().split())
    assert (
        "Nothing was imported: Events file: acled_all.csv is larger than 1 MB, the most an"
        " events file uploaded here may hold" in text
    )
    assert "This field is required" not in text
    # The bytes past the limit reached no handler that keeps them.
    assert Keeping.received and max(Keeping.received) <= 1024 * 1024
    assert not Job.objects.exists() and not (store.parent / "uploads").exists()
    # At the limit it is taken.
    assert _upload(client, "acled_1mb.csv", b"x" * (1024 * 1024)).status_code == 302
    assert "at most 1 MB" in client.get(PAGE).content.decode()


def test_an_upload_without_the_forms_csrf_token_is_refused(store: Path) -> None:
    client = client_for("analyst")
    client.handler.enforce_csrf_checks = True
    assert _upload(client, "events.csv", b"a,b\n1,2\n").status_code == 403
    assert not Job.objects.exists() and not (store.parent / "uploads").exists()
