"""Creating users and putting them in teams (used by `riskatlas users add` and the demo)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.text import slugify

from riskatlas.apps.accounts.models import Membership, Role, Team


@dataclass(frozen=True)
class UserResult:
    username: str
    team: str
    role: str
    created: bool


def ensure_team(name_or_slug: str) -> Team:
    slug = slugify(name_or_slug) or "team"
    team = Team.objects.filter(slug=slug).first()
    if team is None:
        team = Team.objects.create(slug=slug, name=name_or_slug)
    return team


def add_user(
    username: str, team_name: str, role: str, password: str, *, check_password: bool = True
) -> UserResult:
    """Create the user (or update the password) and give them ``role`` in the team."""
    if role not in Role.values:
        raise ValueError(f"role must be one of {', '.join(Role.values)}, not {role!r}")
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.filter(username=username).first()
        created = user is None
        if user is None:
            user = user_model(username=username)
        if check_password:
            validate_password(password, user)
        user.set_password(password)
        user.save()
        team = ensure_team(team_name)
        Membership.objects.update_or_create(user=user, team=team, defaults={"role": role})
    return UserResult(username, team.slug, role, created)
