from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "riskatlas.apps.assessments"
    label = "assessments"
    verbose_name = "Assessments"
