"""The queue's tasks (Huey, through its Django integration): thin calls into ``running``.

A worker imports this module (``riskatlas worker``); the web only enqueues.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from riskatlas.apps.jobs import running
from riskatlas.apps.jobs.importing import (
    EVENT_FILES,
    SCOPES,
    discard_upload,
    keep_upload,
    upload_name,
)
from riskatlas.apps.jobs.models import Job

log = logging.getLogger(__name__)


@db_task()
def run_job(job_id: int) -> None:
    running.run(job_id)


@db_periodic_task(crontab(minute="*"))
def recover_stalled() -> None:
    running.recover(run_job)


@on_startup()
def recover_on_start() -> None:
    """A worker that starts looks for jobs a stopped worker left running."""
    running.recover(run_job)


def start_report(version: Any, fmt: str, user: Any = None) -> Job:
    """Record a report to render for ``version`` and queue it once the transaction commits."""
    job = Job.objects.create(
        kind=Job.Kind.REPORT,
        version=version,
        fmt=fmt,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: run_job(job.pk))
    return job


def start_import(source: str, upload: Any, scope: str, user: Any = None) -> Job:
    """Once the transaction commits: keep the uploaded events file and queue its import into
    the evidence store (as ``source``, its coverage ``scope``: full, sample or ""). A file that
    cannot be kept or queued is not left behind: the job fails saying why."""
    if source not in EVENT_FILES:
        raise ValueError(f"{source!r}: not an events source ({', '.join(EVENT_FILES)})")
    if scope not in SCOPES:
        raise ValueError(f"{scope!r}: expected 'full', 'sample' or nothing")
    job = Job.objects.create(
        kind=Job.Kind.IMPORT,
        source=source,
        scope=scope,
        upload=upload_name(upload),  # its name until it is kept (the job's page shows it)
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    transaction.on_commit(lambda: _keep_and_queue(job, upload))
    return job


def _keep_and_queue(job: Job, upload: Any) -> None:
    why = "kept"
    try:
        keep_upload(job, upload)
        why = "queued"
        run_job(job.pk)
    except Exception as error:
        discard_upload(job)
        log.exception("import %s could not be %s", job.pk, why)
        # An OSError's reason without the server's path (as the import's own messages).
        reason = getattr(error, "strerror", None) or str(error)
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED,
            finished_at=timezone.now(),
            message=(
                f"The import could not be {why} ({type(error).__name__}: {reason});"
                " nothing was kept. Upload the file again later."
            ),
        )
