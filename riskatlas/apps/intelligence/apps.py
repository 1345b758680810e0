from django.apps import AppConfig


class IntelligenceConfig(AppConfig):
    name = "riskatlas.apps.intelligence"
    label = "intelligence"
    verbose_name = "Sources, actors and incidents"
