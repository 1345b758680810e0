from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "riskatlas.apps.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        # The evidence read for an assessment is shared by every app process through Django's
        # cache (the database, or Redis when REDIS_URL is set): computed once, served to all.
        from django.core.cache import cache

        from riskatlas.evidence.evidence_cache import share_with

        share_with(cache)
