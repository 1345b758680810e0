"""Reading the evidence store for a page: one read-only connection lent to several readers
(the panels and the official advice), opened cheaply and let go at once.

Opening a DuckDB file with ``duckdb.connect`` starts a database instance each time — about
20 ms, and 5–25 ms more to close it — before any query runs. A ``Reading`` instead attaches
the store, read-only, to one in-memory DuckDB instance the process keeps (attaching takes a
few milliseconds) and detaches it when the block ends, so the file's lock is held only while
the page reads, as before: an import in another process is kept out only meanwhile
(``StoreBusy`` for it, as for a reader). Each reading has a cursor of its own (temporary
tables and the default database are per cursor); readers of the same file share its
attachment, which is detached when the last one ends. The instance is made again in a
forked process (an app server's worker).
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

import duckdb

from riskatlas.evidence.event_days import unchanging
from riskatlas.evidence.store import busy_when_locked, memory_limit

_lock = threading.Lock()
_instance: tuple[int, duckdb.DuckDBPyConnection] | None = None  # (pid, connection)
_attached: dict[str, tuple[str, int]] = {}  # file -> (alias, readers)
_settings: dict[str, str] = {}  # what the instance was last SET to (a SET costs 2-4 ms)


def _shared_instance() -> duckdb.DuckDBPyConnection:
    """The process's in-memory DuckDB instance (made again after a fork); under ``_lock``."""
    global _instance
    if _instance is None or _instance[0] != os.getpid():
        _instance = (os.getpid(), duckdb.connect(":memory:"))
        _attached.clear()
        _settings.clear()
    return _instance[1]


def _set(instance: duckdb.DuckDBPyConnection, name: str, value: str) -> None:
    """``SET name = 'value'`` on the instance, unless it is set so already."""
    if _settings.get(name) != value:
        instance.execute(f"SET {name} = '{value}'")
        _settings[name] = value


def _attach(path: Path) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A cursor whose default database is the store at ``path``, attached read-only."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no evidence store yet; run `riskatlas data import`")
    key = str(path.resolve())
    with _lock:
        instance = _shared_instance()
        alias, readers = _attached.get(key, ("", 0))
        if not readers:
            alias = "store_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
            literal = key.replace("'", "''")
            # As ``store.connect``: within the memory limit, spilling beside the store.
            _set(instance, "memory_limit", memory_limit())
            _set(instance, "temp_directory", f"{literal}.tmp")
            # One thread: a page's queries are small, and a second thread cost more in
            # waking and waiting than it saved.
            _set(instance, "threads", "1")
            with busy_when_locked(path):
                instance.execute(f"ATTACH '{literal}' AS {alias} (READ_ONLY)")
        _attached[key] = (alias, readers + 1)
        cursor = instance.cursor()
    try:
        cursor.execute(f"USE {alias}")
        unchanging(cursor)  # read-only: no import writes the store while it is attached
    except BaseException:
        cursor.close()
        _detach(key)
        raise
    return cursor, key


def _detach(key: str) -> None:
    with _lock:
        alias, readers = _attached[key]
        if readers > 1:
            _attached[key] = (alias, readers - 1)
            return
        del _attached[key]
        assert _instance is not None
        _instance[1].execute(f"DETACH {alias}")


class Reading:
    """One read-only connection to the store for several readers, opened on first use
    (``connection()``, which raises ``StoreBusy`` and ``FileNotFoundError`` as
    ``store.connect`` does) and let go with the block or ``close()``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._con: duckdb.DuckDBPyConnection | None = None
        self._key = ""

    def connection(self) -> duckdb.DuckDBPyConnection:
        if self._con is None:
            self._con, self._key = _attach(self.path)
        return self._con

    def close(self) -> None:
        if self._con is not None:
            con, self._con = self._con, None
            try:
                con.close()
            finally:
                _detach(self._key)

    def __enter__(self) -> Reading:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
