from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "riskatlas.apps.drafts"
    label = "drafts"
    verbose_name = "Drafts from reports"
