"""Backups of an installation: the database (SQLite or PostgreSQL) and the evidence store
(DuckDB) in one tar archive with a manifest, and restoring one into a new installation.

Needs Django started (it reads the configured database and counts what it holds); the command
line (``riskatlas backup`` / ``riskatlas restore``, riskatlas/commands/backup.py) only parses
arguments and shows progress. The archive holds:

- ``manifest.json``: riskatlas version, database engine, when it was made, what it holds;
- ``database.sqlite3``: an online backup (sqlite3 ``Connection.backup``: consistent while the
  app keeps serving, with what is still in the write-ahead log), or ``database.pgdump``:
  ``pg_dump --format=custom``;
- ``events/``: the evidence store as DuckDB ``EXPORT DATABASE`` (Parquet), read through a
  read-only connection, which DuckDB refuses while an import writes the store (``StoreBusy``).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskatlas import __version__

if TYPE_CHECKING:
    import duckdb

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
EVENTS = "events"
Step = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _quiet(_: str) -> None:
    pass


def database_engine() -> str:
    """``sqlite`` or ``postgresql``: the configured database's engine."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    for name in DATABASE_FILES:
        if name in engine:
            return name
    raise BackupError(f"backups cover SQLite and PostgreSQL only, not {engine}")


def database_holds() -> dict[str, int]:
    """How many assessments, versions, teams and users the database holds (0 before set-up)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from riskatlas.apps.accounts.models import Team
    from riskatlas.apps.assessments.models import Assessment, AssessmentVersion

    tables = set(connection.introspection.table_names())
    models = {
        "assessments": Assessment,
        "versions": AssessmentVersion,
        "teams": Team,
        "users": get_user_model(),
    }
    return {
        name: model.objects.count() if model._meta.db_table in tables else 0
        for name, model in models.items()
    }


def backup(archive: Path, step: Step = _quiet) -> dict[str, Any]:
    """Write the database and the evidence store to ``archive`` (a .tar, or .tar.gz); returns
    the manifest. The archive appears only when complete."""
    from riskatlas.evidence.store import events_db_path

    engine = database_engine()
    with tempfile.TemporaryDirectory(prefix="riskatlas-backup-") as work:
        folder = Path(work)
        step(f"copying the {engine} database")
        if engine == "sqlite":
            _copy_sqlite(Path(_settings_db()["NAME"]), folder / DATABASE_FILES[engine])
        else:
            _run_pg("pg_dump", "--format=custom", "--file", str(folder / DATABASE_FILES[engine]))
        step("exporting the evidence store")
        events = _export_events(events_db_path(), folder / EVENTS)
        manifest = {
            "format": FORMAT,
            "riskatlas_version": __version__,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": {"engine": engine, "file": DATABASE_FILES[engine], **database_holds()},
            "events": events,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        step(f"writing {archive.name}")
        partial = archive.with_name(archive.name + ".partial")
        gzipped = archive.name.endswith((".gz", ".tgz"))
        with tarfile.open(partial, "w:gz" if gzipped else "w") as tar:
            for name in sorted(os.listdir(folder)):
                tar.add(folder / name, arcname=name)
        os.replace(partial, archive)
    return manifest


def restore(archive: Path, force: bool = False, step: Step = _quiet) -> dict[str, Any]:
    """Restore ``archive`` into the configured database and evidence store, then upgrade the
    schema. Refuses a database or store that holds anything unless ``force``. Returns the
    manifest, with what the database holds now under ``restored``."""
    from riskatlas.django_setup import migrate
    from riskatlas.evidence.store import events_db_path

    with tempfile.TemporaryDirectory(prefix="riskatlas-restore-") as work:
        folder = Path(work)
        step(f"reading {archive.name}")
        manifest = _unpack(archive, folder)
        engine = database_engine()
        if manifest["database"]["engine"] != engine:
            raise BackupError(
                f"{archive}: holds a {manifest['database']['engine']} database; the configured"
                f" database is {engine} (DATABASE_URL)"
            )
        if engine == "sqlite":  # a new installation: its folder may not exist yet
            Path(_settings_db()["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        _refuse_unless_empty(events_db_path() if manifest["events"] else None, force)
        step(f"restoring the {engine} database")
        if engine == "sqlite":
            _restore_sqlite(folder / DATABASE_FILES[engine], Path(_settings_db()["NAME"]))
        else:
            _run_pg(
                "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                "--single-transaction", "--exit-on-error", str(folder / DATABASE_FILES[engine]),
            )  # fmt: skip
        step("upgrading the database schema")
        migrate()
        if manifest["events"]:
            step("restoring the evidence store")
            _import_events(folder / EVENTS, events_db_path())
    return {**manifest, "restored": database_holds()}


def _settings_db() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.DATABASES["default"])


def _refuse_unless_empty(store: Path | None, force: bool) -> None:
    if force:
        return
    held = {name: count for name, count in database_holds().items() if count}
    if held:
        what = ", ".join(f"{count} {name}" for name, count in held.items())
        raise BackupError(
            f"the database is not empty ({what}); restore into a new database, or give --force"
            " to replace it"
        )
    rows = sum(store_counts(store).values()) if store is not None and store.exists() else 0
    if rows:
        raise BackupError(
            f"the evidence store {store} holds {rows} rows; give --force to replace it"
        )


def _copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the app writes, with every commit
    still in the write-ahead log (read through SQLite, never by copying the file). The copy is
    put in rollback-journal mode: one file, whole by itself, that any SQLite opens read-only."""
    if not source.exists():
        raise BackupError(f"{source}: no database yet; nothing to back up")
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")


