"""Closed lists of meetings, agendas and decisions."""

from django.db import models


class StatutSeance(models.TextChoices):
    PLANIFIEE = "planifiee", "planifiée"
    ANNULEE = "annulee", "annulée"
    TENUE = "tenue", "tenue"


class Periodicite(models.TextChoices):
    HEBDOMADAIRE = "hebdomadaire", "hebdomadaire"
    MENSUELLE = "mensuelle", "mensuelle"
    BIMESTRIELLE = "bimestrielle", "bimestrielle"
    TRIMESTRIELLE = "trimestrielle", "trimestrielle"
    SEMESTRIELLE = "semestrielle", "semestrielle"


class MotifInscription(models.TextChoices):
    NOUVELLE_SITUATION = "nouvelle_situation", "nouvelle situation"
    POINT_D_ETAPE = "point_d_etape", "point d'étape"
    ORIENTATION_NON_TERMINEE = "orientation_non_terminee", "orientation non terminée"
    ECHEANCE_DEPASSEE = "echeance_depassee", "échéance dépassée"
    FAIT_NOUVEAU = "fait_nouveau", "fait nouveau signalé"
    CLOTURE_ENVISAGEE = "cloture_envisagee", "clôture envisagée"


class TypeDecision(models.TextChoices):
    ORIENTATION_DECIDEE = "orientation_decidee", "orientation décidée"
    MAINTIEN_SUIVI = "maintien_suivi", "maintien du suivi"
    CLOTURE_PROPOSEE = "cloture_proposee", "clôture proposée"
    REPORT = "report", "report à une séance ultérieure"


class NatureEnvoi(models.TextChoices):
    """What a convocation e-mail announces (the task re-checks it still holds)."""

    CONVOCATION = "convocation", "convocation"
    RAPPEL = "rappel", "rappel"
    MODIFICATION = "modification", "modification"
    ANNULATION = "annulation", "annulation"
