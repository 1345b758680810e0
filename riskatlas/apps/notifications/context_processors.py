"""The header's bell: how many unread notifications the signed-in user has."""

from typing import Any

from django.http import HttpRequest

from riskatlas.apps.notifications.models import Notification


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    count = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"unread_notifications": count}
