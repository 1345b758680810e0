"""What the page layout needs to know about the signed-in user."""

from typing import Any

from django.http import HttpRequest

from riskatlas.apps.accounts.models import Role
from riskatlas.apps.accounts.permissions import request_roles


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"is_team_admin": False}
    admin = user.is_superuser or Role.ADMIN in request_roles(request).values()
    return {"is_team_admin": admin}
