from django.apps import AppConfig


class TravelConfig(AppConfig):
    name = "riskatlas.apps.travel"
    label = "travel"
    verbose_name = "Travel decisions"
    default_auto_field = "django.db.models.BigAutoField"
