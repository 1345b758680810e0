"""Commands that run the web app: demo and serve; and info about the installation."""

from __future__ import annotations

from pathlib import Path

import click


def load_examples(echo: bool = True) -> list[str]:
    """Import every bundled example assessment (idempotent); return what happened."""
    from riskatlas.apps.assessments.interchange import import_document
    from riskatlas.config import examples_dir
    from riskatlas.document import validate_file

    messages = []
    for path in sorted(Path(examples_dir()).glob("*.yaml")):
        validation = validate_file(path)
        if not validation.ok:
            for problem in validation.problems:
                click.echo(problem.format(str(path)), err=True)
            messages.append(f"{path.name}: not loaded ({len(validation.problems)} problem(s))")
            continue
        messages.append(f"{path.name}: {import_document(validation.document()).describe()}")
    if echo:
        for message in messages:
            click.echo(message)
    return messages


def _serve(host: str, port: int) -> None:
    from waitress import serve

    from riskatlas.wsgi import application

    click.echo(f"riskatlas is running at http://{host}:{port}/  (Ctrl+C to stop)")
    serve(application, host=host, port=port, threads=4, ident="riskatlas")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Set up the database and examples, then stop.")
def demo(host: str, port: int, no_serve: bool) -> None:
    """Create or upgrade the database, load the bundled examples, and serve the web app."""
    from riskatlas.django_setup import migrate, setup_django

    setup_django()
    from django.conf import settings

    click.echo(f"database: {settings.DATABASES['default']['NAME']}")
    migrate()
    load_examples()
    if not no_serve:
        _serve(host, port)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the web app on the configured database (migrating it first)."""
    from riskatlas.django_setup import migrate, setup_django

    setup_django()
    migrate()
    _serve(host, port)


@click.command()
def info() -> None:
    """Where riskatlas keeps its data and which database it uses."""
    from riskatlas.config import database_url, examples_dir, home

    click.echo(f"home:     {home()}")
    click.echo(f"database: {database_url()}")
    click.echo(f"examples: {examples_dir()}")
