from django.apps import AppConfig


class CellulesConfig(AppConfig):
    name = "cellules"
    verbose_name = "cellules de suivi personnalisé"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from cellules import journal_modifications

        journal_modifications.enregistrer()

        from cellules.seances import journal_modifications as journal_seances

        journal_seances.enregistrer()

        from cellules.orientations import installation as installation_orientations

        installation_orientations.pret()

        from cellules import index_aveugles

        index_aveugles.enregistrer()
