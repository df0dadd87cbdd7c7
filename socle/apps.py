from django.apps import AppConfig


class SocleConfig(AppConfig):
    name = "socle"
    verbose_name = "socle technique"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from socle.serializers import installer_messages

        installer_messages()
