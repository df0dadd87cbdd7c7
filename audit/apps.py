from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "audit et traçabilité"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit import changements

        changements.enregistrer()