def _restore_sqlite(source: Path, target: Path) -> None:
    """The backup copied over the configured SQLite file, page by page (the same online
    backup, in the other direction). Written through SQLite, never by replacing the file: the
    target's write-ahead log (``-wal``, ``-shm``) is kept in step with it, so no old log is
    left to be replayed over the restored pages."""
    from django.db import connections

    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(source)) as src,
        closing(sqlite3.connect(target, timeout=20)) as dst,
    ):
        src.backup(dst)


def _run_pg(tool: str, *args: str) -> None:
    """Run pg_dump or pg_restore on the configured database; the password goes in the
    environment, never on the command line."""
    from django.db import connections

    if shutil.which(tool) is None:
        raise BackupError(f"{tool} not found: install the PostgreSQL client tools")
    connections.close_all()
    db = _settings_db()
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD")):  # fmt: skip
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(db["OPTIONS"]["sslmode"])
    target = ["--dbname", str(db["NAME"])]
    done = subprocess.run([tool, *args, *target], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{tool} failed: {done.stderr.strip()}")


def _read_store(store: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection; DuckDB refuses it while another process writes the store."""
    import duckdb

    from riskatlas.evidence.store import StoreBusy, connect

    try:
        return connect(store, read_only=True)
    except duckdb.IOException as exc:
        raise StoreBusy(f"{store}: the evidence store is in use (an import?); try again") from exc


def _count_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = [row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    counts = {}
    for table in sorted(tables):
        (counts[table],) = con.execute(f'SELECT count(*) FROM "{table}"').fetchone() or (0,)
    return counts


def store_counts(store: Path) -> dict[str, int]:
    """The row count of every table of the evidence store at ``store``."""
    with closing(_read_store(store)) as con:
        return _count_rows(con)


def _export_events(store: Path, folder: Path) -> dict[str, int] | None:
    """EXPORT DATABASE through a read-only connection; the row count of every table."""
    if not store.exists():
        return None
    with closing(_read_store(store)) as con:
        con.execute(f"EXPORT DATABASE '{_sql_path(folder)}' (FORMAT parquet)")
        return _count_rows(con)


def _import_events(folder: Path, store: Path) -> None:
    """IMPORT DATABASE into a new file beside the store, then put it in the store's place."""
    import duckdb

    store.parent.mkdir(parents=True, exist_ok=True)
    fresh = store.with_name(store.name + ".restoring")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect(str(fresh))
    try:
        con.execute(f"IMPORT DATABASE '{_sql_path(folder)}'")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    Path(str(store) + ".wal").unlink(missing_ok=True)  # an old store's log must not replay
    os.replace(fresh, store)


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _unpack(archive: Path, folder: Path) -> dict[str, Any]:
    """The archive's manifest, its members extracted into ``folder`` (plain files only)."""
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    try:
        with tarfile.open(archive, "r:*") as tar:
            tar.extractall(folder, filter="data")
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (tarfile.TarError, OSError, ValueError) as exc:
        raise BackupError(f"{archive}: not a riskatlas backup ({exc})") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: backup format {manifest.get('format')!r} is not known")
    return manifest
