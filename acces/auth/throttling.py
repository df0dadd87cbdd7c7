"""Login throttling per account and per IP address, kept in the database.

Thresholds (documented for ASVS 6.1.1):

- per account (any IP): after ``SEUIL`` failures, the account waits 60 s, then twice as long after
  each new failure, capped at 15 min. Attempts during the wait are refused with 429 *without*
  being counted, so an attacker cannot extend the wait, and the account is free again once it
  ends: no permanent (malicious) lockout. A success resets the counter.
- per IP address (any account): after 50 failures the address waits 60 s, doubling up to 15 min;
  this stops credential stuffing from one address without touching other users.

The counter of an account is keyed by a keyed hash of the username as typed, whether or not the
account exists, so the answers do not reveal which usernames exist.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from rest_framework.exceptions import Throttled
from rest_framework.request import Request

from acces.auth.models import CompteurEchecs


@dataclass(frozen=True)
class Politique:
    seuil: int
    attente_initiale: timedelta
    attente_max: timedelta
    oubli: timedelta  # failures older than this are forgotten


COMPTE = Politique(5, timedelta(seconds=60), timedelta(minutes=15), timedelta(hours=1))
ADRESSE = Politique(50, timedelta(seconds=60), timedelta(minutes=15), timedelta(minutes=15))


def _empreinte(valeur: str) -> str:
    return salted_hmac("acces.auth.throttling", valeur, algorithm="sha256").hexdigest()[:40]


def cle_compte(portee: str, username: str) -> str:
    return f"{portee}:c:{_empreinte(username.strip().casefold())}"


def cle_adresse(portee: str, adresse: str) -> str:
    return f"{portee}:a:{_empreinte(adresse)}"


def adresse_client(request: Request) -> str:
    """Client address; ``X-Forwarded-For`` is believed only from a configured proxy."""
    distante = str(request.META.get("REMOTE_ADDR", ""))
    transmise = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if transmise and distante in settings.PROXIES_DE_CONFIANCE:
        # The trusted proxy appends the address it saw: the last entry is the only reliable one.
        return transmise.split(",")[-1].strip()
    return distante


def attente(cle: str) -> int:
    """Seconds still to wait for this key (0 when free)."""
    bloque = (
        CompteurEchecs.objects.filter(cle=cle, bloque_jusqu_a__gt=timezone.now())
        .values_list("bloque_jusqu_a", flat=True)
        .first()
    )
    if bloque is None:
        return 0
    return max(1, math.ceil((bloque - timezone.now()).total_seconds()))


def verifier(*cles: str) -> None:
    """Refuse with 429 and ``Retry-After`` while any of the keys is waiting."""
    secondes = max((attente(cle) for cle in cles), default=0)
    if secondes:
        raise Throttled(wait=secondes)


def enregistrer_echec(cle: str, politique: Politique) -> None:
    maintenant = timezone.now()
    with transaction.atomic():
        CompteurEchecs.objects.get_or_create(cle=cle)
        compteur = CompteurEchecs.objects.select_for_update().get(cle=cle)
        if maintenant - compteur.fenetre_debut > politique.oubli:
            compteur.echecs = 0
        compteur.echecs += 1
        compteur.fenetre_debut = maintenant
        if compteur.echecs >= politique.seuil:
            rang = min(compteur.echecs - politique.seuil, 20)
            duree = min(politique.attente_initiale * 2**rang, politique.attente_max)
            compteur.bloque_jusqu_a = maintenant + duree
        compteur.save()


def effacer(cle: str) -> None:
    CompteurEchecs.objects.filter(cle=cle).delete()
