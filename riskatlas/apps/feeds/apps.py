from django.apps import AppConfig


class FeedsConfig(AppConfig):
    name = "riskatlas.apps.feeds"
    label = "feeds"
    verbose_name = "Live feeds and what changed"
    default_auto_field = "django.db.models.BigAutoField"
