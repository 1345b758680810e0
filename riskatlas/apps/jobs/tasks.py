"""The queue's tasks (Huey, through its Django integration): thin calls into ``running``.

A worker imports this module (``riskatlas worker``); the web only enqueues.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from riskatlas.apps.jobs import running
from riskatlas.apps.jobs.importing import EVENT_FILES, SCOPES, keep_upload
from riskatlas.apps.jobs.models import Job


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
    """Keep the uploaded events file and queue its import into the evidence store (as
    ``source``, its coverage ``scope``: full, sample or "") once the transaction commits."""
    if source not in EVENT_FILES:
        raise ValueError(f"{source!r}: not an events source ({', '.join(EVENT_FILES)})")
    if scope not in SCOPES:
        raise ValueError(f"{scope!r}: expected 'full', 'sample' or nothing")
    job = Job.objects.create(
        kind=Job.Kind.IMPORT,
        source=source,
        scope=scope,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    keep_upload(job, upload)
    transaction.on_commit(lambda: run_job(job.pk))
    return job
