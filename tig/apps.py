from django.apps import AppConfig


class TigConfig(AppConfig):
    name = "tig"
    verbose_name = "travail non rémunéré et TIG"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tig import historique
        from tig.accueil import historique as historique_accueil

        historique.enregistrer()
        historique_accueil.enregistrer()
