"""The header's "Who is where" link, for those who may see travellers' whereabouts."""

from typing import Any

from django.http import HttpRequest

from riskatlas.apps.accounts.permissions import request_roles
from riskatlas.apps.care.access import sees_any_travellers, teams_seeing_travellers


def whereabouts(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"sees_travellers": False}
    if user.is_superuser:
        return {"sees_travellers": teams_seeing_travellers(user).exists()}
    return {"sees_travellers": sees_any_travellers(user, request_roles(request))}
