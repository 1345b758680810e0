"""The evidence beside an assessment is computed in the background when it goes stale (issue
13): after an import into the store, and after a version's risks change, the queue's tasks
(taken off the queue and run here, as a worker does) put it in the shared cache, so the first
person to open the page afterwards — another app process, with nothing in its own memory —
gets the kept answer and nothing is read from the store for the page."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client

from riskatlas.apps.assessments import page_sections
from riskatlas.apps.assessments.models import Assessment, AssessmentVersion, Risk, Status
from riskatlas.apps.assessments.writer import save_part
from riskatlas.cli import main
from riskatlas.document import load_document
from riskatlas.evidence import evidence_cache
from riskatlas.evidence.evidence_cache import forget
from tests.acled_extract import ARAUCA, AYACUCHO, LIMA, event, full_year, write_extract
from tests.integration.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db
PAGE = "/assessments/pe-2009/"


@pytest.fixture
def queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The task queue on a file of this test's own (no worker or other test shares it)."""
    from huey.contrib.djhuey import HUEY
    from huey.storage import SqliteStorage

    monkeypatch.setattr(HUEY, "storage", SqliteStorage("riskatlas", str(tmp_path / "queue.db")))
    # A worker's task closes its process's old connections before and after; here the task runs
    # in the test's own process, inside the test's transaction, whose connection PostgreSQL
    # would then refuse to use again (a worker process opens its own).
    monkeypatch.setattr("huey.contrib.djhuey.close_old_connections", lambda: None)
    return HUEY


def run_queue() -> list[str]:
    """Take every task off the queue and run it, as a worker does, those scheduled for later
    too (as if their time had come); the tasks' names."""
    from huey.contrib.djhuey import HUEY

    ran = []
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(hours=1)
    for task in HUEY.read_schedule(later):
        HUEY.enqueue(task)
    while (task := HUEY.dequeue()) is not None:
        ran.append(task.name)
        HUEY.execute(task, later)  # as when its time has come
    return ran


@pytest.fixture
def reader(analyst_on_draft: Client) -> Client:
    """An analyst of the team, and the Peru example as a draft (so that it may change)."""
    return analyst_on_draft


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(db))
    return db


def _extract(tmp_path: Path) -> Path:
    """A full year of Peru: 27 protests in Lima and an armed attack in Ayacucho."""
    rows = full_year(LIMA, date(2021, 7, 1), date(2022, 6, 30), "protest", every=14)
    rows.append(event(AYACUCHO, 1, date(2022, 2, 2), "attack", fatalities=1))
    return write_extract(tmp_path / "peru.csv", rows)


def _more(tmp_path: Path) -> Path:
    """Ten more protests, in Ayacucho, in the same year."""
    rows = [event(AYACUCHO, 80000 + i, date(2022, 3, 1 + i), "protest") for i in range(10)]
    return write_extract(tmp_path / "peru-more.csv", rows)


def _import(path: Path) -> None:
    """``riskatlas data import acled PATH --full`` into the configured store."""
    result = CliRunner().invoke(main, ["data", "import", "acled", str(path), "--full"])
    assert result.exit_code == 0, result.output


SECTIONS = "assessments/_sections.html"
#: A first view that found the page's sections prepared by the refresh (in the shared cache):
#: it renders none and reads no evidence at all.
PREPARED = {"kept": 0, "shared": 0, "computed": 0, "sections rendered": 0}


def _first_view(client: Client) -> tuple[str, dict[str, int]]:
    """The page as another app process first shows it (nothing in its own memory), how its
    evidence reads were answered, and whether it rendered the page's sections itself."""
    forget(shared=False)
    page_sections.forget()  # nor the page's sections
    before = evidence_cache.counts()
    response = client.get(PAGE)
    after = evidence_cache.counts()
    reads = {how: after[how] - before[how] for how in after}
    reads["sections rendered"] = int(SECTIONS in [t.name for t in response.templates])
    return response.content.decode(), reads


