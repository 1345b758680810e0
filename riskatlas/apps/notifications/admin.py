from django.contrib import admin

from riskatlas.apps.notifications.models import Notification, Preference, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("team", "url", "active", "created_at")
    list_filter = ("team", "active")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "subject", "created_at", "sent_at", "read_at")
    list_filter = ("kind", "channel")
    search_fields = ("recipient", "key", "subject")


admin.site.register(Preference)
