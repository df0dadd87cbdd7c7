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


class EtatEnvoi(models.TextChoices):
    """Delivery state of the last e-mail announced to a convened member."""

    EN_ATTENTE = "en_attente", "en attente d'envoi"
    ENVOYE = "envoye", "envoyé"
    ECHEC = "echec", "échec"
    SANS_OBJET = "sans_objet", "sans objet (convocation retirée, membre inactif ou séance changée)"


class MotifEchecEnvoi(models.TextChoices):
    """Why an e-mail failed: closed list, never the mail server's text (it may quote an address)."""

    AUCUNE_ADRESSE = "aucune_adresse", "aucune adresse"
    ADRESSE_REFUSEE = "adresse_refusee", "adresse refusée par le serveur de messagerie"
    SERVEUR_INJOIGNABLE = "serveur_injoignable", "serveur de messagerie injoignable"


class TypeLieu(models.TextChoices):
    """Where a meeting is held: a closed list, never free text (a place can name a person)."""

    MAIRIE = "mairie", "mairie"
    SALLE_MUNICIPALE = "salle_municipale", "salle municipale"
    LOCAUX_CLSPD = "locaux_clspd", "locaux du CLSPD / CISPD"
    METROPOLE = "metropole", "siège de la métropole"
    COMMISSARIAT = "commissariat", "commissariat de police"
    GENDARMERIE = "gendarmerie", "brigade de gendarmerie"
    TRIBUNAL = "tribunal", "tribunal judiciaire"
    LOCAUX_PARTENAIRE = "locaux_partenaire", "locaux d'un partenaire"
    VISIOCONFERENCE = "visioconference", "visioconférence"
    AUTRE = "autre", "autre lieu"
