"""Fixtures for the extraction tests: the seed text and its hand-made gold annotations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SEED = ROOT.parent / "shared" / "seed" / "000_bf218ab2b5ef083b.txt"
GOLD = ROOT / "tests" / "gold" / "seed_000_bf218ab2b5ef083b.yaml"


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip(f"seed not found at {SEED}: the seed tests need ../shared/seed")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_path(seed_text: str) -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_draft(seed_text: str) -> dict[str, Any]:
    from riskatlas.extraction import extract

    return extract(seed_text)


@pytest.fixture(scope="session")
def seed_gold() -> dict[str, Any]:
    return yaml.safe_load(GOLD.read_text(encoding="utf-8"))
