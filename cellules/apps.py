from importlib import import_module

from django.apps import AppConfig

# The sub-packages of the app, each with its change-log registration (``historique``).
SOUS_PAQUETS = ("composition", "dossiers", "chartes", "seances", "orientations", "registres")
# Sub-packages with Celery tasks: autodiscovery looks at ``<app>.tasks`` only.
AVEC_TACHES = ("dossiers", "seances", "orientations")


class CellulesConfig(AppConfig):
    name = "cellules"
    verbose_name = "cellules de suivi personnalisé"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        for nom in SOUS_PAQUETS:
            import_module(f"cellules.{nom}.historique").enregistrer()
        for nom in AVEC_TACHES:
            import_module(f"cellules.{nom}.tasks")

        from cellules.dossiers import index_aveugles

        index_aveugles.enregistrer()
