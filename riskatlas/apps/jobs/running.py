"""Running a job in a worker, with a heartbeat, and recovering the jobs whose worker stopped."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import F
from django.utils import timezone

from riskatlas.apps.jobs.importing import ImportRefused as Refused
from riskatlas.apps.jobs.importing import discard_upload
from riskatlas.apps.jobs.models import Job
from riskatlas.document.archives import size_text

log = logging.getLogger(__name__)

State = Job.State


def claim(job_id: int) -> Job | None:
    """Take a queued job for this worker (None if another worker took it, or it is over)."""
    now = timezone.now()
    taken = Job.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, attempts=F("attempts") + 1, heartbeat_at=now
    )
    return Job.objects.select_related("version__assessment").get(pk=job_id) if taken else None


class Heartbeat:
    """Tell the database every few seconds that the job's worker is alive."""

    def __init__(self, job_id: int, every: float) -> None:
        self.job_id, self.every = job_id, every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join()

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                Job.objects.filter(pk=self.job_id, state=State.RUNNING).update(
                    heartbeat_at=timezone.now()
                )
        finally:
            connection.close()


def _work(job: Job) -> tuple[str, str]:
    """Do the job; (the file it made, a message)."""
    if job.kind == Job.Kind.REPORT:
        from riskatlas.apps.assessments.report_files import render_report_file

        path = render_report_file(job.version, job.fmt)
        size = size_text(path.stat().st_size)  # as people read it: 212.6 KB
        return str(path), f"{job.fmt.upper()} of {job.version} ready ({size})"
    if job.kind == Job.Kind.IMPORT:
        from riskatlas.apps.jobs.importing import run_import

        return run_import(job)
    raise ValueError(f"unknown kind of job: {job.kind}")


def run(job_id: int, work: Callable[[Job], tuple[str, str]] = _work) -> Job | None:
    """Run the queued job ``job_id`` here: claim it, beat while it works, record the outcome."""
    close_old_connections()
    job = claim(job_id)
    if job is None:
        return None
    log.info("job %s: %s %s of %s, try %s", job.pk, job.kind, job.fmt, job.version, job.attempts)
    try:
        with Heartbeat(job.pk, every=max(settings.JOB_STALL_SECONDS / 4, 0.5)):
            job.file, job.message = work(job)
        job.state = State.DONE
    except Refused as error:  # the file's own fault: the message says what and where
        job.state, job.message = State.FAILED, str(error)[:2000]
    except Exception as error:  # the page must say why, never wait for ever
        log.exception("job %s failed", job.pk)
        job.state, job.message = State.FAILED, f"{type(error).__name__}: {error}"[:2000]
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "file", "message", "finished_at"])
    if job.kind == Job.Kind.IMPORT:
        discard_upload(job)  # imported or refused: the store holds what it took
    log.info("job %s: %s — %s", job.pk, job.state, job.message)
    return job


def stalled(now: dt.datetime | None = None) -> Any:
    """Running jobs whose worker has given no sign of life within the stall time."""
    now = now or timezone.now()
    limit = now - dt.timedelta(seconds=settings.JOB_STALL_SECONDS)
    return Job.objects.filter(state=State.RUNNING, heartbeat_at__lt=limit)


def recover(enqueue: Callable[[int], Any], now: dt.datetime | None = None) -> list[int]:
    """Queue again each stalled job with attempts left (``enqueue(job_id)``); fail the rest
    with the reason. Returns the ids queued again."""
    again: list[int] = []
    for job in stalled(now):
        if job.attempts < settings.JOB_ATTEMPTS:
            if Job.objects.filter(pk=job.pk, state=State.RUNNING).update(state=State.QUEUED):
                again.append(job.pk)
                enqueue(job.pk)
        else:
            failed = Job.objects.filter(pk=job.pk, state=State.RUNNING).update(
                state=State.FAILED,
                finished_at=timezone.now(),
                message=(
                    f"The worker running it stopped, {job.attempts} times; it was not tried again."
                ),
            )
            if failed and job.kind == Job.Kind.IMPORT:
                discard_upload(job)  # it has ended: nothing will read the file
    return again
