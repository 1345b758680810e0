"""The ``riskatlas`` command line: one group, and the commands of ``riskatlas/commands/``.

Each command module imports only click at the top; DuckDB, WeasyPrint, Jinja, spaCy, Django
and the core packages load inside the command that needs them, so ``riskatlas --help`` (and
every command's ``--help``) starts about as fast as Python itself
(tests/unit/test_cli_startup.py, benchmarks/cli_startup.py).
"""

from __future__ import annotations

import click

from riskatlas import __version__
from riskatlas.commands import COMMANDS
from riskatlas.commands.advice import advice


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="riskatlas")
def main() -> None:
    """riskatlas: security risk assessment, area by area.

    DATABASE_URL selects the database (default: an SQLite file, see `riskatlas info`).
    """


for _command in COMMANDS:
    main.add_command(_command)
main.add_command(advice)
