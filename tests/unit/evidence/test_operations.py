"""The store operations behind `riskatlas data` and `riskatlas baseline`, as plain calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.evidence.operations import (
    download_path,
    existing_store,
    import_into_store,
    store_status,
)


def test_status_of_a_missing_store_does_not_create_it(store: Path):
    assert store_status(store) == (store, [])
    assert not store.exists()
    with pytest.raises(FileNotFoundError, match="no evidence store yet"):
        existing_store(store)


def test_import_then_status(fixtures: Path, store: Path):
    steps: list[str] = []
    result = import_into_store("acled", fixtures / "acled_peru.csv", store, steps.append)
    assert (result.rows_added, result.rows_rejected) == (5, 3) and steps
    assert existing_store(store) == store
    _, rows = store_status(store)
    assert [(r["source"], r["rows_loaded"]) for r in rows] == [("acled", 5)]
    assert download_path("ucdp-ged", store) == store.parent / "downloads" / "ucdp-ged.json"
