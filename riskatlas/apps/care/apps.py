from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "riskatlas.apps.care"
    label = "care"
    verbose_name = "Duty of care"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from riskatlas.apps.care import signals

        signals.connect()
