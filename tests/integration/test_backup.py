"""`riskatlas backup` / `riskatlas restore`, run as a user runs them: an installation with
assessments and an evidence store is backed up, restored into a new empty one, and every
version exports the same and every store table holds the same rows. On SQLite, and on
PostgreSQL (into a second database made for the test) when DATABASE_URL points at one."""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from riskatlas.evidence.store import connect

on_sqlite_files = pytest.mark.sqlite_only(
    reason="backup and restore of SQLite files of the test's own, by riskatlas processes"
)

# Every stored version as `riskatlas export` writes it (export_version, then dump).
EXPORT_ALL = """
import json
from riskatlas.django_setup import setup_django
setup_django()
from riskatlas.apps.assessments.interchange import export_version
from riskatlas.apps.assessments.models import AssessmentVersion
from riskatlas.document import dump
versions = AssessmentVersion.objects.select_related("assessment")
print(json.dumps({f"{v.assessment.slug}@{v.number}": dump(export_version(v)) for v in versions}))
"""


def environment(home: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "RISKATLAS_EVENTS_DB"}
    return {**env, "RISKATLAS_HOME": str(home), "DATABASE_URL": database_url}


def riskatlas(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "riskatlas", *args],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def exports(env: dict[str, str]) -> dict[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", EXPORT_ALL], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def store_rows(home: Path) -> dict[str, list[tuple[object, ...]]]:
    con = connect(home / "events.duckdb", read_only=True)
    try:
        tables = [t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
        return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=str) for t in tables}
    finally:
        con.close()


def populate(env: dict[str, str], home: Path, peru: Path, everything: Path) -> None:
    """Two assessments (the second published, with a draft version 2) and some open data."""
    text = everything.read_text(encoding="utf-8")
    published, revised = home / "published.yaml", home / "revised.yaml"
    published.write_text(text.replace("  status: draft", "  status: published", 1), "utf-8")
    revised.write_text(text.replace("title: Testland security", "title: Revised security"), "utf-8")
    done = riskatlas(env, "import", str(peru), str(published), str(revised))
    assert done.returncode == 0, done.stderr
    con = connect(home / "events.duckdb")
    con.execute("INSERT INTO indicators VALUES ('gpi', 'score', 'PE', 2022, 2.1),"
                " ('gpi', 'score', 'PE', 2023, 2.05)")  # fmt: skip
    con.execute("INSERT INTO advisories (government, country_iso3, level, level_text)"
                " VALUES ('gb', 'PER', 2, 'Take extra care')")  # fmt: skip
    con.close()


class Installation:
    """An installation with content, backed up into ``archive``; ``before``: its exports."""

    def __init__(self, home: Path, database_url: str, peru: Path, everything: Path) -> None:
        home.mkdir(exist_ok=True)
        self.home, self.env = home, environment(home, database_url)
        populate(self.env, home, peru, everything)
        self.before = exports(self.env)
        assert sorted(self.before) == ["pe-2009@1", "zz-test@1", "zz-test@2"]
        self.archive = home.parent / "riskatlas-backup.tar.gz"
        made = riskatlas(self.env, "backup", str(self.archive))
        assert made.returncode == 0, made.stderr
        assert f"wrote {self.archive}: " in made.stdout and "3 versions" in made.stdout

    def restore_into(self, home: Path, database_url: str) -> dict[str, str]:
        """Restore into a new, empty installation; its environment."""
        target = environment(home, database_url)
        restored = riskatlas(target, "restore", str(self.archive))
        assert restored.returncode == 0, restored.stderr
        assert f"restored {self.archive}" in restored.stdout
        assert "2 assessments, 3 versions" in restored.stdout
        assert "indicators 2" in restored.stdout
        assert exports(target) == self.before
        assert store_rows(home) == store_rows(self.home)
        return target


@pytest.fixture(scope="module")
def on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    folder = tmp_path_factory.mktemp("sqlite-backup")
    root = Path(__file__).resolve().parents[2]
    return Installation(
        folder / "old", f"sqlite:///{folder / 'old' / 'riskatlas.sqlite3'}",
        root / "examples" / "peru-2009.yaml",
        root / "tests" / "fixtures" / "interchange" / "everything.yaml",
    )  # fmt: skip


@on_sqlite_files
def test_backup_and_restore_round_trip_on_sqlite(on_sqlite: Installation, tmp_path: Path):
    new = tmp_path / "new"  # not made yet: a new installation
    on_sqlite.restore_into(new, f"sqlite:///{new / 'riskatlas.sqlite3'}")
    assert sum(len(rows) for rows in store_rows(new).values()) == 3

    with tarfile.open(on_sqlite.archive) as tar:
        names = tar.getnames()
        assert {"manifest.json", "database.sqlite3", "events/schema.sql"} <= set(names)
        assert "events/indicators.parquet" in names
        manifest = json.load(tar.extractfile("manifest.json"))  # type: ignore[arg-type]
    assert manifest["database"]["engine"] == "sqlite"
    assert manifest["database"]["assessments"] == 2
    assert manifest["events"]["indicators"] == 2


@on_sqlite_files
def test_restore_refuses_a_database_that_is_not_empty_unless_forced(
    on_sqlite: Installation, peru_yaml: Path, tmp_path: Path
):
    target = environment(tmp_path, f"sqlite:///{tmp_path / 'riskatlas.sqlite3'}")
    assert riskatlas(target, "import", str(peru_yaml)).returncode == 0
    only_peru = exports(target)

    refused = riskatlas(target, "restore", str(on_sqlite.archive))
    assert refused.returncode == 1
    assert "the database is not empty (1 assessments, 1 versions" in refused.stderr
    assert "--force" in refused.stderr
    assert exports(target) == only_peru  # nothing changed

    forced = riskatlas(target, "restore", "--force", str(on_sqlite.archive))
    assert forced.returncode == 0, forced.stderr
    assert "2 assessments, 3 versions" in forced.stdout
    assert exports(target) == on_sqlite.before


