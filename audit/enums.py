"""Closed lists of the access log: actions, purposes (motifs), outcomes and refusal reasons.

``ActionAcces`` and ``Raison`` are the codes that ``acces`` emits too: they live in
:mod:`acces.evenements` (the lower layer) and are re-exported here.
"""

from django.db import models

from acces.evenements import ActionAcces, Raison

__all__ = [
    "ACTIONS_LECTURE",
    "PRECISION_MASQUEE",
    "ActionAcces",
    "Motif",
    "PrecisionMotif",
    "Raison",
    "Resultat",
]

# Reads of personal data: what the anomaly job counts.
ACTIONS_LECTURE = frozenset(
    {
        ActionAcces.CONSULTATION,
        ActionAcces.LISTE,
        ActionAcces.RECHERCHE,
        ActionAcces.EXPORT,
        ActionAcces.PDF,
    }
)


class Motif(models.TextChoices):
    PREPARATION_SEANCE = "preparation_seance", "préparation de séance"
    SUIVI_ORIENTATION = "suivi_orientation", "suivi d'orientation"
    EXECUTION_MESURE = "execution_mesure", "exécution d'une mesure"
    CONTROLE = "controle", "contrôle"
    DEMANDE_DROITS = "demande_droits", "demande d'exercice des droits"


class PrecisionMotif(models.TextChoices):
    """Closed list of the optional precision of a motif (``X-Motif-Detail``), never free text:
    the access log is chained and kept for a year, a name typed there could never be removed."""

    SEANCE_A_VENIR = "seance_a_venir", "séance à venir"
    SUITES_SEANCE = "suites_seance", "suites d'une séance"
    ECHEANCE = "echeance", "échéance d'une orientation ou d'une mesure"
    NOUVEAU_SIGNALEMENT = "nouveau_signalement", "nouveau signalement"
    DEMANDE_PARQUET = "demande_parquet", "demande du parquet"
    DEMANDE_PERSONNE = "demande_personne", "demande de la personne concernée"
    CONTROLE_INTERNE = "controle_interne", "contrôle interne"
    CONTROLE_EXTERNE = "controle_externe", "contrôle externe (CNIL, inspection)"


# What auditors see in place of a free-text precision logged before the closed list.
PRECISION_MASQUEE = "masquee"


class Resultat(models.TextChoices):
    AUTORISE = "autorise", "autorisé"
    REFUSE = "refuse", "refusé"