def _unrest_row(page: str) -> str:
    register = page.index('id="register-table"')
    start = page.index("Staff caught in protests, strikes or roadblocks", register)
    row = page[start : page.index("</tr>", start)]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", row)


def test_after_an_import_the_first_view_finds_the_evidence_kept(
    reader: Client, store: Path, queue: Any, tmp_path: Path
):
    _import(_extract(tmp_path))
    forget()  # nothing kept anywhere: only what the queued refresh computes
    assert run_queue() == ["refresh_evidence_after_import"]
    page, reads = _first_view(reader)
    assert reads == PREPARED
    assert "Open data: 27 events" in _unrest_row(page)
    # The analyst's evidence forms carry her own token, not the prepared HTML's placeholder.
    assert page_sections.TOKEN not in page and 'name="csrfmiddlewaretoken" value="' in page

    # A second import makes every kept answer stale; its refresh computes them again.
    _import(_more(tmp_path))
    stale_page, stale = _first_view(reader)
    assert stale["computed"] == 2 and stale["sections rendered"]  # without the refresh
    forget()
    run_queue()
    page, reads = _first_view(reader)
    assert reads == PREPARED
    assert _unrest_row(page) == _unrest_row(stale_page)  # the same as computed for the page
    assert "Open data: 37 events" in _unrest_row(page)


def test_after_a_risk_changes_the_first_view_finds_its_evidence_kept(
    reader: Client, store: Path, queue: Any, tmp_path: Path, django_capture_on_commit_callbacks
):
    _import(_extract(tmp_path))
    run_queue()
    version = Assessment.objects.get(slug="pe-2009").current_version()
    risk = Risk.objects.get(version=version, key="protests-roadblocks")

    def move() -> Risk:  # from civil unrest to armed conflict: the attack in Ayacucho
        risk.category = "ACI"
        risk.save()
        return risk

    with django_capture_on_commit_callbacks(execute=True):
        save_part(version, move)
    assert run_queue() == ["refresh_evidence_of_versions"]
    page, reads = _first_view(reader)
    assert reads == PREPARED
    assert "Open data: 1 event" in _unrest_row(page)


def test_after_a_new_import_of_the_document_the_first_view_finds_its_evidence_kept(
    reader: Client,
    store: Path,
    queue: Any,
    tmp_path: Path,
    peru_yaml: Path,
    django_capture_on_commit_callbacks,
):
    """The document imported again with a risk moved (``writer.import_document``, as the
    ``import`` command and the import page do) queues its version's refresh."""
    from riskatlas.apps.accounts.users import ensure_team
    from riskatlas.apps.assessments.writer import import_document

    _import(_extract(tmp_path))
    run_queue()
    doc = load_document(peru_yaml)
    doc["assessment"]["status"] = "draft"
    risk = next(r for r in doc["risks"] if r["id"] == "protests-roadblocks")
    risk["category"] = "ACI"  # from civil unrest to armed conflict: the attack in Ayacucho
    with django_capture_on_commit_callbacks(execute=True):
        assert import_document(doc, team=ensure_team("Field team")).action != "unchanged"
    assert run_queue() == ["refresh_evidence_of_versions"]
    page, reads = _first_view(reader)
    assert reads == PREPARED
    assert "Open data: 1 event" in _unrest_row(page)


