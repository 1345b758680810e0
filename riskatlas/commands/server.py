"""Commands that run the web app: demo and serve; and info about the installation."""

from __future__ import annotations

import os
from pathlib import Path

import click

DEMO_TEAM = "Demo NGO security unit"
OTHER_TEAM = "Other organisation"
# (username, team, role): the demo's people, documented in the README.
DEMO_USERS = (
    ("reader", DEMO_TEAM, "reader"),
    ("analyst", DEMO_TEAM, "analyst"),
    ("reviewer", DEMO_TEAM, "reviewer"),
    ("admin", DEMO_TEAM, "admin"),
    ("outsider", OTHER_TEAM, "reader"),
)


def create_demo_users(password: str) -> None:
    from riskatlas.apps.accounts.users import add_user

    for username, team, role in DEMO_USERS:
        add_user(username, team, role, password, check_password=False)


def load_examples(echo: bool = True) -> list[str]:
    """Import every bundled example assessment into the demo team (idempotent)."""
    from riskatlas.apps.accounts.users import ensure_team
    from riskatlas.apps.assessments.models import VersionLockedError
    from riskatlas.apps.assessments.writer import import_document
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
        try:
            result = import_document(validation.document(), team=ensure_team(DEMO_TEAM))
        except VersionLockedError as exc:
            messages.append(f"{path.name}: not loaded ({exc})")
            continue
        messages.append(f"{path.name}: {result.describe()}")
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
    password = os.environ.get("RISKATLAS_DEMO_PASSWORD", "riskatlas-demo")
    create_demo_users(password)
    users = ", ".join(f"{u} ({r}, {t})" for u, t, r in DEMO_USERS)
    click.echo(f"demo users (password {password!r}): {users}")
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
