from django.apps import AppConfig


class GeographyConfig(AppConfig):
    name = "riskatlas.apps.geography"
    label = "geography"
    verbose_name = "Areas and places"