def test_after_publication_the_first_view_finds_the_evidence_kept(
    reader: Client, store: Path, queue: Any, tmp_path: Path, django_capture_on_commit_callbacks
):
    """Publishing through the review pages (the workflow's ``publish``, the version's hook)
    queues the version's refresh; the first view of the published page computes nothing."""
    from riskatlas.apps.accounts.users import add_user

    _import(_extract(tmp_path))
    run_queue()
    version = Assessment.objects.get(slug="pe-2009").current_version()
    # The example's review-by date (2010) has passed, which the publication gate refuses.
    AssessmentVersion.objects.filter(pk=version.pk).update(
        review_by=date.today() + dt.timedelta(days=365)
    )
    add_user("reviewer", "Field team", "reviewer", PASSWORD)
    review = f"{PAGE}v{version.number}/review/"
    assert reader.post(f"{review}submit/").status_code == 302
    assert client_for("reviewer").post(f"{review}approve/").status_code == 302
    forget()  # nothing kept anywhere: only what the publication's refresh computes
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("reviewer").post(f"{review}publish/").status_code == 302
    version.refresh_from_db()
    assert version.status == Status.PUBLISHED
    assert "refresh_evidence_of_versions" in run_queue()  # beside the readers' notice
    page, reads = _first_view(reader)
    assert reads == PREPARED
    assert "Open data: 27 events" in _unrest_row(page)


def test_nothing_is_queued_without_a_store_or_for_another_store(
    reader: Client, store: Path, queue: Any, tmp_path: Path, django_capture_on_commit_callbacks
):
    version = Assessment.objects.get(slug="pe-2009").current_version()
    risk = Risk.objects.get(version=version, key="protests-roadblocks")
    with django_capture_on_commit_callbacks(execute=True):
        save_part(version, lambda: risk)  # no store yet
    path = _extract(tmp_path)
    other = tmp_path / "elsewhere.duckdb"
    result = CliRunner().invoke(main, ["data", "import", "acled", str(path), "--db", str(other)])
    assert result.exit_code == 0, result.output
    assert run_queue() == []


def test_the_refresh_leaves_the_store_to_an_import_writing_it(
    reader: Client, store: Path, queue: Any, tmp_path: Path
):
    from riskatlas.apps.assessments import evidence_refresh

    _import(_extract(tmp_path))
    forget()
    # Another process holds the store for writing, as an import does.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(store)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        versions = evidence_refresh.versions_to_refresh()
        assert len(versions) == 1
        assert evidence_refresh.refresh_versions(versions) == 0  # stopped, nothing kept
    finally:
        holder.kill()
        holder.wait()
    _, reads = _first_view(reader)
    assert reads == {"kept": 0, "shared": 0, "computed": 2, "sections rendered": 1}


HOLD = (
    "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]);"
    " print('held', flush=True); time.sleep(60)"
)


def _listed(store: Path) -> list[str]:
    from riskatlas.evidence.event_days import listed
    from riskatlas.evidence.store import connect

    con = connect(store, read_only=True)
    try:
        return listed(con)
    finally:
        con.close()


def test_the_assessed_countries_are_counted_by_day_for_their_pages(
    reader: Client, store: Path, queue: Any, tmp_path: Path
):
    """The store counts by day the events of the assessments' countries only: the import
    command asks for them, and the worker's refresh counts those an import did not (here one
    made without asking, as by another tool); the page reads the same figures either way."""
    from riskatlas.apps.assessments import evidence_refresh
    from riskatlas.evidence.operations import import_into_store

    arauca = [event(ARAUCA, 70000 + i, date(2022, 3, 1 + i), "clash") for i in range(3)]
    import_into_store("acled", write_extract(tmp_path / "colombia.csv", arauca), store)
    import_into_store("acled", _extract(tmp_path), store)
    assert _listed(store) == []  # nothing asked for: the page counts from the events
    forget()
    from_events, reads = _first_view(reader)
    assert reads["computed"] == 2
    assert "Open data: 27 events" in _unrest_row(from_events)

    forget()
    assert evidence_refresh.refresh_versions(evidence_refresh.versions_to_refresh()) == 1
    assert _listed(store) == ["PER"]  # Peru's events counted; Colombia's are read from events
    forget()
    from_days, _ = _first_view(reader)
    assert _unrest_row(from_days) == _unrest_row(from_events)

    _import(_more(tmp_path))  # the command keeps Peru counted
    assert _listed(store) == ["PER"]
    forget()
    page, _ = _first_view(reader)
    assert "Open data: 37 events" in _unrest_row(page)
