"""E-mails to the auditors: a pointer to the log, never names, facts or counts per person."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from acces.enums import Role
from acces.models import Habilitation, Utilisateur

OBJET = "Journal des accès : une alerte est à examiner"
CHEMIN = "/api/v1/audit/evenements/?action=alerte&seq_min={seq}"


def destinataires() -> list[str]:
    auditeurs = Habilitation.objects.actives().filter(role=Role.AUDITEUR).values("utilisateur")
    adresses = Utilisateur.objects.filter(
        pk__in=auditeurs, is_active=True, email__isnull=False
    ).exclude(email="")
    return sorted(set(adresses.values_list("email", flat=True)))


def notifier_alertes(premier_seq: int, nombre: int) -> int:
    """One e-mail per auditor (not one listing all of them); returns how many were sent."""
    corps = (
        "Une alerte est à examiner dans le journal des accès "
        f"({nombre} nouvelle(s) alerte(s)).\n"
        f"Consultez : {CHEMIN.format(seq=int(premier_seq))}\n"
    )
    envoyes = 0
    for adresse in destinataires():
        envoyes += send_mail(OBJET, corps, settings.DEFAULT_FROM_EMAIL, [adresse])
    return envoyes
