"""Unit-test fixtures: the pure core's cached readers start empty in every test.

The method, document, evidence and geography packages keep what they read from their data
files in `functools.cache`. Mutation testing (scripts/mutation.sh, docs/testing.md) needs every
test to call the cached functions itself: mutmut records which tests call a function and runs
only those against its mutants, and a cache filled by an earlier test (or before the mutant's
run was forked) would hide the call, and hand the test a result computed by other code. The
data files are small: clearing costs milliseconds a test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from hypothesis import Phase, settings

# Mutation runs (scripts/mutation.sh) pass --hypothesis-profile=mutation: a failing property
# is reported at once instead of being shrunk for minutes, and nothing is saved between runs.
settings.register_profile(
    "mutation",
    phases=[Phase.explicit, Phase.generate],
    database=None,
    deadline=None,
)

CACHED_PACKAGES = (
    "riskatlas.method",
    "riskatlas.document",
    "riskatlas.evidence",
    "riskatlas.geography",
)


def clear_core_caches() -> int:
    """Clear every `functools.cache` of the pure core's loaded modules; return how many."""
    cleared = 0
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(CACHED_PACKAGES):
            continue
        for value in list(vars(module).values()):
            if getattr(value, "__module__", None) == name and callable(
                getattr(value, "cache_clear", None)
            ):
                value.cache_clear()
                cleared += 1
    return cleared


@pytest.fixture(autouse=True)
def _core_caches_start_empty() -> Iterator[None]:
    clear_core_caches()
    yield


@pytest.fixture(autouse=True)
def _evidence_cache_of_this_process_only() -> Iterator[None]:
    """The pure core as the command line runs it: no shared cache across processes (the web
    app shares through Django's cache: tests/integration/test_shared_cache.py)."""
    from riskatlas.evidence import evidence_cache

    before, batch = evidence_cache._shared, evidence_cache._batch
    evidence_cache.share_with(None)
    yield
    evidence_cache.share_with(before, batch=batch)
