"""Reading a report in the background, so the web request returns at once and the page shows
the reading's state until its items are ready.

``start_reading`` records a ``Reading`` and, once the request's transaction is committed,
starts a thread that reads the file in a child process with a time and memory limit
(``riskatlas.extraction.isolated``; pasted text is extracted in the thread), stores the
document and its proposed items (``services.read_into``) and marks the reading done or
failed with the reason. A reading left unfinished by a stopped server is marked failed when
its page is next opened, once the time limit has passed.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import OperationalError, close_old_connections, connection, transaction
from django.utils import timezone

from riskatlas.apps.assessments.models import AssessmentVersion, FrozenVersionError
from riskatlas.apps.drafts import services
from riskatlas.apps.drafts.models import Reading
from riskatlas.extraction.documents import DocumentError
from riskatlas.extraction.isolated import read_isolated, reading_seconds
from riskatlas.extraction.limits import TextTooLong

log = logging.getLogger(__name__)

#: Beyond the reading's own time limit, how long a reading may stay unfinished before its
#: page calls it stopped (the server was restarted while it ran).
GRACE = timedelta(seconds=60)


def start_reading(
    version: AssessmentVersion,
    title: str,
    user: Any,
    *,
    upload: Any = None,
    text: str = "",
) -> Reading:
    """Record the reading of ``upload`` (an uploaded file) or ``text`` into ``version`` and
    start it in the background."""
    name = Path(upload.name).name if upload is not None else ""
    folder = Path(tempfile.mkdtemp(prefix="riskatlas-reading-"))
    path = None
    if upload is not None:
        path = folder / f"report{Path(name).suffix.lower()}"
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    reading = Reading.objects.create(
        version=version,
        title=title[:300],
        file_name=name,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    worker = threading.Thread(
        target=_read, args=(reading.pk, path, text, folder), name=f"reading-{reading.pk}"
    )
    worker.daemon = True
    transaction.on_commit(worker.start)
    return reading


def _read(pk: int, path: Path | None, text: str, folder: Path) -> None:
    close_old_connections()
    try:
        reading = Reading.objects.select_related("version", "created_by").get(pk=pk)
        try:
            document = _document(reading, path, text)
        except (DocumentError, TextTooLong, FrozenVersionError, services.DraftError) as error:
            _finish(reading, Reading.State.FAILED, _reason(reading, error))
        except Exception as error:  # never leave the page waiting on a crashed reading
            log.exception("reading %s failed", pk)
            _finish(reading, Reading.State.FAILED, f"the reading failed: {error}")
        else:
            already = getattr(document, "already_read", False)
            reading.document = document
            _finish(reading, Reading.State.DONE, "already read" if already else "")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        connection.close()


def _document(reading: Reading, path: Path | None, text: str) -> Any:
    draft = None
    if path is not None:
        found = read_isolated(path, country=services.reading_country(reading.version))
        if not found.text.strip():
            raise DocumentError(f"{path}: no text found in the file")
        text, draft = found.text, found.draft
    return services.read_into(reading.version, reading.title, text, reading.created_by, draft=draft)


def _reason(reading: Reading, error: Exception) -> str:
    """The error's message, naming the file as the user named it (not the temporary copy)."""
    message = str(error)
    if reading.file_name and isinstance(error, DocumentError):
        return f"{reading.file_name}: {message.split(': ', 1)[-1]}"
    return message


def _finish(reading: Reading, state: str, message: str) -> None:
    """Record how the reading ended. A write refused because the table is locked is tried
    again a few times: left unrecorded, the reading would show "reading" until its page calls
    it stopped. (SQLite in shared-cache mode, as Django's in-memory test database, refuses at
    once while another connection reads the table, instead of waiting as a database file
    does.)"""
    reading.state = state
    reading.message = message
    reading.finished_at = timezone.now()
    for attempt in range(_TRIES):
        try:
            reading.save()
            return
        except OperationalError as error:
            if "locked" not in str(error) or attempt == _TRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


#: How often ``_finish`` tries to record a reading's end against a locked table.
_TRIES = 20


def stopped_if_stale(reading: Reading) -> Reading:
    """Mark ``reading`` failed if it is still unfinished long after its time limit."""
    limit = timedelta(seconds=reading_seconds()) + GRACE
    if reading.state == Reading.State.READING and timezone.now() - reading.started_at > limit:
        _finish(
            reading,
            Reading.State.FAILED,
            "the reading stopped before it finished (the server was restarted); read it again",
        )
    return reading
