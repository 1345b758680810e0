"""The evidence read for an assessment, kept in memory while the store is unchanged.

An answer is kept under the store's state — its resolved path, and the size and modification
time (nanoseconds) of the DuckDB file and of its write-ahead log — and a key the caller gives
(what the answer reads of the assessment). Any import, re-import or coverage change rewrites the
file or its log, so the next read misses and is computed afresh; so does a changed assessment,
through its key. The ``CACHE_SIZE`` answers used last are kept (least recently used goes
first), per process. An answer computed while the store changed under it, or a "busy" one, is
not kept. Callers get their own copy, so changing it changes nothing kept.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any

CACHE_SIZE = 32

_kept: OrderedDict[tuple[Hashable, ...], dict[str, Any]] = OrderedDict()
_lock = threading.Lock()


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
        return copy.deepcopy(kept)
    answer = compute()
    if answer.get("state") != "busy" and store_state(db_path) == state:
        with _lock:
            _kept[(state, key)] = copy.deepcopy(answer)
            while len(_kept) > CACHE_SIZE:
                _kept.popitem(last=False)
    return answer


def forget() -> None:
    """Drop every kept answer (benchmarks measure reads from the store with it)."""
    with _lock:
        _kept.clear()
