"""What the page layout needs to know about the signed-in user."""

from typing import Any

from django.http import HttpRequest

from riskatlas.apps.accounts.models import Membership, Role


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_team_admin": False}
    admin = user.is_superuser or Membership.objects.filter(user=user, role=Role.ADMIN).exists()
    return {"is_team_admin": admin}
