"""Closed lists of orientations.

Measures and legal references are data (``MesureOrientation``, ``ReferenceJuridique``), not
lists here: the code de procédure pénale is being renumbered and the list evolves with the law.
"""

from django.db import models


class TypeOrientation(models.TextChoices):
    EDUCATIVE = "educative", "éducative"
    SOCIALE = "sociale", "sociale"
    SANITAIRE = "sanitaire", "sanitaire"
    INSERTION = "insertion", "insertion"
    JUDICIAIRE = "judiciaire", "judiciaire"


class StatutOrientation(models.TextChoices):
    A_FAIRE = "a_faire", "à faire"
    EN_COURS = "en_cours", "en cours"
    REALISEE = "realisee", "réalisée"
    ABANDONNEE = "abandonnee", "abandonnée"


STATUTS_OUVERTS = frozenset({StatutOrientation.A_FAIRE, StatutOrientation.EN_COURS})
STATUTS_CLOS = frozenset({StatutOrientation.REALISEE, StatutOrientation.ABANDONNEE})


class ResultatOrientation(models.TextChoices):
    OBJECTIF_ATTEINT = "objectif_atteint", "objectif atteint"
    PARTIELLEMENT_ATTEINT = "partiellement_atteint", "objectif partiellement atteint"
    REFUS_PERSONNE = "refus_personne", "refus de la personne"
    PERSONNE_INJOIGNABLE = "personne_injoignable", "personne injoignable"
    RELAIS_AUTRE_DISPOSITIF = "relais_autre_dispositif", "relais pris par un autre dispositif"
    MESURE_INADAPTEE = "mesure_inadaptee", "mesure inadaptée"
    SANS_SUITE = "sans_suite", "sans suite"


class MotifReport(models.TextChoices):
    """Why an orientation is carried to the next meeting's agenda."""

    ECHEANCE_DEPASSEE = "echeance_depassee", "échéance dépassée"
    NON_COMMENCEE = "non_commencee", "orientation non commencée"
    EN_COURS = "en_cours", "orientation en cours"


class TypeNotification(models.TextChoices):
    ORIENTATION_EN_RETARD = "orientation_en_retard", "orientation en retard"
