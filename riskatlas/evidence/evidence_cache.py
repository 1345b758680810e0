"""The evidence read for an assessment, kept in memory while the store is unchanged.

An answer is kept under the store's state — its resolved path, and the size and modification
time (nanoseconds) of the DuckDB file and of its write-ahead log — and a key the caller gives
(what the answer reads of the assessment). Any import, re-import or coverage change rewrites the
file or its log, so the next read misses and is computed afresh; so does a changed assessment,
through its key. The ``CACHE_SIZE`` answers used last are kept (least recently used goes
first), per process. An answer computed while the store changed under it, or a "busy" one, is
not kept. Callers get their own copy, so changing it changes nothing kept.

Several app processes share their answers through a **shared** store when one is set
(``share_with``: the web app sets Django's cache, in the database or on Redis): a process that
misses in its own memory looks there before computing, and puts what it computes there, under
a key made of the same store state and key. Inside ``together()`` (a page reading its panels
and its official advice) what is computed is put there at once when the block ends: one
transaction on a database cache instead of one per answer (each commit of a SQLite cache cost
12-19 ms of a page's first view), one round trip on Redis.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, Protocol

CACHE_SIZE = 32
logger = logging.getLogger(__name__)
#: How long a shared answer is kept (an unchanged store keeps its answers valid anyway).
SHARED_SECONDS = 24 * 3600


class SharedStore(Protocol):
    """What a shared cache must offer (Django's cache API has these)."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def set(self, key: str, value: Any, timeout: int | None = ...) -> None: ...

    def set_many(self, data: dict[str, Any], timeout: int | None = ...) -> Any: ...


_shared: SharedStore | None = None
_batch: Callable[[], AbstractContextManager[Any]] = nullcontext


def share_with(
    store: SharedStore | None, *, batch: Callable[[], AbstractContextManager[Any]] | None = None
) -> None:
    """Share answers between processes through ``store`` (None: this process only).
    ``batch()``: a block that makes several writes to ``store`` one (the web app gives a
    database transaction when the cache is a table)."""
    global _shared, _batch
    _shared = store
    _batch = batch or nullcontext


def _shared_key(state: tuple[Hashable, ...], key: Hashable) -> str:
    return "riskatlas-evidence:" + hashlib.sha256(repr((state, key)).encode("utf-8")).hexdigest()


_kept: OrderedDict[tuple[Hashable, ...], dict[str, Any]] = OrderedDict()
_lock = threading.Lock()
_local = threading.local()  # this thread's ``together`` blocks: depth and answers to share
#: How this process's reads were answered: from its own memory, the shared cache, or computed.
_counts = {"kept": 0, "shared": 0, "computed": 0}


def counts() -> dict[str, int]:
    """How many reads this process answered from its memory (``kept``), from the shared
    cache (``shared``) and by computing (``computed``) since it started."""
    with _lock:
        return dict(_counts)


def _count(how: str) -> None:
    with _lock:
        _counts[how] += 1


def store_state(db_path: Path) -> tuple[Hashable, ...]:
    """The store's path, and (size, mtime in ns) of its file and its log (None if absent)."""
    files: list[Hashable] = [str(db_path.resolve())]
    for path in (db_path, db_path.with_name(db_path.name + ".wal")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            files.append(None)
        else:
            files.append((stat.st_size, stat.st_mtime_ns))
    return tuple(files)


def remembered(
    db_path: Path, key: Hashable, compute: Callable[[], dict[str, Any]]
) -> dict[str, Any]:
    """``compute()``, or a copy of its answer kept for this store state and ``key``."""
    state = store_state(db_path)
    with _lock:
        kept = _kept.get((state, key))
        if kept is not None:
            _kept.move_to_end((state, key))
    if kept is not None:
        _count("kept")
        return copy.deepcopy(kept)
    shared = _shared
    found = _shared_get(shared, _shared_key(state, key)) if shared is not None else None
    if isinstance(found, dict):
        _count("shared")
        return copy.deepcopy(_keep(state, key, found))
    _count("computed")
    answer = compute()
    if answer.get("state") != "busy" and store_state(db_path) == state:
        kept = _keep(state, key, answer)
        if shared is not None:
            if getattr(_local, "depth", 0):  # the kept copy: the caller may change its own
                _local.pending[_shared_key(state, key)] = kept
            else:
                _shared_set(shared, _shared_key(state, key), answer)
    return answer


@contextmanager
def together() -> Iterator[None]:
    """Answers computed in this thread inside the block are put in the shared store at once
    when the (outermost) block ends, as one write (``share_with``'s ``batch``)."""
    depth = getattr(_local, "depth", 0)
    if not depth:
        _local.pending = {}
    _local.depth = depth + 1
    try:
        yield
    finally:
        _local.depth = depth
        if not depth:
            pending, _local.pending = _local.pending, {}
            shared = _shared
            if pending and shared is not None:
                _shared_set_many(shared, pending)


# A shared cache that fails (Redis down, the database busy) is a miss, never an error: the
# answer is computed as if there were no shared cache.


def _shared_get(shared: SharedStore, key: str) -> Any:
    try:
        return shared.get(key)
    except Exception as exc:  # any backend's error
        logger.warning("shared evidence cache unavailable (%s); computing", exc)
        return None


def _shared_set(shared: SharedStore, key: str, answer: dict[str, Any]) -> None:
    try:
        shared.set(key, answer, SHARED_SECONDS)
    except Exception as exc:  # any backend's error
        logger.warning("shared evidence cache unavailable (%s); not shared", exc)


def _shared_set_many(shared: SharedStore, answers: dict[str, dict[str, Any]]) -> None:
    try:
        with _batch():
            shared.set_many(answers, SHARED_SECONDS)
    except Exception as exc:  # any backend's error
        logger.warning("shared evidence cache unavailable (%s); not shared", exc)


def _keep(state: tuple[Hashable, ...], key: Hashable, answer: dict[str, Any]) -> dict[str, Any]:
    """Keep a copy of ``answer`` (never changed: readers get copies of it) and return it."""
    kept = copy.deepcopy(answer)
    with _lock:
        _kept[(state, key)] = kept
        while len(_kept) > CACHE_SIZE:
            _kept.popitem(last=False)
    return kept


def forget(shared: bool = True) -> None:
    """Drop every answer kept in this process and, with ``shared``, in the shared store
    (benchmarks measure reads from the store with it)."""
    with _lock:
        _kept.clear()
    clear = getattr(_shared, "clear", None)
    if shared and clear is not None:
        clear()
