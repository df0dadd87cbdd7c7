"""Closed lists of the access log: actions, purposes (motifs), outcomes and refusal reasons."""

from django.db import models


class ActionAcces(models.TextChoices):
    CONSULTATION = "consultation", "consultation"
    LISTE = "liste", "ligne de liste"
    RECHERCHE = "recherche", "résultat de recherche"
    EXPORT = "export", "export"
    PDF = "pdf", "document PDF"
    REFUS = "refus", "accès refusé"
    CONNEXION = "connexion", "connexion"
    ECHEC_CONNEXION = "echec_connexion", "échec de connexion"
    DECONNEXION = "deconnexion", "déconnexion"
    SECURITE = "securite", "événement de sécurité"
    AUDIT = "audit", "consultation du journal"
    ALERTE = "alerte", "alerte"


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


class Raison(models.TextChoices):
    """Machine codes of refusals, security events and alerts (never free text)."""

    HORS_PERIMETRE = "hors_perimetre", "hors périmètre"
    CHARTE_NON_ACCEPTEE = "charte_non_acceptee", "charte non acceptée"
    VERIFICATION_REQUISE = "verification_requise", "vérification récente requise"
    MOTIF_REQUIS = "motif_requis", "motif requis ou invalide"
    ROLE_INSUFFISANT = "role_insuffisant", "rôle insuffisant"
    NON_AUTHENTIFIE = "non_authentifie", "non authentifié"
    IDENTIFIANTS_INVALIDES = "identifiants_invalides", "identifiants invalides"
    CODE_OTP_INVALIDE = "code_otp_invalide", "code de vérification invalide"
    COMPTE_BLOQUE = "compte_bloque", "compte temporairement bloqué"
    DECHIFFREMENT_IMPOSSIBLE = "dechiffrement_impossible", "déchiffrement impossible"
    CLE_DETRUITE = "cle_detruite", "clé de données détruite"
    VERIFICATION_CHAINE = "verification_chaine", "échec de vérification du journal"
    EXPEDITION_IMPOSSIBLE = "expedition_impossible", "copie externe du journal impossible"
    CLE_SECURITE_CLONEE = "cle_securite_clonee", "clé de sécurité clonée"
    VOLUME_HORAIRE = "volume_horaire", "volume de lectures inhabituel"
    LECTURE_NOCTURNE = "lecture_nocturne", "lectures de nuit"
    LECTURE_WEEK_END = "lecture_week_end", "lectures le week-end"
    REFUS_REPETES = "refus_repetes", "refus répétés"
    HORS_ORDRE_DU_JOUR = "hors_ordre_du_jour", "lecture hors ordre du jour"
    HABILITATION_ACCORDEE = "habilitation_accordee", "habilitation accordée"
    HABILITATION_APPROUVEE = "habilitation_approuvee", "habilitation approuvée"
    HABILITATION_REVOQUEE = "habilitation_revoquee", "habilitation révoquée"
    AUTO_HABILITATION = "auto_habilitation", "tentative de s'habiliter soi-même"
    ROLES_INCOMPATIBLES = "roles_incompatibles", "rôles incompatibles"
    UTILISATEUR_EXCLU = "utilisateur_exclu", "utilisateur exclu"
