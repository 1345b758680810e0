"""Sign-in lock-out: per username and address (django-axes), and per address across usernames.

axes counts failures per username + address only, so one address could try a few passwords
on each of many usernames. This handler also counts every failure from the address, whatever
the username: at ``LOGIN_ADDRESS_FAILURE_LIMIT`` (a larger number than the per-user limit,
``AXES_FAILURE_LIMIT``) the address is locked out for the same cool-off time. The address is
``REMOTE_ADDR``, which ``riskatlas serve`` sets from X-Forwarded-For only for the trusted
reverse proxy (docs/deployment.md).
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def address_failures(request: HttpRequest) -> int:
    """Failed sign-ins from the request's address within the cool-off time, all usernames."""
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class UserAndAddressLockout(AxesDatabaseHandler):
    """axes' database handler, with the address-wide limit added to its per-user one."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            # Reported in the per-user limit's terms: axes compares one count with one limit.
            return max(failures, get_failure_limit(request, credentials))
        return failures
