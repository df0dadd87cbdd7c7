"""Unusual reads (D11), flagged hourly as ``alerte`` events; auditors notified without data.

Over the last full hour: reads per user above ``AUDIT_SEUIL_LECTURES_HEURE``, reads at night
(22 h–6 h Europe/Paris) or at the weekend, at least ``AUDIT_SEUIL_REFUS_HEURE`` refusals. Each
alert is keyed by (reason, user, hour), so a rerun adds nothing.

Hook for the domain apps: ``AUDIT_DETECTEURS`` lists dotted callables ``(debut, fin) ->
Iterable[(utilisateur_id, nombre)]``, e.g. reads of cases absent from the user's agendas (which
needs ``cellules``); each hit becomes a ``hors_ordre_du_jour`` alert.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string

from audit import chaine
from audit.enums import ACTIONS_LECTURE, ActionAcces, Raison, Resultat
from audit.models import EvenementAcces
from socle.outbox import enqueue

ESPACE = uuid.UUID("6f1c2a52-8d1e-4b0e-9a55-3c2f0d7a9b41")
TYPE_ALERTE = "audit.alerte"
PARIS = ZoneInfo("Europe/Paris")

Detecteur = Callable[[dt.datetime, dt.datetime], Iterable[tuple[uuid.UUID, int]]]


def fenetre(maintenant: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """The last full hour (UTC-aligned, hence Paris-aligned too)."""
    fin = (
        (maintenant or timezone.now()).astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    )
    return fin - dt.timedelta(hours=1), fin


def heure_sensible(debut: dt.datetime) -> Raison | None:
    local = debut.astimezone(PARIS)
    if local.hour >= 22 or local.hour < 6:
        return Raison.LECTURE_NOCTURNE
    if local.weekday() >= 5:
        return Raison.LECTURE_WEEK_END
    return None


def _par_utilisateur(evenements: QuerySet[EvenementAcces]) -> dict[uuid.UUID, int]:
    lignes = (
        evenements.filter(utilisateur_id__isnull=False)
        .values("utilisateur_id")
        .annotate(n=Count("seq"))
        .values_list("utilisateur_id", "n")
    )
    return {utilisateur: int(n) for utilisateur, n in lignes if utilisateur is not None}


def _candidats(debut: dt.datetime, fin: dt.datetime) -> list[tuple[Raison, uuid.UUID, int]]:
    periode = EvenementAcces.objects.filter(horodatage__gte=debut, horodatage__lt=fin)
    lectures = _par_utilisateur(
        periode.filter(action__in=ACTIONS_LECTURE, resultat=Resultat.AUTORISE)
    )
    refus = _par_utilisateur(periode.filter(resultat=Resultat.REFUSE, action=ActionAcces.REFUS))
    candidats = [
        (Raison.VOLUME_HORAIRE, u, n)
        for u, n in lectures.items()
        if n > settings.AUDIT_SEUIL_LECTURES_HEURE
    ]
    candidats += [
        (Raison.REFUS_REPETES, u, n)
        for u, n in refus.items()
        if n >= settings.AUDIT_SEUIL_REFUS_HEURE
    ]
    sensible = heure_sensible(debut)
    if sensible is not None:
        candidats += [(sensible, u, n) for u, n in lectures.items()]
    for chemin in getattr(settings, "AUDIT_DETECTEURS", []):
        detecteur: Detecteur = import_string(chemin)
        candidats += [(Raison.HORS_ORDRE_DU_JOUR, u, n) for u, n in detecteur(debut, fin)]
    return candidats


def _cle(raison: str, utilisateur_id: uuid.UUID, debut: dt.datetime) -> str:
    return str(uuid.uuid5(ESPACE, f"{raison}:{utilisateur_id}:{debut.isoformat()}"))


@transaction.atomic
def detecter(maintenant: dt.datetime | None = None) -> list[EvenementAcces]:
    """Write the new alerts of the last full hour and queue one notification for them."""
    debut, fin = fenetre(maintenant)
    lignes = []
    for raison, utilisateur_id, nombre in _candidats(debut, fin):
        cle = _cle(raison, utilisateur_id, debut)
        if EvenementAcces.objects.filter(type_objet=TYPE_ALERTE, objet_id=cle).exists():
            continue
        lignes.append(
            {
                "utilisateur_id": utilisateur_id,
                "action": ActionAcces.ALERTE,
                "resultat": Resultat.AUTORISE,
                "raison": raison,
                "type_objet": TYPE_ALERTE,
                "objet_id": cle,
                "nombre": nombre,
            }
        )
    alertes = chaine.ajouter(lignes)
    if alertes:
        enqueue("audit.notifier_alertes", premier_seq=alertes[0].seq, nombre=len(alertes))
    return alertes
