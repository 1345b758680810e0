"""Reading a report in the background: the upload returns at once to a page that shows the
reading's state (polled while it runs), then goes on to the review page; a report that cannot
be read says why there; a reading a stopped server left unfinished is called stopped."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client

from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.apps.drafts.models import Reading, SourceDocument
from tests.integration.conftest import client_for
from tests.integration.drafts.conftest import FIELD_NOTES

pytestmark = pytest.mark.django_db(transaction=True)
READ = "/assessments/zz-test/v1/drafts/read/"


def read_and_wait(client: Client, name: str, data: bytes, seconds: float = 90) -> Reading:
    """Upload ``data`` as ``name`` and wait until the background reading has finished."""
    return post_and_wait(client, {"file": SimpleUploadedFile(name, data), "title": ""}, seconds)


def finished(client: Client, form: dict[str, object], seconds: float = 90) -> HttpResponse:
    """Post the Read a report form, wait for the reading and open its page once finished (a
    redirect to the review page, or the reasons it could not be read)."""
    reading = post_and_wait(client, form, seconds)
    return client.get(f"{READ}{reading.pk}/")


def post_and_wait(client: Client, form: dict[str, object], seconds: float = 90) -> Reading:
    response = client.post(READ, form)
    assert response.status_code == 302, response.content[:500]
    state_url = response["Location"]
    reading = Reading.objects.latest("pk")
    assert state_url.endswith(f"/drafts/read/{reading.pk}/")
    deadline = time.monotonic() + seconds
    while Reading.objects.get(pk=reading.pk).state == Reading.State.READING:
        assert time.monotonic() < deadline, "the reading did not finish"
        time.sleep(0.2)
    return Reading.objects.get(pk=reading.pk)


def test_an_upload_is_read_in_the_background_then_reviewed(version: AssessmentVersion):
    client = client_for("analyst")
    reading = read_and_wait(client, "notes.txt", FIELD_NOTES.encode())
    assert reading.state == "done" and reading.document is not None
    state = client.get(f"{READ}{reading.pk}/")
    assert state.status_code == 302
    assert state["Location"].endswith(f"/drafts/{reading.document.pk}/")
    page = client.get(state["Location"]).content.decode()
    assert "to review" in page and "notes.txt" in page
    # Polled by htmx, the finished reading sends the browser on to the review page.
    polled = client.get(f"{READ}{reading.pk}/", headers={"HX-Request": "true"})
    assert polled.status_code == 204
    assert polled["HX-Redirect"].endswith(f"/drafts/{reading.document.pk}/")


def test_while_it_runs_the_page_says_so_and_polls(version: AssessmentVersion):
    reading = Reading.objects.create(version=version, title="Long field notes", file_name="x.pdf")
    page = client_for("analyst").get(f"{READ}{reading.pk}/").content.decode()
    assert "Reading “Long field notes”…" in page
    assert 'hx-trigger="every 1s"' in page and "<progress" in page


def test_a_report_that_cannot_be_read_says_why_and_adds_nothing(version: AssessmentVersion):
    client = client_for("analyst")
    reading = read_and_wait(client, "advice.pdf", b"%PDF-1.4 not really a pdf")
    assert reading.state == "failed"
    assert reading.message.startswith("advice.pdf: not a readable PDF")
    page = client.get(f"{READ}{reading.pk}/").content.decode()
    assert "could not be read" in page and "advice.pdf: not a readable PDF" in page
    assert "hx-trigger" not in page  # nothing left to wait for
    assert not SourceDocument.objects.exists()


def test_a_reading_left_by_a_stopped_server_is_called_stopped(version: AssessmentVersion):
    reading = Reading.objects.create(version=version, title="Notes")
    Reading.objects.filter(pk=reading.pk).update(
        started_at=reading.started_at - dt.timedelta(hours=1)
    )
    page = client_for("analyst").get(f"{READ}{reading.pk}/").content.decode()
    assert "the reading stopped before it finished" in page
    assert Reading.objects.get(pk=reading.pk).state == "failed"


def test_other_teams_never_see_a_reading(version: AssessmentVersion):
    reading = Reading.objects.create(version=version, title="Notes")
    assert client_for("outsider").get(f"{READ}{reading.pk}/").status_code == 404


def test_an_uploaded_report_has_the_assessments_regions_coded(version: AssessmentVersion):
    """Read in the isolated child process, the upload is read for the assessment's country
    (Peru), as the form says: the region its threat sentence names is proposed as PE-HUC."""
    client = client_for("analyst")
    form = client.get(READ).content.decode()
    assert "It is read for Peru, the assessment's country" in form
    text = "Armed groups ambushed a police patrol in the region of Huánuco last month.\n"
    reading = read_and_wait(client, "patrol.txt", text.encode())
    assert reading.state == "done" and reading.document is not None
    places = reading.document.items.filter(kind="place")
    assert [(p.payload["text"], p.payload["iso_3166"]) for p in places] == [("Huánuco", "PE-HUC")]


@pytest.mark.sqlite_only(reason="the table lock of SQLite's shared cache (Django's test database)")
def test_a_reading_ends_recorded_even_while_its_table_is_being_read(version: AssessmentVersion):
    """The page polls the reading while the thread records its end; SQLite's shared cache (the
    in-memory test database) refuses a write at once while another connection reads the table.
    The end is recorded once the read is over, not lost (the page said "reading" for ever)."""
    import threading

    from django.db import connection

    from riskatlas.apps.drafts.background import _finish

    reading = Reading.objects.create(version=version, title="polled", file_name="notes.txt")
    for n in range(3):  # rows still to read keep the read open
        Reading.objects.create(version=version, title=f"other {n}", file_name="other.txt")
    errors: list[Exception] = []

    def finish() -> None:
        try:
            _finish(Reading.objects.get(pk=reading.pk), Reading.State.FAILED, "stopped")
        except Exception as error:  # what the thread would have died of
            errors.append(error)
        finally:
            from django.db import connection as own

            own.close()

    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM drafts_reading")  # a read left open: the table is locked
        cursor.fetchone()
        worker = threading.Thread(target=finish)
        worker.start()
        time.sleep(0.3)
    worker.join(10)
    assert errors == []
    assert Reading.objects.get(pk=reading.pk).state == Reading.State.FAILED
