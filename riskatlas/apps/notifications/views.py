"""The signed-in user's notifications: the list, marking them read, email preferences."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import URLValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from riskatlas.apps.accounts.models import Role, Team
from riskatlas.apps.accounts.permissions import can, require, teams_of
from riskatlas.apps.notifications.models import Notification, Preference, Webhook
from riskatlas.apps.notifications.notifying import preference

PAGE_SIZE = 50


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(user=request.user)
    page = Paginator(mine, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unread": mine.filter(read_at__isnull=True).count(),
        "preference": preference(request.user),
        "digests": Preference.Digest.choices,
        "admin_teams": [t for t in teams_of(request.user) if can(request.user, t, Role.ADMIN)],
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and go where it points."""
    message = get_object_or_404(Notification, pk=pk, user=request.user)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    safe = url_has_allowed_host_and_scheme(message.link, allowed_hosts={request.get_host()})
    return redirect(message.link if message.link and safe else "notifications:list")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications:list")


@login_required
@require_POST
def save_preference(request: HttpRequest) -> HttpResponse:
    digest = request.POST.get("digest", Preference.Digest.IMMEDIATE)
    if digest not in Preference.Digest.values:
        messages.error(request, f"digest must be one of {', '.join(Preference.Digest.values)}")
        return redirect("notifications:list")
    Preference.objects.update_or_create(
        user=request.user, defaults={"email": request.POST.get("email") == "on", "digest": digest}
    )
    messages.success(request, "Your email preferences are saved.")
    return redirect("notifications:list")


def _admin_team(request: HttpRequest, slug: str) -> Team:
    team = get_object_or_404(Team, slug=slug)
    require(request.user, team, Role.READER)  # 404 outside the team
    if not can(request.user, team, Role.ADMIN):
        raise PermissionDenied("team webhooks are for the team's admins")
    return team


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_webhooks(request: HttpRequest, team: str) -> HttpResponse:
    """A team admin's webhooks: every team notification is POSTed to each, signed."""
    owner = _admin_team(request, team)
    if request.method == "POST":
        url = request.POST.get("url", "").strip()
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            messages.error(request, f"url: {url!r} is not an http(s) address")
            return redirect("notifications:webhooks", team=owner.slug)
        secret = request.POST.get("secret", "").strip() or secrets.token_urlsafe(32)
        Webhook.objects.create(team=owner, url=url, secret=secret)
        messages.success(request, f"Webhook added: {url}")
        return redirect("notifications:webhooks", team=owner.slug)
    hooks = Webhook.objects.filter(team=owner).order_by("created_at")
    return render(request, "notifications/webhooks.html", {"team": owner, "hooks": hooks})


@login_required
@require_POST
def remove_webhook(request: HttpRequest, team: str) -> HttpResponse:
    owner = _admin_team(request, team)
    hook = get_object_or_404(Webhook, team=owner, pk=request.POST.get("webhook") or 0)
    hook.delete()
    messages.success(request, f"Webhook removed: {hook.url}")
    return redirect("notifications:webhooks", team=owner.slug)
