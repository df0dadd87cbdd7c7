from django.apps import AppConfig


class SocleConfig(AppConfig):
    name = "socle"
    verbose_name = "socle technique"
    default_auto_field = "django.db.models.BigAutoField"
