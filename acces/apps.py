from django.apps import AppConfig


class AccesConfig(AppConfig):
    name = "acces"
    verbose_name = "accès et habilitations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from acces.api import openapi  # noqa: F401  (registers the schema extensions)
