from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "riskatlas.apps.assessments"
    label = "assessments"
    verbose_name = "Assessments"

    def ready(self) -> None:
        # The evidence read for an assessment is shared by every app process through Django's
        # cache (the database, or Redis when REDIS_URL is set): computed once, served to all.
        from django.core.cache import cache, caches
        from django.core.cache.backends.db import DatabaseCache
        from django.db import router, transaction

        from riskatlas.evidence.evidence_cache import share_with

        backend = caches["default"]
        if isinstance(backend, DatabaseCache):
            # A page's answers written in one transaction (one commit, not one per answer).
            using = router.db_for_write(backend.cache_model_class)
            share_with(cache, batch=lambda: transaction.atomic(using=using))
        else:
            share_with(cache)
