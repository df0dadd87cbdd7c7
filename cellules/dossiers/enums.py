"""Closed lists of the cases (CNIL: closed lists rather than free text)."""

from django.db import models


class StatutSituation(models.TextChoices):
    SIGNALEE = "signalee", "signalée"
    INSCRITE_ORDRE_DU_JOUR = "inscrite_ordre_du_jour", "inscrite à l'ordre du jour"
    SUIVIE = "suivie", "suivie"
    CLOTUREE = "cloturee", "clôturée"
    ARCHIVEE = "archivee", "archivée"
    PURGEE = "purgee", "purgée"


# A case still being worked on: only these may be put on a meeting's agenda.
STATUTS_OUVERTS = frozenset(
    {StatutSituation.SIGNALEE, StatutSituation.INSCRITE_ORDRE_DU_JOUR, StatutSituation.SUIVIE}
)


class Transition(models.TextChoices):
    INSCRIRE = "inscrire", "inscrire à l'ordre du jour"
    SUIVRE = "suivre", "mettre en suivi"
    CLOTURER = "cloturer", "clôturer"
    ARCHIVER = "archiver", "archiver"


# transition -> (allowed source statuses, target status)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    Transition.INSCRIRE: (
        frozenset({StatutSituation.SIGNALEE}),
        StatutSituation.INSCRITE_ORDRE_DU_JOUR,
    ),
    Transition.SUIVRE: (
        frozenset({StatutSituation.INSCRITE_ORDRE_DU_JOUR}),
        StatutSituation.SUIVIE,
    ),
    Transition.CLOTURER: (
        frozenset(
            {
                StatutSituation.SIGNALEE,
                StatutSituation.INSCRITE_ORDRE_DU_JOUR,
                StatutSituation.SUIVIE,
            }
        ),
        StatutSituation.CLOTUREE,
    ),
    Transition.ARCHIVER: (frozenset({StatutSituation.CLOTUREE}), StatutSituation.ARCHIVEE),
}


class MotifCloture(models.TextChoices):
    OBJECTIFS_ATTEINTS = "objectifs_atteints", "objectifs atteints"
    RELAIS_DISPOSITIF = "relais_dispositif", "relais pris par un autre dispositif"
    DEMENAGEMENT = "demenagement", "déménagement hors du territoire"
    REFUS_ADHESION = "refus_adhesion", "refus d'adhésion"
    INCARCERATION = "incarceration", "incarcération"
    MAJORITE_LIMITE_AGE = "limite_age", "limite d'âge atteinte"
    SANS_SUITE = "sans_suite", "signalement sans suite"
    AUTRE = "autre", "autre"


class SourceSignalement(models.TextChoices):
    POLICE_NATIONALE = "police_nationale", "police nationale"
    GENDARMERIE = "gendarmerie", "gendarmerie"
    POLICE_MUNICIPALE = "police_municipale", "police municipale"
    PARQUET = "parquet", "parquet"
    EDUCATION_NATIONALE = "education_nationale", "Éducation nationale"
    BAILLEUR_SOCIAL = "bailleur_social", "bailleur social"
    PREVENTION_SPECIALISEE = "prevention_specialisee", "prévention spécialisée"
    PJJ = "pjj", "protection judiciaire de la jeunesse"
    SPIP = "spip", "service pénitentiaire d'insertion et de probation"
    SERVICES_SOCIAUX = "services_sociaux", "services sociaux"
    MAIRIE = "mairie", "mairie"
    TRANSPORTEUR = "transporteur", "opérateur de transport"
    AUTRE = "autre", "autre partenaire"


class Profil(models.TextChoices):
    EXPOSE_AUX_RISQUES = "expose_aux_risques", "exposé aux risques"
    CONDUITES_PERTURBATRICES = "conduites_perturbatrices", "conduites perturbatrices"
    DECROCHEUR_SCOLAIRE = "decrocheur_scolaire", "décrocheur scolaire"
    PRIMO_DELINQUANT = "primo_delinquant", "primo-délinquant"
    REITERANT = "reiterant", "réitérant"
    RECIDIVISTE = "recidiviste", "récidiviste"
    SORTANT_DE_DETENTION = "sortant_de_detention", "sortant de détention"
    SUIVI_PJJ = "suivi_pjj", "suivi PJJ"
