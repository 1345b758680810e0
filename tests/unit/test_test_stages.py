"""The PostgreSQL stage of the suite (scripts/test.sh) skips the integration tests marked
``sqlite_only``, saying why; the SQLite stage runs them (docs/testing.md, "The two stages")."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Marked sqlite_only: a Markdown output rendered from the document alone, no database.
MARKED = (
    "tests/integration/test_inert_outputs.py::test_markdown_report_keeps_a_web_address_as_a_link"
)


def _pytest(database_url: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if database_url:
        env["DATABASE_URL"] = database_url
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", MARKED],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def test_a_marked_test_is_skipped_on_postgresql_with_its_reason_and_run_on_sqlite():
    # No server at this address: the marked test is skipped before it could need one.
    on_postgresql = _pytest("postgres://postgres@127.0.0.1:9/nowhere")
    assert "1 skipped" in on_postgresql and "passed" not in on_postgresql
    assert "run on the SQLite stage only: outputs rendered from the document alone" in on_postgresql
    assert "1 passed" in _pytest(None)
