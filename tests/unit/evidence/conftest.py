from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "evidence"
SHARED = Path(__file__).resolve().parents[3] / ".." / "shared" / "data"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is absent (real open-data files live outside the repo)")
    return SHARED.resolve()


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "events.duckdb"
