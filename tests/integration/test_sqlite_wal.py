"""The SQLite database in WAL mode (docs/decisions/0008-sqlite-wal.md), as processes of an
installation use it: a save goes through while another process is in the middle of reading
(in rollback-journal mode it waited for the reader, then failed with "database is locked"),
and transactions that read before they write, in several processes at once, all go through."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.test_backup import environment, riskatlas

pytestmark = pytest.mark.sqlite_only(
    reason="SQLite's write-ahead log, in riskatlas processes on a SQLite file of their own"
)

# Three processes, each saving rows in transactions that read first (as Django's database
# cache and the app's writers do), with a little work between the read and the write.
READ_THEN_WRITE = """
import os, sys, time
from riskatlas.django_setup import setup_django
setup_django()
from django.db import connection, transaction
for i in range(int(sys.argv[1])):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM riskatlas_cache")
            time.sleep(0.003)
            cursor.execute(
                "INSERT INTO riskatlas_cache VALUES (%s, 'a value', '2100-01-01 00:00:00')",
                [f"{os.getpid()}-{i}"],
            )
    connection.close()
"""


def count(con: sqlite3.Connection, table: str) -> int:
    (rows,) = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(rows)


def test_a_save_goes_through_while_another_process_reads(
    peru_yaml: Path, everything_yaml: Path, tmp_path: Path
):
    db = tmp_path / "riskatlas.sqlite3"
    env = environment(tmp_path, f"sqlite:///{db}")
    assert riskatlas(env, "import", str(peru_yaml)).returncode == 0

    reader = sqlite3.connect(db, isolation_level=None)
    try:
        assert reader.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        reader.execute("BEGIN")  # a long read: a report, an export, a backup
        assert count(reader, "assessments_assessment") == 1
        started = time.monotonic()
        saved = riskatlas(env, "import", str(everything_yaml))
        took = time.monotonic() - started
        assert saved.returncode == 0, saved.stderr  # not "database is locked" after 20 s
        assert took < 15, took
        assert count(reader, "assessments_assessment") == 1  # the reader's view stays whole
        reader.execute("COMMIT")
        assert count(reader, "assessments_assessment") == 2
    finally:
        reader.close()


def test_transactions_that_read_first_in_several_processes_all_go_through(
    peru_yaml: Path, tmp_path: Path
):
    db = tmp_path / "riskatlas.sqlite3"
    env = environment(tmp_path, f"sqlite:///{db}")
    assert riskatlas(env, "import", str(peru_yaml)).returncode == 0
    with sqlite3.connect(db) as con:
        before = count(con, "riskatlas_cache")
    each = 30
    command, pipe = [sys.executable, "-c", READ_THEN_WRITE, str(each)], subprocess.PIPE
    writers = [
        subprocess.Popen(command, env=env, stdout=pipe, stderr=pipe, text=True) for _ in range(3)
    ]
    outcomes = [writer.communicate(timeout=300) for writer in writers]
    for writer, (_, stderr) in zip(writers, outcomes, strict=True):
        assert writer.returncode == 0, stderr  # no "database is locked"
    with sqlite3.connect(db) as con:
        assert count(con, "riskatlas_cache") == before + 3 * each
