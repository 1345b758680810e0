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


def events_db() -> Path:
    """The evidence store: ``$RISKATLAS_EVENTS_DB``, else ``events.duckdb`` in :func:`home`."""
    explicit = os.environ.get("RISKATLAS_EVENTS_DB")
    return Path(explicit) if explicit else home() / "events.duckdb"


def readings_dir() -> Path:
    """Where an uploaded report is copied while it is read (one ``riskatlas-reading-*`` folder
    per report in the system's temporary folder, deleted when the reading ends; the text is
    kept in the database)."""
    import tempfile

    return Path(tempfile.gettempdir())


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


def source_root() -> Path:
    """The repository checkout that riskatlas runs from (editable install)."""
    return Path(__file__).resolve().parent.parent


def node_modules_dir() -> Path:
    """Front-end packages installed by npm at set-up time (``RISKATLAS_NODE_MODULES``)."""
    value = os.environ.get("RISKATLAS_NODE_MODULES")
    return Path(value) if value else source_root() / "node_modules"


def boundaries_dir() -> Path:
    """Simplified admin-1 boundaries built by ``riskatlas maps build``."""
    value = os.environ.get("RISKATLAS_BOUNDARIES")
    return Path(value) if value else source_root() / "var" / "boundaries"
