"""``riskatlas validate FILE...``: check assessment files against the interchange schema."""

from __future__ import annotations

import click


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check assessment files; print each problem as FILE:LINE: field: message."""
    from riskatlas.document import validate_file

    failed = False
    for name in files:
        result = validate_file(name)
        for problem in result.problems:
            click.echo(problem.format(name), err=True)
        if result.ok:
            click.echo(f"{name}: valid")
        else:
            failed = True
            click.echo(f"{name}: {len(result.problems)} problem(s)", err=True)
    if failed:
        raise SystemExit(1)
