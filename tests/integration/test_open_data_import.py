"""Importing an events file through the web, as an analyst does: upload it, follow the job,
read what it did (rows by outcome, each quarantined row's line and reason) or why nothing was
imported, naming the file and its line. The job runs here through the function a worker calls
(``running.run``)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from riskatlas.apps.accounts.users import add_user
from riskatlas.apps.jobs import running
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
