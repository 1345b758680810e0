"""``riskatlas validate FILE...``: check assessment files against the interchange schema."""

from __future__ import annotations

from pathlib import Path

import click


def _source_texts(values: tuple[str, ...]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for value in values:
        source, sep, name = value.partition("=")
        if not sep or not source or not name:
            raise click.BadParameter(f"{value!r}: give SOURCE_ID=FILE", param_hint="--source-text")
        try:
            texts[source] = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.BadParameter(
                f"{name}: cannot read: {exc}", param_hint="--source-text"
            ) from exc
    return texts


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--source-text",
    "source_text",
    multiple=True,
    metavar="SOURCE_ID=FILE",
    help="The text of a cited source (UTF-8): every quote cited to it must be in it, "
    "whitespace aside. Repeat for several sources.",
)
@click.option(
    "--provenance",
    is_flag=True,
    help="Also report what is stated without saying whose it is: risk ratings without a "
    "judgement, recommendations without evidence, hand-set levels, no-go areas and "
    "coordinates without provenance.",
)
def validate(files: tuple[str, ...], source_text: tuple[str, ...], provenance: bool) -> None:
    """Check assessment files; print each problem as FILE:LINE: field: message."""
    from riskatlas.document import validate_file

    texts = _source_texts(source_text)
    failed = False
    for name in files:
        result = validate_file(name, source_texts=texts, provenance=provenance)
        for problem in result.problems:
            click.echo(problem.format(name), err=True)
        if result.ok:
            click.echo(f"{name}: valid")
        else:
            failed = True
            click.echo(f"{name}: {len(result.problems)} problem(s)", err=True)
    if failed:
        raise SystemExit(1)
