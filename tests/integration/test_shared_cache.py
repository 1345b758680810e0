"""App processes share the evidence they compute: an answer one process computed is found by
another (here: this process with its own memory emptied) in the shared cache — the database
table of the jobs app's migration, or Redis when REDIS_URL is set — and a changed store is
never answered from it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection

from riskatlas.evidence import evidence_cache
from riskatlas.evidence.evidence_cache import forget, remembered

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("RISKATLAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(params=["settings", "redis"])
def shared(request: pytest.FixtureRequest) -> Iterator[Any]:
    """The cache the settings give (the database table unless REDIS_URL is set), and a Redis
    cache (where CI runs Redis) whatever the settings."""
    if request.param == "settings":
        assert evidence_cache._shared is cache  # set by the assessments app when Django starts
        yield cache
        return
    import redis
    from django.core.cache.backends.redis import RedisCache

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("REQUIRE_REDIS") == "1":
            raise
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")
    on_redis = RedisCache(REDIS_URL, {})
    batch = evidence_cache._batch
    evidence_cache.share_with(on_redis)
    try:
        yield on_redis
    finally:
        on_redis.clear()
        evidence_cache.share_with(cache, batch=batch)


def test_an_answer_is_shared_between_processes(tmp_path: Path, shared: Any):
    store = tmp_path / "events.duckdb"
    store.write_bytes(b"a store")
    computed: list[int] = []

    def compute() -> dict[str, object]:
        computed.append(1)
        return {"state": "ok", "panels": {"r1": {"events": len(computed)}}}

    forget()
    first = remembered(store, ("panels", "pe-2009"), compute)
    forget(shared=False)  # another process: nothing in its own memory
    again = remembered(store, ("panels", "pe-2009"), compute)
    assert computed == [1] and again == first
    if "DatabaseCache" in type(shared).__name__:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM riskatlas_cache")
            assert cursor.fetchone()[0] >= 1

    store.write_bytes(b"a store, after an import")  # the store changed: computed afresh
    forget(shared=False)
    changed = remembered(store, ("panels", "pe-2009"), compute)
    assert computed == [1, 1] and changed["panels"]["r1"]["events"] == 2


def test_answers_computed_together_are_shared_when_the_block_ends(tmp_path: Path, shared: Any):
    store = tmp_path / "events.duckdb"
    store.write_bytes(b"a store")
    computed: list[str] = []

    def compute(name: str) -> dict[str, object]:
        computed.append(name)
        return {"state": "ok", "rows": [name]}

    forget()
    state = evidence_cache.store_state(store)
    with evidence_cache.together():
        panels = remembered(store, "panels", lambda: compute("panels"))
        advice = remembered(store, "advice", lambda: compute("advice"))
        advice["rows"].append("changed by the page")  # the caller's own copy
        # Not written yet: both go in one write (one transaction on the database) at the end.
        assert shared.get(evidence_cache._shared_key(state, "panels")) is None
    forget(shared=False)  # another process
    assert remembered(store, "panels", lambda: compute("again")) == panels
    assert remembered(store, "advice", lambda: compute("again")) == {
        "state": "ok",
        "rows": ["advice"],
    }
    assert computed == ["panels", "advice"]


def test_a_busy_answer_is_not_shared(tmp_path: Path, shared: Any):
    store = tmp_path / "events.duckdb"
    store.write_bytes(b"a store")
    forget()
    remembered(store, "k", lambda: {"state": "busy"})
    forget(shared=False)
    assert remembered(store, "k", lambda: {"state": "ok"}) == {"state": "ok"}


def test_a_shared_cache_that_is_down_is_a_miss_not_an_error(tmp_path: Path, caplog):
    from django.core.cache.backends.redis import RedisCache

    store = tmp_path / "events.duckdb"
    store.write_bytes(b"a store")
    down = RedisCache("redis://127.0.0.1:9/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    batch = evidence_cache._batch  # the database cache's transaction, given back after
    evidence_cache.share_with(down)  # nothing listens on port 9
    try:
        forget(shared=False)
        answer = remembered(store, "k", lambda: {"state": "ok", "n": 1})
    finally:
        evidence_cache.share_with(cache, batch=batch)
    assert answer == {"state": "ok", "n": 1}
    assert "shared evidence cache unavailable" in caplog.text
