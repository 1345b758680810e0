"""`riskatlas info` names every path riskatlas reads or writes, and RISKATLAS_HOME holds the
database and the evidence store (the paths themselves: tests/unit/evidence/test_store_home.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from riskatlas.cli import main


def _info(env: dict[str, str]) -> dict[str, str]:
    result = CliRunner().invoke(main, ["info"], env=env)
    assert result.exit_code == 0, result.output
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition(":") for line in result.output.splitlines())
    }


def test_the_home_holds_the_database_and_the_evidence_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("DATABASE_URL", "RISKATLAS_EVENTS_DB"):
        monkeypatch.delenv(name, raising=False)
    shown = _info({"RISKATLAS_HOME": str(tmp_path)})
    assert shown["home"] == str(tmp_path)
    assert shown["database"] == f"sqlite:///{tmp_path / 'riskatlas.sqlite3'}"
    assert shown["evidence store"] == str(tmp_path / "events.duckdb")
    assert set(shown) == {
        "home",
        "database",
        "evidence store",
        "boundaries",
        "uploads",
        "gazetteer cache",
        "front-end packages",
        "examples",
    }
    assert "deleted" in shown["uploads"] and "riskatlas-reading-" in shown["uploads"]
    assert shown["gazetteer cache"].endswith(".pickle")


def test_the_evidence_store_follows_its_own_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskatlas.evidence.store import events_db_path

    elsewhere = tmp_path / "elsewhere" / "events.duckdb"
    shown = _info({"RISKATLAS_HOME": str(tmp_path), "RISKATLAS_EVENTS_DB": str(elsewhere)})
    assert shown["evidence store"] == str(elsewhere)
    monkeypatch.setenv("RISKATLAS_HOME", str(tmp_path))
    monkeypatch.setenv("RISKATLAS_EVENTS_DB", str(elsewhere))
    assert events_db_path() == elsewhere  # what `riskatlas data` opens is what info shows
