"""Commands that back up and restore an installation: backup, restore (``riskatlas.backup``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click


@contextmanager
def _progress(steps: int) -> Iterator[Callable[[str], None]]:
    """A rich progress bar on stderr; the step function names each step as it starts."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("starting", total=steps)
        started = False

        def step(description: str) -> None:
            nonlocal started
            if started:
                progress.advance(task)
            started = True
            progress.update(task, description=description)

        yield step
        progress.update(task, completed=steps)


def _held(counts: dict[str, Any]) -> str:
    return ", ".join(
        f"{counts[name]} {name}" for name in ("assessments", "versions", "teams", "users")
    )


def _events(counts: dict[str, int] | None) -> str:
    if counts is None:
        return "no evidence store"
    rows = ", ".join(f"{table} {count}" for table, count in counts.items() if count)
    return f"evidence store ({rows or 'no rows'})"


def _start() -> None:
    from riskatlas.django_setup import setup_django

    setup_django()


@click.command()
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
def backup(archive: Path) -> None:
    """Back up the database and the evidence store into ARCHIVE (.tar, or .tar.gz).

    SQLite is copied online (the web app may keep running); PostgreSQL with pg_dump (the
    client tools must be installed); the evidence store with DuckDB's EXPORT DATABASE."""
    _start()
    from riskatlas.backup import BackupError
    from riskatlas.backup import backup as make_backup
    from riskatlas.evidence.store import StoreBusy

    try:
        with _progress(4) as step:
            manifest = make_backup(archive, step)
    except (BackupError, StoreBusy) as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from exc
    database = manifest["database"]
    click.echo(f"wrote {archive}: {database['engine']} database ({_held(database)}), "
               f"{_events(manifest['events'])}")  # fmt: skip


@click.command()
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database or store that is not empty.")
def restore(archive: Path, force: bool) -> None:
    """Restore a backup made by `riskatlas backup` into the configured database (DATABASE_URL)
    and evidence store, then upgrade the schema.

    Refuses a database or evidence store that holds anything, unless --force."""
    _start()
    from riskatlas.backup import BackupError
    from riskatlas.backup import restore as apply_backup
    from riskatlas.evidence.store import StoreBusy

    try:
        with _progress(5) as step:
            manifest = apply_backup(archive, force=force, step=step)
    except (BackupError, StoreBusy) as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(1) from exc
    click.echo(
        f"restored {archive} (riskatlas {manifest['riskatlas_version']}, made"
        f" {manifest['created_at']}): {manifest['database']['engine']} database"
        f" ({_held(manifest['restored'])}), {_events(manifest['events'])}"
    )
