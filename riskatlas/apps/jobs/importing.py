"""Open-data imports from the web: an events file uploaded by an analyst, imported into the
evidence store by a worker (what ``riskatlas data import SOURCE PATH`` does), its outcome kept
on the job: rows by outcome, the quarantined rows' lines and reasons, or why it failed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.text import get_valid_filename

from riskatlas.apps.jobs.models import Job

#: The event files the web imports, as analysts know them (``riskatlas.evidence.catalogue``).
EVENT_FILES = {
    "acled": "ACLED events (CSV export)",
    "ucdp-ged": "UCDP GED events (CSV)",
    "gtd": "Global Terrorism Database (XLSX or CSV)",
    "gdelt": "GDELT events (CSV, or the ZIP it comes in)",
}
SCOPES = {
    "": 'Not stated (a file whose name says "sample" counts as a sample)',
    "full": "Every event of its countries and dates (a full extract)",
    "sample": "A selection of events (a sample)",
}


def uploads_folder() -> Path:
    """Where uploaded files are kept: ``uploads`` beside the evidence store (the store keeps
    each file's path: its coverage and quarantined rows name it)."""
    from riskatlas.evidence.operations import store_path

    return store_path().parent / "uploads"


def upload_name(upload: UploadedFile) -> str:
    """The name the uploaded file is kept under (and its job's page shows)."""
    return get_valid_filename(Path(upload.name or "").name) or "events.csv"


def keep_upload(job: Job, upload: UploadedFile) -> None:
    """Keep the uploaded file for the job's import, in a folder of its own (until the import
    has ended: ``discard_upload``)."""
    folder = uploads_folder() / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / upload_name(upload)
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job.upload = str(path)
    job.save(update_fields=["upload"])


def discard_upload(job: Job) -> None:
    """Remove the job's uploaded file and its folder: its import has ended (done or failed),
    or it could not be queued. ``job.upload`` keeps the file's name for the job's page."""
    shutil.rmtree(uploads_folder() / str(job.pk), ignore_errors=True)


def upload_limit_mb() -> int:
    """The most MB an uploaded events file may hold (``RISKATLAS_OPEN_DATA_UPLOAD_MAX_MB``)."""
    return int(settings.OPEN_DATA_UPLOAD_MAX_MB)


def too_large(name: str) -> str:
    """Why an uploaded file is refused for its size, naming it and the limit."""
    return (
        f"{name} is larger than {upload_limit_mb()} MB, the most an events file uploaded here"
        " may hold (RISKATLAS_OPEN_DATA_UPLOAD_MAX_MB); nothing was kept. Split the file, or"
        " import it on the command line (riskatlas data import)."
    )


class SizeLimit(FileUploadHandler):
    """The first of a request's upload handlers: an events file over the limit is dropped as
    it arrives, so that the bytes past the limit reach no handler that keeps them (in memory
    or in a temporary file); ``refused`` names the file."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.limit = upload_limit_mb() * 1024 * 1024
        self.refused = ""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.refused = Path(self.file_name or "").name or "The file"
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def run_import(job: Job) -> tuple[str, str]:
    """Import the job's file (in a worker); keep what it did on ``job.outcome`` and queue the
    assessments' evidence to be computed again. Returns ("", the outcome in one sentence)."""
    from riskatlas.apps.assessments.evidence_refresh import assessed_countries
    from riskatlas.apps.assessments.tasks import evidence_store_changed
    from riskatlas.evidence.coverage import Scope, scope_for
    from riskatlas.evidence.operations import import_into_store

    path = Path(job.upload)
    scope = Scope(job.scope, "stated when the file was uploaded") if job.scope else scope_for(path)
    quarantined: list[tuple[int | None, str]] = []
    try:
        result = import_into_store(
            job.source, path, scope=scope, quarantined=quarantined, count=assessed_countries
        )
    except (FileNotFoundError, ValueError) as error:  # they name the file (and line)
        raise ImportRefused(_named(str(error), path)) from error
    except Exception as error:  # DuckDB's own errors name the line and column, not the file
        raise ImportRefused(f"{path.name}: {error}") from error
    job.outcome = {
        **result.as_dict(),
        "file": path.name,
        "scope": scope.kind,
        "quarantined": [{"line": line, "reason": reason} for line, reason in quarantined],
    }
    job.save(update_fields=["outcome"])
    evidence_store_changed(path)
    return "", outcome_sentence(job.outcome)


class ImportRefused(Exception):
    """The file could not be imported; the message names the file (and line)."""


def _named(message: str, path: Path) -> str:
    """The message with the upload's own name for its path on the server."""
    return message.replace(str(path), path.name)


def outcome_sentence(outcome: dict[str, Any]) -> str:
    return (
        f"{outcome['rows_seen']} rows read from {outcome['file']}: {outcome['rows_added']} added,"
        f" {outcome['rows_already_present']} already present,"
        f" {outcome['rows_rejected']} quarantined, {outcome['rows_skipped']} skipped."
    )
