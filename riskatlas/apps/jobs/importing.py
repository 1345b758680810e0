"""Open-data imports from the web: an events file uploaded by an analyst, imported into the
evidence store by a worker (what ``riskatlas data import SOURCE PATH`` does), its outcome kept
on the job: rows by outcome, the quarantined rows' lines and reasons, or why it failed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.text import get_valid_filename

from riskatlas.apps.accounts.models import Role
from riskatlas.apps.accounts.permissions import request_roles, teams_holding
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


def may_import(request: Any) -> bool:
    """Analysts (and stronger roles) of any team import open data: it is public, and shared."""
    if getattr(request.user, "is_superuser", False):
        return True
    return bool(teams_holding(request_roles(request), Role.ANALYST))


def uploads_folder() -> Path:
    """Where uploaded files are kept: ``uploads`` beside the evidence store (the store keeps
    each file's path: its coverage and quarantined rows name it)."""
    from riskatlas.evidence.operations import store_path

    return store_path().parent / "uploads"


def keep_upload(job: Job, upload: UploadedFile) -> None:
    """Keep the uploaded file for the job's import, in a folder of its own."""
    folder = uploads_folder() / str(job.pk)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (get_valid_filename(Path(upload.name or "").name) or "events.csv")
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    job.upload = str(path)
    job.save(update_fields=["upload"])


def run_import(job: Job) -> tuple[str, str]:
    """Import the job's file (in a worker); keep what it did on ``job.outcome`` and queue the
    assessments' evidence to be computed again. Returns ("", the outcome in one sentence)."""
    from riskatlas.apps.assessments.tasks import evidence_store_changed
    from riskatlas.evidence.coverage import Scope, scope_for
    from riskatlas.evidence.operations import import_into_store

    path = Path(job.upload)
    scope = Scope(job.scope, "stated when the file was uploaded") if job.scope else scope_for(path)
    quarantined: list[tuple[int | None, str]] = []
    try:
        result = import_into_store(job.source, path, scope=scope, quarantined=quarantined)
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
