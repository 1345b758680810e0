"""``riskatlas report ASSESSMENT|FILE.yaml --format html|pdf|md|docx [-o OUT]``: the command-line
edge of ``riskatlas.reports`` (which stays free of Django).

The command is thin: ``resolve_document`` turns the argument into a normalised document and
``write_report`` does the rest. Jinja, WeasyPrint and the report modules load only when the
command runs (``riskatlas --help`` stays quick).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

# The formats of ``riskatlas.reports.render.FORMATS``, spelt out so that the command's help does
# not load the report modules (tests/unit/test_cli_startup.py checks that they agree).
FORMATS = ("html", "pdf", "md", "docx")
EXTENSIONS = {"html": "html", "pdf": "pdf", "md": "md", "docx": "docx"}


class AssessmentNotFound(LookupError):
    """The argument is neither a readable assessment file nor a known assessment."""


def document_from_database(ref: str) -> dict[str, Any] | None:
    """The normalised document of the stored assessment ``ref`` (id, slug or slug@VERSION;
    without a version the newest published one, else the newest), or None."""
    from riskatlas.commands.assessments import stored_document

    try:
        return stored_document(ref)
    except LookupError:  # AssessmentNotFound; its module needs Django started first
        return None


def _looks_like_file(arg: str) -> bool:
    return arg.endswith((".yaml", ".yml")) or Path(arg).is_file()


def resolve_document(arg: str) -> dict[str, Any]:
    """The normalised assessment document named by ``arg``: a .yaml path or an assessment id
    or slug (``pe-2009``). Raises DocumentError for an invalid file, AssessmentNotFound for
    anything else that cannot be found."""
    from riskatlas.document import load_document

    if _looks_like_file(arg):
        path = Path(arg)
        if not path.is_file():
            raise AssessmentNotFound(f"{arg}: no such file")
        return load_document(path)
    doc = document_from_database(arg)
    if doc is None:
        raise AssessmentNotFound(
            f"no assessment {arg!r}: give an assessment file (FILE.yaml) or the id or slug "
            "of an imported assessment"
        )
    return doc


def default_output(doc: dict[str, Any], fmt: str) -> Path:
    a = doc["assessment"]
    return Path(f"{a['slug']}-v{a.get('version', 1)}.{EXTENSIONS[fmt]}")


@click.command("report")
@click.argument("assessment")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="html",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False),
    help="File to write; '-' for standard output. Default: SLUG-vVERSION.FORMAT here.",
)
def report(assessment: str, fmt: str, output: str | None) -> None:
    """Write the assessment report (ASSESSMENT id or slug, or FILE.yaml) as HTML, PDF,
    Markdown or Word (docx)."""
    if fmt == "pdf":  # a Chromium (RISKATLAS_PDF_ENGINE) starts first, while the rest is read
        from riskatlas.reports.pdf_chromium import start_early

        start_early()
    from riskatlas.document import DocumentError
    from riskatlas.reports.render import render, write_report

    try:
        doc = resolve_document(assessment)
    except DocumentError as exc:
        for problem in exc.problems:
            click.echo(problem.format(exc.filename), err=True)
        raise SystemExit(1) from None
    except AssessmentNotFound as exc:
        raise click.ClickException(str(exc)) from None
    from riskatlas.reports.chromium import ChromiumError

    try:
        if output == "-":
            sys.stdout.buffer.write(render(doc, fmt, _open_data(doc)))
            sys.stdout.buffer.flush()
            return
        path = write_report(doc, fmt, output or default_output(doc, fmt), _open_data(doc))
    except ChromiumError as exc:  # the PDF engine chosen is missing, failed or too slow
        raise click.ClickException(str(exc)) from None
    click.echo(f"{path}: {fmt} report of {doc['assessment']['slug']}")


def _open_data(doc: dict[str, Any]) -> dict[str, Any]:
    """Imported open data for the report (events beside risks, official advice), if any. The
    evidence package (DuckDB and the sources' readers, about 0.2 s to import) loads only when
    there is a store to read."""
    from riskatlas.config import events_db

    store = events_db()
    if not store.is_file():
        return {}
    from riskatlas.reports.open_data import gather

    return gather(doc, store)
