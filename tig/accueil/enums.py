"""Closed lists of reception sites and posts (names as in the glossary)."""

from __future__ import annotations

from django.db import models


class TypeStructure(models.TextChoices):
    COMMUNE = "commune", "commune"
    ETABLISSEMENT_PUBLIC = "etablissement_public", "établissement public"
    BAILLEUR_SOCIAL = "bailleur_social", "bailleur social"
    OPERATEUR_TRANSPORT = "operateur_transport", "opérateur de transport"
    ASSOCIATION = "association", "association habilitée"
    ENTREPRISE_ESS = "entreprise_ess", "entreprise de l'économie sociale et solidaire"


# Public bodies take TIG workers by right, without a habilitation decision.
HABILITEES_DE_DROIT = frozenset({TypeStructure.COMMUNE, TypeStructure.ETABLISSEMENT_PUBLIC})


class Jour(models.TextChoices):
    LUNDI = "lundi", "lundi"
    MARDI = "mardi", "mardi"
    MERCREDI = "mercredi", "mercredi"
    JEUDI = "jeudi", "jeudi"
    VENDREDI = "vendredi", "vendredi"
    SAMEDI = "samedi", "samedi"
    DIMANCHE = "dimanche", "dimanche"


WEEK_END = frozenset({Jour.SAMEDI, Jour.DIMANCHE})


class DemiJournee(models.TextChoices):
    MATIN = "matin", "matin"
    APRES_MIDI = "apres_midi", "après-midi"
