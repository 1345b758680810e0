"""Where riskatlas keeps its data, from the environment: no Django imports here."""

from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """``RISKATLAS_HOME``, default ``~/.local/share/riskatlas``: the SQLite file, event store."""
    value = os.environ.get("RISKATLAS_HOME")
    if value:
        return Path(value).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "riskatlas"


def database_url() -> str:
    """``DATABASE_URL``, default an SQLite file in :func:`home`."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{home() / 'riskatlas.sqlite3'}"


def examples_dir() -> Path:
    """The bundled example assessments (``examples/`` in a source checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "examples", here.parent / "examples"):
        if candidate.is_dir():
            return candidate
    return here.parent / "examples"
