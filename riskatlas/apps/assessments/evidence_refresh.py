"""The evidence beside assessments computed in the background when it goes stale, so that the
first person to open a page after an import or a change finds it kept (issue 13).

What the assessment page reads of the evidence store (``reports.open_data.gather``: the
panels and the official advice) is kept under the store's state (size and modification time
of its files) and what the page reads of the version (``evidence.evidence_cache``), in the
process and in the shared cache (Django's cache: the database, or Redis) that every app
process and worker reads. Any import rewrites the store, so every kept answer goes stale at
once; a saved version whose risks moved to another area or category asks anew. Here the
queue's worker (Huey, decision 0006) computes those answers again, into the shared cache:

- ``tasks.evidence_store_changed(path)`` — **call it after an import into the store has
  committed** (``riskatlas data import``, the feed refresh). It queues
  ``refresh_evidence_after_import``, which computes the current version (the newest published, else
  the newest) and the newest version of every assessment — those of the countries the
  imported file covers first, then the others, since every kept answer is stale now.
- ``tasks.version_changed(version)`` — called by the single writer after a version's
  content changed and by publication; queues ``refresh_evidence_of_versions`` for it once
  the transaction commits (a change that leaves its risks' areas and categories alone
  finds its answer kept, and costs a look-up).

Nothing is queued while there is no store, nor for an import into another store than the one
the pages read. The worker computes what a page would (``refresh_versions``); an answer
computed while an import writes (``busy``) is not kept, and the import that follows queues
its own refresh.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from pathlib import Path

log = logging.getLogger(__name__)


def store() -> Path:
    from riskatlas.evidence import events_db_path

    return Path(events_db_path())


def covered_countries(path: str | None) -> list[str]:
    """ISO alpha-3 codes of the countries the imported file ``path`` covers (the store's
    ``coverage``; none for a file without one, as official advice)."""
    if path is None:
        return []
    from riskatlas.evidence.reading import Reading
    from riskatlas.evidence.store import StoreBusy

    try:
        with Reading(store()) as reading:
            row = (
                reading.connection()
                .execute("SELECT countries FROM coverage WHERE path = ?", [path])
                .fetchone()
            )
    except (StoreBusy, FileNotFoundError):
        return []
    except Exception as exc:  # a store from before coverage was recorded
        log.info("no coverage for %s: %s", path, exc)
        return []
    return list(row[0] or []) if row else []


def assessed_countries(version_ids: Iterable[int] | None = None) -> list[str]:
    """ISO alpha-3 codes of the countries whose events the pages of the versions
    ``version_ids`` read (default: every assessment's current and newest version): each
    version's country and its risks' areas' (``evidence.assessment.countries_read``). The
    countries the store counts by day for those pages."""
    from riskatlas.apps.assessments.interchange.exporting import read_version
    from riskatlas.apps.assessments.models import AssessmentVersion
    from riskatlas.evidence.assessment import countries_read

    ids = versions_to_refresh() if version_ids is None else list(version_ids)
    found: set[str] = set()
    for version in AssessmentVersion.objects.filter(pk__in=ids).select_related("assessment"):
        found.update(countries_read(read_version(version)))
    return sorted(found)


def count_versions_countries(version_ids: list[int]) -> list[str]:
    """Have the store count by day the events of the versions' countries, those it does not
    count yet (``evidence.operations.count_by_day``), so that their pages read the counts.
    The countries counted now (none while another process holds the store: the pages count
    from the events meanwhile, and the next refresh asks again)."""
    from riskatlas.evidence.operations import count_by_day
    from riskatlas.evidence.store import IMPORT_WAIT, StoreBusy

    try:
        counted = count_by_day(assessed_countries(version_ids), store(), wait=IMPORT_WAIT)
    except StoreBusy as exc:
        log.info("countries not counted by day: %s", exc)
        return []
    if counted:
        log.info("counted by day: %s", ", ".join(counted))
    return counted


def versions_to_refresh(first: Iterable[str] = ()) -> list[int]:
    """Ids of every assessment's current version (the newest published, else the newest)
    and newest version, those of the countries ``first`` (ISO alpha-3) before the others."""
    from riskatlas.apps.assessments.models import Assessment
    from riskatlas.evidence.areas import country_iso3

    wanted = set(first)
    ids: list[tuple[bool, int]] = []
    for assessment in Assessment.objects.all():
        current, newest = assessment.current_version(), assessment.latest_version()
        later = country_iso3(assessment.country) not in wanted
        for version in dict.fromkeys(v for v in (current, newest) if v is not None):
            ids.append((later, version.pk))
    return [pk for _, pk in sorted(ids, key=lambda item: item[0])]


def refresh_versions(version_ids: Iterable[int]) -> int:
    """Compute each version's evidence as its page reads it (``gather``), kept in this
    process and the shared cache, and the page's sections rendered with it into the shared
    cache (``page_sections.prepare``); returns how many were read (a version gone is skipped).

    Stops when an import writes the store meanwhile (an answer is "busy", or the store
    changed since the first): that import queues a refresh of its own when it commits, and
    the store is left to it rather than attached again for every remaining version.

    First the countries those versions' pages read are counted by day where the store does not
    count them yet (``count_versions_countries``); when it counted any, the store changed, so
    every version is refreshed, not only those asked."""
    db = store()
    if not db.is_file():
        return 0
    with _refreshing:
        version_ids = list(version_ids)
        # When it counted any, the store changed: every version's kept answer is stale.
        if count_versions_countries(version_ids):
            version_ids = list(dict.fromkeys([*version_ids, *versions_to_refresh()]))
        return _refresh(db, version_ids)


#: One refresh at a time in a process: the worker's threads would otherwise hold the store
#: against each other (a count writing it beside another's reading: DuckDB refuses both).
_refreshing = threading.Lock()


def _refresh(db: Path, version_ids: list[int]) -> int:
    from riskatlas.apps.assessments import page_sections
    from riskatlas.apps.assessments.interchange.exporting import read_version
    from riskatlas.apps.assessments.models import AssessmentVersion
    from riskatlas.evidence.evidence_cache import store_state
    from riskatlas.reports.context import build_context
    from riskatlas.reports.open_data import gather

    state = store_state(db)
    done = 0
    for pk in version_ids:
        version = AssessmentVersion.objects.filter(pk=pk).first()
        if version is None:
            continue
        doc = read_version(version)
        answer = gather(doc, db, build_context(doc))
        if answer.get("evidence", {}).get("state") == "busy" or store_state(db) != state:
            log.info("evidence refresh stopped: the store is being written")
            return done
        page_sections.prepare(version)  # the page's sections too, for every app process
        done += 1
    return done
