"""`riskatlas users`: accounts, teams and roles."""

from __future__ import annotations

import os

import click


@click.group()
def users() -> None:
    """Manage users, their teams and roles."""


@users.command("add")
@click.argument("username")
@click.option("--team", required=True, help="Team (organisation) name or slug; made if new.")
@click.option(
    "--role",
    required=True,
    type=click.Choice(["reader", "analyst", "reviewer", "admin"]),
    help="reader < analyst < reviewer (approver) < admin",
)
def add(username: str, team: str, role: str) -> None:
    """Create a user (or update their password) with a role in a team.

    The password comes from RISKATLAS_PASSWORD, or is asked for."""
    password = os.environ.get("RISKATLAS_PASSWORD")
    if not password:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    from riskatlas.django_setup import migrate, setup_django

    setup_django()
    migrate()
    from django.core.exceptions import ValidationError

    from riskatlas.apps.accounts.users import add_user

    try:
        result = add_user(username, team, role, password)
    except ValidationError as exc:
        click.echo("error: password refused: " + " ".join(exc.messages), err=True)
        raise SystemExit(1) from exc
    verb = "created" if result.created else "updated"
    click.echo(f"{verb} user {result.username}: {result.role} in team {result.team}")
