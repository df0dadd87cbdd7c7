from django.db import models


class TypeOrganisation(models.TextChoices):
    PARQUET = "parquet", "parquet"
    POLICE_NATIONALE = "police_nationale", "police nationale"
    GENDARMERIE = "gendarmerie", "gendarmerie"
    COMMUNE = "commune", "commune — direction de la tranquillité publique"
    PJJ = "pjj", "protection judiciaire de la jeunesse"
    SPIP = "spip", "service pénitentiaire d'insertion et de probation"
    EDUCATION_NATIONALE = "education_nationale", "Éducation nationale"
    BAILLEUR_SOCIAL = "bailleur_social", "bailleur social"
    MISSION_LOCALE = "mission_locale", "mission locale"
    PREVENTION_SPECIALISEE = "prevention_specialisee", "prévention spécialisée"
    CCAS = "ccas", "centre communal d'action sociale"
    METROPOLE = "metropole", "métropole"
    STRUCTURE_ACCUEIL = "structure_accueil", "structure d'accueil"
    AUTRE = "autre", "autre"


class Role(models.TextChoices):
    DELEGUE_PROCUREUR = "delegue_procureur", "délégué du procureur"
    DIRECTEUR_TRANQUILLITE = "directeur_tranquillite", "directeur de la tranquillité publique"
    COORDONNATEUR = "coordonnateur", "coordonnateur CLSPD / CISPD"
    MEMBRE_CELLULE = "membre_cellule", "membre de cellule"
    REFERENT_ACCUEIL = "referent_accueil", "référent de structure d'accueil"
    CONSEILLER_EXECUTION = "conseiller_execution", "conseiller d'exécution (SPIP / PJJ)"
    AUDITEUR = "auditeur", "auditeur"
    ADMIN_TECHNIQUE = "admin_technique", "administrateur technique"


class TypeQuartier(models.TextChoices):
    QPV = "qpv", "quartier prioritaire de la politique de la ville"
    VEILLE = "veille", "quartier de veille active"


class CategorieInformation(models.TextChoices):
    IDENTITE = "identite", "identité"
    SCOLARITE_FAMILLE = "scolarite_famille", "scolarité / famille"
    FAITS_SIGNALES = "faits_signales", "faits signalés"
    ANTECEDENTS_JUDICIAIRES = "antecedents_judiciaires", "antécédents judiciaires"
    ORIENTATIONS = "orientations", "orientations"
    SUIVI = "suivi", "suivi"


# The conseiller d'exécution is an agent of one of these services; a PJJ agent deals with
# minors only, a SPIP agent with adults only (DESIGN.md §2).
TYPES_ORGANISATION_CONSEILLER = frozenset({TypeOrganisation.SPIP, TypeOrganisation.PJJ})
# Roles scoped to a ressort: the habilitation names one.
ROLES_A_RESSORT = frozenset({Role.DELEGUE_PROCUREUR, Role.CONSEILLER_EXECUTION})

# Roles that never read case content (docs/modele-de-securite.md, actors).
ROLES_SANS_DONNEES_PERSONNELLES = frozenset({Role.AUDITEUR, Role.ADMIN_TECHNIQUE})
# Every other role reads personal data: it takes effect once a second person approves it.
ROLES_DONNEES_PERSONNELLES = frozenset(Role) - ROLES_SANS_DONNEES_PERSONNELLES
# Granted through the API, these wait for a second administrator's approval: the roles that read
# personal data, and the administrator's own (or one administrator could appoint the second).
ROLES_A_APPROUVER = ROLES_DONNEES_PERSONNELLES | {Role.ADMIN_TECHNIQUE}


def famille_de_role(role: str) -> str:
    """Roles of different families never coexist on one account (issue 9, item 2).

    The auditor controls the administrator, and neither reads personal data: each is a family
    of its own, and every role that reads personal data is the third one.
    """
    if role in ROLES_SANS_DONNEES_PERSONNELLES:
        return str(role)
    return "donnees_personnelles"


class MotifExclusion(models.TextChoices):
    MANQUEMENT_CHARTE = "manquement_charte", "manquement à la charte de confidentialité"
    FIN_DE_FONCTION = "fin_de_fonction", "fin de fonction"
    AUTRE = "autre", "autre"


class MotifLevee(models.TextChoices):
    EXCLUSION_ERRONEE = "exclusion_erronee", "exclusion prononcée à tort"
    MANQUEMENT_REGULARISE = "manquement_regularise", "manquement régularisé"
    REPRISE_DE_FONCTION = "reprise_de_fonction", "reprise de fonction"
    AUTRE = "autre", "autre"


class PorteeExclusion(models.TextChoices):
    PLATEFORME = "plateforme", "toute la plateforme"
    CELLULES = "cellules", "cellules désignées"


class Action(models.TextChoices):
    LIRE = "lire", "lire"
    MODIFIER = "modifier", "modifier"
    SUPPRIMER = "supprimer", "supprimer"
    EXPORTER = "exporter", "exporter"
