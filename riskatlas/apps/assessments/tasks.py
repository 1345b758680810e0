"""The queue's tasks for assessments (Huey, decision 0006): the evidence beside assessments
computed again in the background when it goes stale (``evidence_refresh``), and the two
calls that queue it: ``evidence_store_changed`` (after an import into the store) and
``version_changed`` (after a version changed or was published)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from huey.contrib.djhuey import db_task

from riskatlas.apps.assessments import evidence_refresh

#: How long after an import its refresh starts (the store left to an import that follows).
REFRESH_DELAY_SECONDS = 5


@db_task()
def refresh_evidence_after_import(path: str | None) -> None:
    """Every assessment's evidence after an import of ``path``, its countries' first."""
    covered = evidence_refresh.covered_countries(path)
    evidence_refresh.refresh_versions(evidence_refresh.versions_to_refresh(covered))


@db_task()
def refresh_evidence_of_versions(version_ids: list[int]) -> None:
    """These versions' evidence (after a change or a publication)."""
    evidence_refresh.refresh_versions(version_ids)


def evidence_store_changed(path: str | Path | None = None, db: str | Path | None = None) -> bool:
    """After an import into the store ``db`` (default: the configured one) committed: queue
    the refresh of every assessment's evidence, the countries the imported file ``path``
    covers first. Returns whether it was queued (not for another store, nor without one)."""
    store = evidence_refresh.store()
    if not store.is_file():
        return False
    if db is not None and Path(db).resolve() != store.resolve():
        return False
    # The store's own transaction has committed; nothing waits on the database's. A little
    # later, so that an import that follows at once (a script importing several files) takes
    # the store first: the refresh then stops, and that import queues its own.
    imported = str(Path(path).resolve()) if path is not None else None
    refresh_evidence_after_import.schedule(args=(imported,), delay=REFRESH_DELAY_SECONDS)
    return True


def version_changed(version: Any) -> None:
    """After ``version``'s content changed or it was published: queue its evidence, once the
    transaction commits (nothing without a store)."""
    if not evidence_refresh.store().is_file():
        return
    version_id = version.pk
    transaction.on_commit(lambda: refresh_evidence_of_versions([version_id]))
