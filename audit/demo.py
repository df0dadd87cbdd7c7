"""Demo access events (synthetic record ids) so that the auditor account has a log to review.

Runs after ``acces.demo.charger`` (accounts exist); idempotent: nothing is added twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone

from acces.models import Utilisateur
from acces.perimetre import perimetre_de
from audit import anomalies, chaine, points
from audit.enums import ActionAcces, Motif, Raison, Resultat
from audit.models import EvenementAcces

ESPACE = uuid.UUID("0b7e3f0c-2f0a-4a57-bd8e-6c0a1f9e5d21")
MARQUE = "demo"
LECTEURS = ("dtp.dijon", "membre.pjj", "delegue.procureur", "coord.quetigny")
MOTIFS = (Motif.PREPARATION_SEANCE, Motif.SUIVI_ORIENTATION, Motif.EXECUTION_MESURE)


def _situation(numero: int) -> str:
    return str(uuid.uuid5(ESPACE, f"situation-{numero}"))


def _base(user: Utilisateur, quand: dt.datetime, requete: str) -> dict[str, Any]:
    perimetre = perimetre_de(user)
    return {
        "horodatage": quand,
        "utilisateur_id": user.pk,
        "roles": ",".join(sorted(perimetre.roles)),
        "organisation_id": perimetre.organisation_id,
        "request_id": f"{MARQUE}{requete}",
        "adresse_ip": "192.0.2.20",
    }


def _lignes(users: list[Utilisateur], debut: dt.datetime) -> list[dict[str, Any]]:
    lignes: list[dict[str, Any]] = []
    for jour in range(5):
        for rang, user in enumerate(users):
            quand = debut + dt.timedelta(days=jour, hours=9 + rang)
            base = _base(user, quand, f"-{jour}-{rang}")
            motif = MOTIFS[(jour + rang) % len(MOTIFS)]
            for numero in range(rang, rang + 3):  # a list of three cases
                lignes.append(
                    {
                        **base,
                        "action": ActionAcces.LISTE,
                        "type_objet": "cellules.situation",
                        "objet_id": _situation(numero),
                        "motif": motif,
                        "resultat": Resultat.AUTORISE,
                    }
                )
        refus = _base(users[0], debut + dt.timedelta(days=jour, hours=16), f"-{jour}-refus")
        lignes.append(
            {
                **refus,
                "action": ActionAcces.REFUS,
                "type_objet": "cellules.situation",
                "objet_id": _situation(90 + jour),
                "resultat": Resultat.REFUSE,
                "raison": Raison.HORS_PERIMETRE,
            }
        )
    nuit = debut + dt.timedelta(days=5, hours=22)  # 23 h in Paris: flagged by the anomaly job
    lignes.append(
        {
            **_base(users[-1], nuit, "-nuit"),
            "action": ActionAcces.CONSULTATION,
            "type_objet": "cellules.situation",
            "objet_id": _situation(1),
            "motif": Motif.CONTROLE,
            "resultat": Resultat.AUTORISE,
        }
    )
    return lignes


def charger() -> list[dict[str, Any]]:
    if EvenementAcces.objects.filter(request_id__startswith=MARQUE).exists():
        return []
    users = list(Utilisateur.objects.filter(username__in=LECTEURS).order_by("username"))
    if not users:
        return []
    debut = (timezone.now() - dt.timedelta(days=7)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    lignes = _lignes(users, debut)
    chaine.ajouter(lignes)
    anomalies.detecter(lignes[-1]["horodatage"] + dt.timedelta(hours=1))
    points.ecrire_tete()
    return []
