"""The ``riskatlas`` command line: parses arguments, calls the core and services, prints."""

from __future__ import annotations

import click

from riskatlas import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="riskatlas")
def main() -> None:
    """riskatlas: security risk assessment, area by area.

    DATABASE_URL selects the database (default: an SQLite file, see `riskatlas info`).
    """


@main.command()
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


from riskatlas.commands.assessments import diff, export, import_  # noqa: E402
from riskatlas.commands.maps import maps  # noqa: E402
from riskatlas.commands.server import demo, info, serve  # noqa: E402
from riskatlas.commands.users import users  # noqa: E402

for _command in (import_, export, diff, demo, serve, info, users, maps):
    main.add_command(_command)

# --- commands registered by other packages (one line each) ---
from riskatlas.evidence.command import baseline_command, data  # noqa: E402

main.add_command(data)
main.add_command(baseline_command)
from riskatlas.commands.report import report as report_command  # noqa: E402

main.add_command(report_command)
from riskatlas.extraction.command import extract_command  # noqa: E402

main.add_command(extract_command)
