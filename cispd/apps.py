from django.apps import AppConfig


class CispdConfig(AppConfig):
    name = "cispd"
    verbose_name = "conseil intercommunal (CISPD)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.changements import suivre
        from cispd.models import AdhesionCispd

        suivre(AdhesionCispd)
