"""Commands on assessments: import, export, diff."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(1)


def load_ref(ref: str) -> dict[str, Any]:
    """A document from a YAML file path, or from the database by assessment reference."""
    from riskatlas.document import DocumentError, load_document

    path = Path(ref)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        if not path.is_file():
            _fail(f"{ref}: no such file")
        try:
            return load_document(path)
        except DocumentError as exc:
            click.echo(str(exc), err=True)
            raise SystemExit(1) from exc
    try:
        return stored_document(ref)
    except LookupError as exc:  # AssessmentNotFound; its module needs Django started first
        _fail(str(exc))
        raise  # unreachable


def stored_document(ref: str) -> dict[str, Any]:
    """The stored version ``ref`` (id, slug or slug@VERSION) as a document; starts Django and
    upgrades the database first. Raises AssessmentNotFound (a LookupError)."""
    from riskatlas.django_setup import migrate, setup_django

    setup_django()
    migrate()
    from riskatlas.apps.assessments.interchange import export_version
    from riskatlas.apps.assessments.lookup import find_version

    return export_version(find_version(ref))


def _read_file(name: str) -> dict[str, Any]:
    """The document of an assessment file: YAML, or a workbook of every part (.xlsx, as the
    web app and ``export -o FILE.xlsx`` write it); each problem printed, then exit 1."""
    if Path(name).suffix.lower() in (".xlsx", ".xlsm"):
        from riskatlas.document.register import RegisterError
        from riskatlas.document.workbook import read_workbook

        try:
            return read_workbook(Path(name), name)
        except RegisterError as exc:
            for row_problem in exc.problems:
                click.echo(row_problem.format(), err=True)
            _fail(f"{name}: {len(exc.problems)} problem(s); nothing was imported")
    from riskatlas.document import validate_file

    validation = validate_file(name)
    if not validation.ok:
        for problem in validation.problems:
            click.echo(problem.format(name), err=True)
        _fail(f"{name}: {len(validation.problems)} problem(s); nothing was imported")
    return validation.document()


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--team", default=None, help="Team that owns new assessments (default: default).")
def import_(files: tuple[str, ...], team: str | None) -> None:
    """Import assessment files (YAML, or a workbook of every part: .xlsx) into the
    database, each all or nothing.

    Importing the same file twice changes nothing; a changed file replaces a draft, and
    becomes a new draft version when the stored version is approved or published. While a
    version is in review, a changed file is refused."""
    results = []
    for name in files:
        if not Path(name).is_file():
            _fail(f"{name}: no such file")
        results.append((name, _read_file(name)))

    from riskatlas.django_setup import migrate, setup_django

    setup_django()
    migrate()
    from riskatlas.apps.accounts.users import ensure_team
    from riskatlas.apps.assessments.interchange import TeamMismatch
    from riskatlas.apps.assessments.models import VersionLockedError
    from riskatlas.apps.assessments.writer import ChangeRefused, import_document

    owner = ensure_team(team) if team else None
    for name, doc in results:
        try:
            result = import_document(doc, team=owner)
        except (TeamMismatch, VersionLockedError, ChangeRefused) as exc:
            _fail(f"{name}: {exc}; nothing was imported")
        click.echo(f"{name}: {result.describe()}")


@click.command()
@click.argument("assessment")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: stdout)"
)
def export(assessment: str, output: str | None) -> None:
    """Write an assessment (slug, id, or slug@VERSION) as interchange YAML, or with
    ``-o FILE.xlsx`` as a workbook of every part (which ``import`` reads back)."""
    from riskatlas.document import dump

    doc = load_ref(assessment)
    if output and Path(output).suffix.lower() == ".xlsx":
        from riskatlas.document.workbook import WorkbookWriteError, workbook_xlsx

        try:
            data = workbook_xlsx(doc)
        except WorkbookWriteError as exc:
            _fail(f"{output}: {exc}")
            raise  # unreachable
        Path(output).write_bytes(data)
        click.echo(f"wrote {output}", err=True)
        return
    text = dump(doc)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text)


@click.command()
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def diff(old: str, new: str, fmt: str) -> None:
    """What changed between two versions (files, or slug@VERSION in the database).

    Exits 0 when they are the same, 1 when they differ (like diff(1))."""
    import json

    from riskatlas.document import diff_documents

    changes = diff_documents(load_ref(old), load_ref(new))
    if fmt == "json":
        click.echo(
            json.dumps(
                [
                    {
                        "section": c.section,
                        "key": c.key,
                        "field": c.field,
                        "kind": c.kind,
                        "sentence": c.sentence,
                    }
                    for c in changes
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
    elif not changes:
        click.echo("No changes.")
    else:
        click.echo(f"{len(changes)} change(s) from {old} to {new}:")
        for change in changes:
            click.echo(f"- {change.sentence}")
    raise SystemExit(1 if changes else 0)
