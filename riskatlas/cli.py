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


# --- commands registered by other packages (one line each) ---
