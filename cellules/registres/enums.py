"""Closed lists of the rappel à l'ordre register and of transactions."""

from django.db import models


class QualiteAuteur(models.TextChoices):
    MAIRE = "maire", "maire"
    ADJOINT = "adjoint", "adjoint au maire (par délégation)"
    CONSEILLER_MUNICIPAL = "conseiller_municipal", "conseiller municipal (par délégation)"


class FaitRappel(models.TextChoices):
    """Facts that may harm good order, safety or public health and are neither crime nor délit."""

    INCIVILITES = "incivilites", "incivilités"
    CONFLIT_VOISINAGE = "conflit_voisinage", "conflit de voisinage"
    ABSENTEISME_SCOLAIRE = "absenteisme_scolaire", "absentéisme scolaire"
    NUISANCES_SONORES = "nuisances_sonores", "nuisances sonores"
    OCCUPATION_HALLS = "occupation_halls", "présence gênante dans les parties communes"
    ATTROUPEMENT_GENANT = "attroupement_genant", "attroupement gênant sur la voie publique"
    DEPOT_DECHETS = "depot_dechets", "dépôt sauvage de déchets"
    ANIMAUX_ERRANCE = "animaux_errance", "divagation d'animaux"
    REGLEMENT_MUNICIPAL = "reglement_municipal", "manquement à un arrêté municipal"
    COMPORTEMENT_IRRESPECTUEUX = "comportement_irrespectueux", "comportement irrespectueux"


class Accompagnant(models.TextChoices):
    PARENTS = "parents", "parents"
    REPRESENTANT_LEGAL = "representant_legal", "représentant légal"
    EDUCATEUR = "educateur", "éducateur"


class MotifSansAccompagnant(models.TextChoices):
    """Why a minor was seen alone (``en cas d'impossibilité``)."""

    PARENTS_INJOIGNABLES = "parents_injoignables", "impossibilité : parents injoignables"
    REPRESENTANT_EMPECHE = "representant_empeche", "impossibilité : représentant empêché"
    AUCUN_EDUCATEUR = "aucun_educateur", "impossibilité : aucun éducateur disponible"
    URGENCE = "urgence", "impossibilité : urgence"


class NatureTransaction(models.TextChoices):
    REPARATION = "reparation", "réparation du préjudice"
    TRAVAIL_NON_REMUNERE = "travail_non_remunere", "travail non rémunéré"


class ContraventionTransaction(models.TextChoices):
    """Contraventions harming communal property (the only ones the mayor may transact)."""

    DEGRADATION_LEGERE = "degradation_legere", "destruction ou dégradation légère"
    DEPOT_DECHETS = "depot_dechets", "abandon de déchets sur le domaine communal"
    INSCRIPTIONS = "inscriptions", "inscriptions, signes ou dessins"
    AFFICHAGE = "affichage", "affichage sauvage"
    ATTEINTE_ESPACES_VERTS = "atteinte_espaces_verts", "atteinte aux espaces verts"


class StatutTransaction(models.TextChoices):
    PROPOSEE = "proposee", "proposée"
    ACCEPTEE = "acceptee", "acceptée par l'auteur"
    REFUSEE = "refusee", "refusée par l'auteur"
    HOMOLOGUEE = "homologuee", "homologuée"
    NON_HOMOLOGUEE = "non_homologuee", "non homologuée"
    EXECUTEE = "executee", "exécutée"


class AutoriteHomologation(models.TextChoices):
    PROCUREUR = "procureur", "procureur de la République"
    JUGE_TRIBUNAL_POLICE = "juge_tribunal_police", "juge du tribunal de police"


# Stable keys of the reference rows the register and transactions point to.
REFERENCE_RAPPEL_ORDRE = "rappel_ordre"
REFERENCE_TRANSACTION = "transaction_municipale"
