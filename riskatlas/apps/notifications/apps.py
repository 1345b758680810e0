from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "riskatlas.apps.notifications"
    label = "notifications"
    verbose_name = "Notifications and alerts"
    default_auto_field = "django.db.models.BigAutoField"