# Django started and a document imported by a process that is gone without closing the
# database (killed, or the power lost): the commit is only in the write-ahead log.
MIGRATE = "from riskatlas.django_setup import migrate, setup_django; setup_django(); migrate()"
IMPORT_THEN_EXIT = """
import os, sys
from riskatlas.django_setup import setup_django
setup_django()
from riskatlas.apps.assessments.writer import import_document
from riskatlas.document import load_document
import_document(load_document(sys.argv[1]))
os._exit(0)
"""


def python(env: dict[str, str], code: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr


def assessments_in_file_alone(db: Path) -> int:
    """The assessments the main file holds by itself (a copy of it without its log)."""
    alone = db.with_name("alone.sqlite3")
    alone.write_bytes(db.read_bytes())
    try:
        with closing(sqlite3.connect(alone)) as con:
            return int(con.execute("SELECT count(*) FROM assessments_assessment").fetchone()[0])
    finally:
        alone.unlink()


@on_sqlite_files
def test_backup_and_restore_with_commits_only_in_the_write_ahead_log(
    peru_yaml: Path, everything_yaml: Path, tmp_path: Path
):
    old, new = tmp_path / "old", tmp_path / "new"
    archive = tmp_path / "backup.tar"
    env = environment(old, f"sqlite:///{old / 'riskatlas.sqlite3'}")
    python(env, MIGRATE)
    python(env, IMPORT_THEN_EXIT, str(peru_yaml))
    with closing(sqlite3.connect(old / "riskatlas.sqlite3")) as app:  # the server, still open
        app.execute("SELECT count(*) FROM assessments_assessment").fetchone()
        assert assessments_in_file_alone(old / "riskatlas.sqlite3") == 0  # in the log only
        made = riskatlas(env, "backup", str(archive))
        assert made.returncode == 0, made.stderr
        assert "1 assessments" in made.stdout

    # A new installation whose last process died with its own commits in the log: restoring
    # must not leave that log to be replayed over the restored database.
    target = environment(new, f"sqlite:///{new / 'riskatlas.sqlite3'}")
    python(target, MIGRATE)
    python(target, IMPORT_THEN_EXIT, str(everything_yaml))
    assert (new / "riskatlas.sqlite3-wal").stat().st_size > 0
    restored = riskatlas(target, "restore", "--force", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert sorted(exports(target)) == ["pe-2009@1"]
    assert exports(target) == exports(env)
    with closing(sqlite3.connect(new / "riskatlas.sqlite3")) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    with tarfile.open(archive) as tar:  # the archive's copy: one file, whole by itself
        tar.extract("database.sqlite3", tmp_path, filter="data")
    with closing(sqlite3.connect(tmp_path / "database.sqlite3")) as con:
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)


@on_sqlite_files
def test_the_database_copy_holds_commits_not_yet_written_back_from_the_log(tmp_path: Path):
    from riskatlas.backup import _copy_sqlite

    db, copy = tmp_path / "riskatlas.sqlite3", tmp_path / "copy.sqlite3"
    with closing(sqlite3.connect(db)) as app:  # the app, still running: nothing written back
        app.execute("PRAGMA journal_mode=WAL")
        app.execute("CREATE TABLE saved (what TEXT)")
        app.execute("INSERT INTO saved VALUES ('a change saved just now')")
        app.commit()
        alone = tmp_path / "alone.sqlite3"
        alone.write_bytes(db.read_bytes())
        with closing(sqlite3.connect(alone)) as con:  # the file by itself lacks it
            assert con.execute("SELECT name FROM sqlite_master").fetchall() == []
        _copy_sqlite(db, copy)
    with closing(sqlite3.connect(copy)) as con:
        assert con.execute("SELECT what FROM saved").fetchall() == [("a change saved just now",)]
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)


@on_sqlite_files
def test_restore_refuses_what_is_not_a_backup(tmp_path: Path):
    env = environment(tmp_path, f"sqlite:///{tmp_path / 'riskatlas.sqlite3'}")
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not an archive")
    done = riskatlas(env, "restore", str(junk))
    assert done.returncode == 1
    assert f"error: {junk}: not a riskatlas backup" in done.stderr


@pytest.fixture
def postgres_databases() -> Iterator[tuple[str, str]]:
    """Two new databases on the server of DATABASE_URL, dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("PostgreSQL round trip: DATABASE_URL does not point at a PostgreSQL server")
    import psycopg

    names = [f"riskatlas_backup_{secrets.token_hex(4)}_{side}" for side in ("old", "new")]
    with psycopg.connect(url, autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield tuple(urlunsplit(urlsplit(url)._replace(path=f"/{n}")) for n in names)  # type: ignore[misc]
        finally:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_backup_and_restore_round_trip_on_postgresql(
    postgres_databases: tuple[str, str], peru_yaml: Path, everything_yaml: Path, tmp_path: Path
):
    old_url, new_url = postgres_databases
    installation = Installation(tmp_path / "old", old_url, peru_yaml, everything_yaml)
    installation.restore_into(tmp_path / "new", new_url)
    with tarfile.open(installation.archive) as tar:
        assert "database.pgdump" in tar.getnames()
