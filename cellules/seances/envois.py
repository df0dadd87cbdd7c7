"""Convocation e-mails: the cell's name, the date, time and place of the meeting, and an
absolute link; never a case, a person or any text typed by a user (checklist E4). The ``.ics``
attachment follows the same rule.

Each convocation keeps the delivery state of the last e-mail announced to its member: queued
when enqueued, then sent, failed (closed-list reason) or without object (the message no longer
held when its turn came). An account without an address fails at once, without a task.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import SafeMIMEText
from django.db import transaction
from django.utils import timezone

from cellules.seances import formats, ics
from cellules.seances.enums import EtatEnvoi, MotifEchecEnvoi, NatureEnvoi, StatutSeance
from cellules.seances.models import Convocation
from socle.outbox import enqueue

logger = logging.getLogger("cellules.seances.envois")

TACHE_ENVOI = "cellules.seances.envoyer_convocation"
# The mail server or the network being away: the task retries (see socle.tasks).
ERREURS_SMTP_TRANSITOIRES = (smtplib.SMTPException, OSError)

OBJETS = {
    NatureEnvoi.CONVOCATION: "Convocation à une séance de cellule",
    NatureEnvoi.RAPPEL: "Rappel : séance de cellule à venir",
    NatureEnvoi.MODIFICATION: "Séance de cellule déplacée",
    NatureEnvoi.ANNULATION: "Séance de cellule annulée",
}
PHRASES = {
    NatureEnvoi.CONVOCATION: "Vous êtes convoqué(e) à une séance de la cellule « {nom} ».",
    NatureEnvoi.RAPPEL: "Rappel : vous êtes convoqué(e) à une séance de la cellule « {nom} ».",
    NatureEnvoi.MODIFICATION: "La séance de la cellule « {nom} » à laquelle vous êtes "
    "convoqué(e) a été déplacée.",
    NatureEnvoi.ANNULATION: "La séance de la cellule « {nom} » à laquelle vous étiez "
    "convoqué(e) est annulée.",
}


def encore_due(convocation: Convocation, nature: str) -> bool:
    """The state the message announces still holds (a late or replayed task sends nothing)."""
    seance = convocation.seance
    utilisateur = convocation.membre.utilisateur
    if not (convocation.valide and convocation.membre.actif and utilisateur.is_active):
        return False
    if nature == NatureEnvoi.ANNULATION:
        return seance.statut == StatutSeance.ANNULEE
    return seance.statut == StatutSeance.PLANIFIEE and seance.debut > timezone.now()


def _noter(
    convocation: Convocation, nature: str, etat: str, motif: str = "", *, annonce: bool = False
) -> None:
    """Record the delivery state of ``nature``, unless a later message superseded it."""
    if not annonce and convocation.nature_envoi not in ("", nature):
        return
    convocation.nature_envoi = nature
    convocation.etat_envoi = etat
    convocation.motif_echec = motif
    convocation.etat_envoi_le = timezone.now()
    convocation.save(update_fields=["nature_envoi", "etat_envoi", "motif_echec", "etat_envoi_le"])
    if etat == EtatEnvoi.ECHEC:
        logger.warning(
            "envoi de convocation en échec",
            extra={"convocation": str(convocation.pk), "motif": motif, "nature": nature},
        )


def programmer(convocation: Convocation, nature: str) -> bool:
    """Announce ``nature`` to the member: enqueue the e-mail (queued), or fail at once when the
    account has no address. Call inside the writing transaction; True when enqueued."""
    if not convocation.membre.utilisateur.email:
        _noter(convocation, nature, EtatEnvoi.ECHEC, MotifEchecEnvoi.AUCUNE_ADRESSE, annonce=True)
        return False
    enqueue(TACHE_ENVOI, convocation_id=convocation.pk, nature=nature)
    _noter(convocation, nature, EtatEnvoi.EN_ATTENTE, annonce=True)
    return True


def corps(convocation: Convocation, nature: str) -> str:
    seance = convocation.seance
    lieu = ics.lieu(seance) or "précisé après connexion"
    return (
        PHRASES[NatureEnvoi(nature)].format(nom=seance.cellule.nom)
        + "\n\n"
        + f"Date : {formats.jour(timezone.localtime(seance.debut).date())}\n"
        + f"Heure : {formats.heure(seance.debut)} – {formats.heure(seance.fin)}\n"
        + f"Lieu : {lieu}\n\n"
        + f"Ordre du jour après connexion :\n{ics.lien(seance)}\n"
    )


def _piece_ics(convocation: Convocation, nature: str, adresse: str) -> SafeMIMEText:
    """The ``text/calendar`` part, built here so that its Content-Type names the charset once
    (``EmailMessage.attach`` with a mimetype carrying ``charset`` adds a second one)."""
    annulation = nature == NatureEnvoi.ANNULATION
    contenu = ics.invitation(convocation.seance, annulation=annulation, destinataire=adresse)
    piece = SafeMIMEText(contenu.decode(), "calendar", "utf-8")
    piece.set_param("method", "CANCEL" if annulation else "REQUEST")
    piece.add_header("Content-Disposition", "attachment", filename="seance.ics")
    return piece


def message(convocation: Convocation, nature: str) -> EmailMessage:
    adresse = convocation.membre.utilisateur.email
    courriel = EmailMessage(
        OBJETS[NatureEnvoi(nature)],
        corps(convocation, nature),
        settings.DEFAULT_FROM_EMAIL,
        [adresse],
    )
    courriel.attach(_piece_ics(convocation, nature, adresse))
    return courriel


@transaction.atomic
def envoyer(convocation_id: str, nature: str, *, dernier_essai: bool = True) -> int:
    """Send one convocation e-mail if it is still due; returns how many were sent (0 or 1).

    A transient failure (mail server away) is raised for the task to retry, and recorded as
    failed on the last attempt (``dernier_essai``); a refused address fails at once.
    """
    if nature not in NatureEnvoi.values:
        return 0
    convocation = (
        Convocation.objects.select_for_update(of=("self",))
        .select_related("seance__cellule", "membre__utilisateur")
        .filter(pk=convocation_id)
        .first()
    )
    if convocation is None:
        return 0
    if not encore_due(convocation, nature):
        _noter(convocation, nature, EtatEnvoi.SANS_OBJET)
        return 0
    if not convocation.membre.utilisateur.email:
        _noter(convocation, nature, EtatEnvoi.ECHEC, MotifEchecEnvoi.AUCUNE_ADRESSE)
        return 0
    try:
        envoyes = message(convocation, nature).send()
    except smtplib.SMTPRecipientsRefused:
        _noter(convocation, nature, EtatEnvoi.ECHEC, MotifEchecEnvoi.ADRESSE_REFUSEE)
        return 0
    except ERREURS_SMTP_TRANSITOIRES:
        if not dernier_essai:
            raise
        _noter(convocation, nature, EtatEnvoi.ECHEC, MotifEchecEnvoi.SERVEUR_INJOIGNABLE)
        return 0
    _noter(convocation, nature, EtatEnvoi.ENVOYE)
    return envoyes
