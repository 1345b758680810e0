"""The evidence store's memory limit: DuckDB spills to disk past it instead of holding a whole
extract in memory (a 2.5-million-row ACLED import held 3.1 GB unlimited)."""

from pathlib import Path

import pytest

from riskatlas.evidence.store import connect


def _limit(con) -> str:  # type: ignore[no-untyped-def]
    return str(con.execute("SELECT current_setting('memory_limit')").fetchone()[0])


def test_the_store_is_opened_with_the_default_limit(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("RISKATLAS_EVIDENCE_MEMORY", raising=False)
    assert _limit(connect(tmp_path / "a.duckdb")) == "488.2 MiB"  # 512 MB in MiB


def test_an_operator_can_give_it_more(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RISKATLAS_EVIDENCE_MEMORY", "2GB")
    connect(tmp_path / "b.duckdb").close()
    assert _limit(connect(tmp_path / "b.duckdb", read_only=True)) == "1.8 GiB"


def test_a_limit_that_is_not_an_amount_is_refused_by_name(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("RISKATLAS_EVIDENCE_MEMORY", "lots")
    with pytest.raises(ValueError, match="RISKATLAS_EVIDENCE_MEMORY: 'lots' is not an amount"):
        connect(tmp_path / "c.duckdb")
