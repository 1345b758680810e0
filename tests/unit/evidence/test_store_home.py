"""One home for all data: the evidence store sits beside the SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskatlas.config import database_url, home
from riskatlas.evidence.store import events_db_path


def test_without_riskatlas_home_the_store_and_the_database_share_one_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.delenv("RISKATLAS_HOME", raising=False)
    monkeypatch.delenv("RISKATLAS_EVENTS_DB", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    expected = tmp_path / ".local" / "share" / "riskatlas"
    assert home() == expected
    assert events_db_path() == expected / "events.duckdb"
    assert database_url() == f"sqlite:///{expected / 'riskatlas.sqlite3'}"


def test_riskatlas_home_and_events_db_are_honoured(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("RISKATLAS_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("RISKATLAS_EVENTS_DB", raising=False)
    assert events_db_path() == tmp_path / "data" / "events.duckdb"
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(tmp_path / "elsewhere.duckdb"))
    assert events_db_path() == tmp_path / "elsewhere.duckdb"
