"""Shared test fixtures: paths to the repository's examples and to ../shared data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def everything_yaml() -> Path:
    """A small document that uses every field of the interchange format."""
    return ROOT / "tests" / "fixtures" / "interchange" / "everything.yaml"


@pytest.fixture(scope="session")
def peru_yaml() -> Path:
    return ROOT / "examples" / "peru-2009.yaml"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path}: real-data tests need ../shared/data")
    return path
