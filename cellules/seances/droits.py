"""Expiring read grants of the cases on a meeting's agenda, kept in step with convocations.

A convened member reads a case on the agenda from the convocation until
``CELLULES_ACCES_APRES_SEANCE_JOURS`` days after the end of the latest meeting (planned or
held) that convenes him about it. Grants without expiry were given by hand and are left alone.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from acces.models import Utilisateur
from cellules.models import AccesSituation, Situation
from cellules.seances.enums import StatutSeance
from cellules.seances.models import Seance
from cellules.services import acces_accorder

STATUTS_OUVRANT_ACCES = (StatutSeance.PLANIFIEE, StatutSeance.TENUE)


def delai_apres_seance() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "CELLULES_ACCES_APRES_SEANCE_JOURS", 7)))


def echeance_voulue(situation: Situation, utilisateur: Utilisateur) -> dt.datetime | None:
    fin = Seance.objects.filter(
        statut__in=STATUTS_OUVRANT_ACCES,
        points__situation=situation,
        convocations__valide=True,
        convocations__membre__actif=True,
        convocations__membre__utilisateur=utilisateur,
    ).aggregate(fin=Max("fin"))["fin"]
    return None if fin is None else fin + delai_apres_seance()


def synchroniser(*, situation: Situation, utilisateur: Utilisateur, acteur: Utilisateur) -> None:
    """Set, extend, shorten or withdraw the meeting grant of one user on one case."""
    existants = list(AccesSituation.objects.filter(user=utilisateur, content_object=situation))
    if any(a.expire_le is None for a in existants):
        return
    voulue = echeance_voulue(situation, utilisateur)
    if voulue is None or voulue <= timezone.now():
        for acces in existants:
            acces.delete()
        return
    if [a.expire_le for a in existants] != [voulue]:
        acces_accorder(situation=situation, utilisateur=utilisateur, jusqu_au=voulue, acteur=acteur)


def synchroniser_seance(seance: Seance, acteur: Utilisateur) -> None:
    """Every (convened user, case on the agenda) pair of one meeting."""
    points = list(seance.points.select_related("situation"))
    convocations = seance.convocations.select_related("membre__utilisateur")
    for convocation in convocations:
        for point in points:
            synchroniser(
                situation=point.situation, utilisateur=convocation.membre.utilisateur, acteur=acteur
            )
