"""Answers computed inside ``evidence_cache.together()`` reach the shared store in one write
when the outermost block ends (a page's panels and advice: one commit of a database cache
instead of two)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from riskatlas.evidence import evidence_cache
from riskatlas.evidence.evidence_cache import forget, remembered, together


class DictStore:
    """A shared store in a dict, as Django's cache API offers it, saying how it was written."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.writes: list[list[str]] = []

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any, timeout: int | None = None) -> None:
        self.writes.append([key])
        self.data[key] = value

    def set_many(self, data: dict[str, Any], timeout: int | None = None) -> list[str]:
        self.writes.append(sorted(data))
        self.data.update(data)
        return []


def test_answers_computed_together_are_written_once_at_the_end(tmp_path: Path):
    store = tmp_path / "events.duckdb"
    store.write_bytes(b"a store")
    shared = DictStore()
    blocks: list[str] = []

    @contextmanager
    def batch() -> Iterator[None]:
        blocks.append("begin")
        yield
        blocks.append("commit")

    evidence_cache.share_with(shared, batch=batch)
    forget()
    with together():
        with together():  # an inner block writes nothing of its own
            remembered(store, "panels", lambda: {"state": "ok", "n": 1})
        remembered(store, "advice", lambda: {"state": "ok", "n": 2})
        remembered(store, "busy", lambda: {"state": "busy"})  # never shared
        assert shared.writes == [] and blocks == []
    assert len(shared.writes) == 1 and len(shared.writes[0]) == 2
    assert blocks == ["begin", "commit"]
    forget(shared=False)  # another process finds both
    assert remembered(store, "panels", lambda: {"state": "ok", "n": 0})["n"] == 1
    assert remembered(store, "advice", lambda: {"state": "ok", "n": 0})["n"] == 2
    # Outside a block each answer is written as it is computed, as before.
    remembered(store, "alone", lambda: {"state": "ok"})
    assert len(shared.writes) == 2 and shared.writes[1] != shared.writes[0]


def test_a_failing_write_at_the_end_is_a_warning(tmp_path: Path, caplog):
    store = tmp_path / "events.duckdb"
    store.write_bytes(b"a store")

    class Down(DictStore):
        def set_many(self, data: dict[str, Any], timeout: int | None = None) -> list[str]:
            raise ConnectionError("the shared cache is down")

    evidence_cache.share_with(Down())
    forget(shared=False)
    with together():
        answer = remembered(store, "panels", lambda: {"state": "ok"})
    assert answer == {"state": "ok"}
    assert "not shared" in caplog.text
