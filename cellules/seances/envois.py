"""Convocation e-mails: an opaque reference, a date, a time and a link; never names, facts,
place or any text typed by a user (checklist E4). The ``.ics`` attachment follows the same rule.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from cellules.seances import ics
from cellules.seances.enums import NatureEnvoi, StatutSeance
from cellules.seances.models import Convocation

OBJETS = {
    NatureEnvoi.CONVOCATION: "Convocation à une séance de cellule",
    NatureEnvoi.RAPPEL: "Rappel : séance de cellule à venir",
    NatureEnvoi.MODIFICATION: "Séance de cellule déplacée",
    NatureEnvoi.ANNULATION: "Séance de cellule annulée",
}
PHRASES = {
    NatureEnvoi.CONVOCATION: "Vous êtes convoqué(e) à une séance de la cellule {ref}.",
    NatureEnvoi.RAPPEL: "Rappel : vous êtes convoqué(e) à une séance de la cellule {ref}.",
    NatureEnvoi.MODIFICATION: "La séance de la cellule {ref} à laquelle vous êtes convoqué(e) "
    "a été déplacée.",
    NatureEnvoi.ANNULATION: "La séance de la cellule {ref} à laquelle vous étiez convoqué(e) "
    "est annulée.",
}


def _toujours_valable(convocation: Convocation, nature: str) -> bool:
    """The state the message announces still holds (a late or replayed task sends nothing)."""
    seance = convocation.seance
    utilisateur = convocation.membre.utilisateur
    if not (convocation.valide and convocation.membre.actif and utilisateur.is_active):
        return False
    if not utilisateur.email:
        return False
    if nature == NatureEnvoi.ANNULATION:
        return seance.statut == StatutSeance.ANNULEE
    return seance.statut == StatutSeance.PLANIFIEE and seance.debut > timezone.now()


def corps(convocation: Convocation, nature: str) -> str:
    seance = convocation.seance
    debut, fin = timezone.localtime(seance.debut), timezone.localtime(seance.fin)
    return (
        PHRASES[NatureEnvoi(nature)].format(ref=seance.cellule_id)
        + "\n\n"
        + f"Date : {debut:%d/%m/%Y}\n"
        + f"Heure : {debut:%H:%M} – {fin:%H:%M}\n\n"
        + f"Lieu et ordre du jour après connexion : {ics.chemin(seance)}\n"
    )


def envoyer(convocation_id: str, nature: str) -> int:
    """Send one convocation e-mail if it is still due; returns how many were sent (0 or 1)."""
    if nature not in NatureEnvoi.values:
        return 0
    convocation = (
        Convocation.objects.select_related("seance", "membre__utilisateur")
        .filter(pk=convocation_id)
        .first()
    )
    if convocation is None or not _toujours_valable(convocation, nature):
        return 0
    adresse = convocation.membre.utilisateur.email
    message = EmailMessage(
        OBJETS[NatureEnvoi(nature)],
        corps(convocation, nature),
        settings.DEFAULT_FROM_EMAIL,
        [adresse],
    )
    annulation = nature == NatureEnvoi.ANNULATION
    methode = "CANCEL" if annulation else "REQUEST"
    message.attach(
        "seance.ics",
        ics.invitation(convocation.seance, annulation=annulation, destinataire=adresse),
        f"text/calendar; charset=utf-8; method={methode}",
    )
    return message.send()
