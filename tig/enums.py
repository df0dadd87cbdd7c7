"""Closed lists of the ``tig`` app (names as in the glossary)."""

from __future__ import annotations

from django.db import models

from tig.accueil import referentiel


class NatureMesure(models.TextChoices):
    TNR = "tnr", "travail non rémunéré (TNR)"
    TIG = "tig", "travail d'intérêt général (TIG)"
    REPARATION = "reparation", "réparation"


class StatutMesure(models.TextChoices):
    A_AFFECTER = "a_affecter", "à affecter"
    AFFECTEE = "affectee", "affectée"
    EXECUTEE = "executee", "exécutée"
    NON_EXECUTEE = "non_executee", "non exécutée"


# A measure still running: it may be assigned or ended.
EN_COURS = (StatutMesure.A_AFFECTER, StatutMesure.AFFECTEE)


# Activities of the posts (codes of the reference table of reception sites); a measure may
# list those the person must not be given.
ACTIVITES = tuple(code for code, _ in referentiel.ACTIVITES)


class Jour(models.TextChoices):
    LUNDI = "lundi", "lundi"
    MARDI = "mardi", "mardi"
    MERCREDI = "mercredi", "mercredi"
    JEUDI = "jeudi", "jeudi"
    VENDREDI = "vendredi", "vendredi"
    SAMEDI = "samedi", "samedi"
    DIMANCHE = "dimanche", "dimanche"
