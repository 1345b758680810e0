from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "riskatlas.apps.audit"
    label = "audit"
    verbose_name = "Audit log"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from riskatlas.apps.audit.recording import connect

        connect()
