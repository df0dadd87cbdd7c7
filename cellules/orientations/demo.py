"""Demo orientations (for part of the demo cases), then the demo rappels à l'ordre per commune
(``cellules.registres.demo``, same random sequence).

Runs after ``cellules.dossiers.demo.charger``; synthetic data only, fixed seed. Running it again
adds nothing: orientations are drawn only once and rappels are topped up.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from django.apps import apps
from django.utils import timezone

from acces.models import Utilisateur
from cellules.composition import selectors as selecteurs_composition
from cellules.dossiers.enums import StatutSituation
from cellules.dossiers.models import Situation
from cellules.orientations import referentiel
from cellules.orientations.enums import StatutOrientation
from cellules.orientations.models import MesureOrientation, Orientation
from cellules.registres import demo as demo_registres

GRAINE = 2026
PART_ORIENTEE = 0.6
STATUTS_SUIVIS = (StatutSituation.INSCRITE_ORDRE_DU_JOUR, StatutSituation.SUIVIE)


def _decideur() -> Utilisateur | None:
    return (
        Utilisateur.objects.filter(username__in=("coord.quetigny", "delegue.procureur"))
        .order_by("username")
        .first()
    )


def _orientation(hasard: random.Random, situation: Situation, decideur: Utilisateur) -> None:
    mesures = list(MesureOrientation.objects.filter(active=True).exclude(types=["judiciaire"]))
    mesure = hasard.choice(mesures)
    # Entrusted to a partner of the cell (or the decider's own organisation), as the service asks.
    organisations = list(selecteurs_composition.partenaires(situation.cellule))
    if not organisations and decideur.organisation is not None:
        organisations = [decideur.organisation]
    decidee = timezone.localdate() - dt.timedelta(days=hasard.randint(5, 200))
    echeance = decidee + dt.timedelta(days=hasard.choice((30, 60, 90)))
    statut = hasard.choice(list(StatutOrientation.values))
    Orientation.objects.create(
        id=uuid.uuid4(),
        situation=situation,
        type=hasard.choice([t for t in mesure.types if t != "judiciaire"]),
        mesure=mesure,
        organisation=hasard.choice(organisations),
        echeance=echeance,
        statut=statut,
        resultat="objectif_atteint" if statut == StatutOrientation.REALISEE else "",
        decidee_le=decidee,
        cloturee_le=echeance if statut == StatutOrientation.REALISEE else None,
        decidee_par=decideur,
    )


def charger() -> list[dict[str, Any]]:
    """Load the demo orientations and rappels; returns no account."""
    referentiel.charger(apps)
    decideur = _decideur()
    if decideur is None:
        return []
    hasard = random.Random(GRAINE)  # noqa: S311 - synthetic demo data
    situations = Situation.objects.filter(statut__in=STATUTS_SUIVIS)
    if Orientation.objects.exists():
        situations = situations.none()
    for situation in situations.order_by("id"):
        if hasard.random() < PART_ORIENTEE:
            for _ in range(hasard.randint(1, 2)):
                _orientation(hasard, situation, decideur)
    demo_registres.rappels(hasard, decideur)
    return []
