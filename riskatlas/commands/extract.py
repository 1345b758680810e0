"""``riskatlas extract``: a report file, stdin or a JSON Lines batch into draft items.

A thin wrapper over ``riskatlas.extraction`` (``riskatlas.extraction.outputs``); with
``--into`` the report is stored through the drafts app (``riskatlas.apps.drafts.reading``),
and Django starts only then. spaCy loads only when the engine finds a pipeline to use.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click


def _dump(draft: dict[str, Any], output_format: str) -> str:
    if output_format == "yaml":
        import yaml

        return yaml.safe_dump(draft, sort_keys=False, allow_unicode=True, width=100)
    return json.dumps(draft, ensure_ascii=False, indent=2) + "\n"


@click.command("extract")
@click.argument("source", required=False, metavar="FILE|-")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
    help="Output format for a single document.",
)
@click.option(
    "--jsonl",
    "jsonl",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help='Batch: lines {"id", "text"} (and optionally "country") in, lines {"id", ...draft} out.',
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, allow_dash=True, path_type=Path),
    default="-",
    help="Write here instead of standard output.",
)
@click.option(
    "--model/--no-model",
    default=True,
    show_default=True,
    help="Use an installed spaCy English pipeline as well, when there is one.",
)
@click.option(
    "--country",
    metavar="CC",
    help="The country the report is about (ISO 3166-1 alpha-2, e.g. CO): the subdivisions of "
    "it named in threat sentences are proposed with their ISO 3166-2 codes even when the text "
    "never names the country. With --into, the assessment's country is used.",
)
@click.option(
    "--into",
    "into",
    metavar="ASSESSMENT",
    help="Store the report and its proposed items in this draft version (slug or slug@N) "
    "for review in the web workspace, instead of printing the draft.",
)
def extract(
    source: str | None,
    output_format: str,
    jsonl: Path | None,
    output: Path,
    model: bool,
    country: str | None,
    into: str | None,
) -> None:
    """Read a report (.txt, .md, .html, .pdf, .docx or - for stdin) and print the draft:
    sentences with threat categories, places with ISO 3166 codes, actors, dated incidents,
    trends, recommendations, likelihood and credibility cues, with character offsets.

    Offsets index the input text; for .html, .pdf and .docx they index the extracted text,
    which the output then carries as "text".

    With --into pe-2009 (or pe-2009@3) the report and its proposed items are stored in that
    version (a draft or in review) and the counts per kind and the review page are printed.
    """
    if country is not None:
        if into is not None:
            raise click.UsageError("--into reads the assessment's own country; leave out --country")
        from riskatlas.extraction.subdivisions import country_code

        try:
            country = country_code(country)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--country") from error
    if jsonl is not None:
        if source is not None:
            raise click.UsageError("give either FILE or --jsonl, not both")
        if into is not None:
            raise click.UsageError("--into reads one report; it does not take --jsonl")
        failures = _extract_batch(jsonl, output, model, country)
        if failures:
            raise click.ClickException(f"{failures} line(s) of {jsonl} could not be read")
        return
    if source is None:
        raise click.UsageError("give a FILE, - for standard input, or --jsonl IN.jsonl")

    from riskatlas.extraction.documents import DocumentError, read_document
    from riskatlas.extraction.outputs import document_draft, source_format

    if source == "-":
        from riskatlas.extraction.limits import max_text_chars, too_long

        text, fmt = sys.stdin.read(max_text_chars() + 1), "text"
        if len(text) > max_text_chars():
            raise click.ClickException(f"standard input: {too_long()}")
    else:
        path = Path(source)
        if not path.exists():
            raise click.ClickException(f"{source}: no such file")
        try:
            text = read_document(path)
        except DocumentError as error:
            raise click.ClickException(str(error)) from error
        fmt = source_format(path)
    if into is not None:
        _read_into(into, "standard input" if source == "-" else Path(source).name, text, model)
        return
    document = document_draft(text, source, fmt, use_model=model, country=country)
    with click.open_file(str(output), "w", encoding="utf-8") as handle:
        handle.write(_dump(document, output_format))


def _read_into(ref: str, title: str, text: str, model: bool) -> None:
    """Store the report in a draft version through the drafts app (Django starts only here);
    print what was found and where to review it. Exit 1 when the version is missing, in
    review or frozen."""
    from riskatlas.django_setup import migrate, setup_django

    setup_django()
    migrate()
    from riskatlas.apps.assessments.lookup import AssessmentNotFound
    from riskatlas.apps.assessments.models import FrozenVersionError
    from riskatlas.apps.drafts.reading import read_report
    from riskatlas.extraction.limits import TextTooLong

    try:
        read = read_report(ref, title, text, use_model=model)
    except (AssessmentNotFound, FrozenVersionError, TextTooLong) as error:
        raise click.ClickException(str(error)) from error
    if read.already_read:
        click.echo(
            f"Already read into {read.slug} version {read.version} as “{read.title}”: "
            f"nothing was added. Review it at {read.review_url}"
        )
        return
    click.echo(
        f"Read “{read.title}” into {read.slug} version {read.version}: "
        f"{read.total} item{'' if read.total == 1 else 's'} to review"
    )
    for kind, n in read.counts.items():
        click.echo(f"  {kind:<15} {n:>4}")
    click.echo(f"Review them at {read.review_url}")


def _extract_batch(path: Path, output: Path, model: bool, country: str | None) -> int:
    """Extract every line of a JSON Lines file; report bad lines as FILE:LINE: field: reason
    on stderr (their output line carries the error too) and return how many were bad."""
    from rich.console import Console
    from rich.progress import Progress

    from riskatlas.extraction.outputs import extract_lines

    with click.open_file(str(path), "r", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    failures = 0
    console = Console(stderr=True)
    with (
        click.open_file(str(output), "w", encoding="utf-8") as out,
        Progress(console=console, transient=True, disable=not console.is_terminal) as bar,
    ):
        task = bar.add_task("Extracting", total=sum(1 for line in lines if line.strip()))
        for done in extract_lines(lines, use_model=model, country=country):
            bar.advance(task)
            if done.problem:
                failures += 1
                field, reason = done.problem
                click.echo(f"{path}:{done.number}: {field}: {reason}", err=True)
            out.write(json.dumps(done.output, ensure_ascii=False) + "\n")
    return failures
