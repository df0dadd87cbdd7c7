"""Codes of the access log's events: actions and reasons (machine codes, never free text).

``acces`` emits some of them (logins, grants, decryption failures…) through :mod:`acces.ports`
and imports nothing from ``audit``, so the shared vocabulary lives here, in the lower layer.
``audit.enums`` re-exports both lists, which are the choices of its columns.
"""

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
    EXCLUSION_LEVEE = "exclusion_levee", "exclusion levée"
