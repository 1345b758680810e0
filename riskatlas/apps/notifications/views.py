"""The signed-in user's notifications: the list, marking them read, email preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from riskatlas.apps.notifications.models import Notification, Preference
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
