"""``riskatlas worker``: run background jobs (report rendering) from the task queue.

``riskatlas serve`` and ``riskatlas demo`` start one beside the server unless told not to;
production runs it as its own service (docs/deployment.md).
"""

from __future__ import annotations

import os
import subprocess
import sys

import click


@click.command()
@click.option(
    "--threads", type=click.IntRange(min=1), default=None,
    help="Jobs run at once (default RISKATLAS_WORKER_THREADS, else 2).",
)  # fmt: skip
def worker(threads: int | None) -> None:
    """Run background jobs from the queue until stopped (Ctrl+C or SIGTERM).

    The queue is an SQLite file in RISKATLAS_HOME, or Redis when REDIS_URL is set; a job a
    stopped worker left running is taken up again by the next worker (up to two attempts).
    """
    import logging

    from riskatlas.django_setup import migrate, setup_django

    setup_django()
    migrate()
    # Each job's start and end on stderr (running.py), not the queue's own chatter: its
    # once-a-minute check for stalled jobs would fill the demo's console.
    logging.getLogger("riskatlas.apps.jobs").setLevel(logging.INFO)
    from django.conf import settings
    from huey.contrib.djhuey import HUEY

    from riskatlas.reports.chromium_kept import keep_browsers

    keep_browsers()  # the reports' PDFs printed by browsers kept between jobs

    # The modules that register tasks with the queue: jobs, notifications, duty of care, the
    # feeds' hourly refresh and the evidence beside assessments.
    import riskatlas.apps.assessments.tasks
    import riskatlas.apps.care.tasks
    import riskatlas.apps.feeds.tasks
    import riskatlas.apps.jobs.tasks
    import riskatlas.apps.notifications.tasks  # noqa: F401

    options: dict[str, object] = dict(settings.HUEY.get("consumer") or {})  # type: ignore[call-overload]
    if threads:
        options["workers"] = threads
    options.setdefault("worker_type", "thread")
    where = "Redis" if settings.REDIS_URL else settings.HUEY["filename"]
    click.echo(f"riskatlas worker: {options['workers']} thread(s), queue {where}", err=True)
    HUEY.create_consumer(**options).run()


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """On Linux, the kernel stops the worker when the server that started it dies, however
    it dies (prctl PR_SET_PDEATHSIG = SIGTERM)."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)


def start_beside() -> subprocess.Popen[bytes]:
    """A worker process beside a server (stopped with it): the same Python, the same
    environment."""
    return subprocess.Popen(
        [sys.executable, "-m", "riskatlas", "worker"], env=os.environ.copy(),
        preexec_fn=_die_with_parent,
    )  # fmt: skip
