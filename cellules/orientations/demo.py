"""Demo orientations (for part of the demo cases) and rappels à l'ordre per commune.

Runs after ``cellules.demo.charger``; synthetic data only, fixed seed. Running it again adds
nothing: orientations are drawn only once and rappels are topped up to
``RAPPELS_PAR_COMMUNE``.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from django.apps import apps
from django.utils import timezone

from acces.models import Organisation, Utilisateur
from cellules.demo import COMMUNES_QPV
from cellules.enums import StatutSituation
from cellules.models import Personne, Situation
from cellules.orientations import referentiel
from cellules.orientations.enums import (
    REFERENCE_RAPPEL_ORDRE,
    Accompagnant,
    FaitRappel,
    QualiteAuteur,
    StatutOrientation,
)
from cellules.orientations.models import Mesure, Orientation, RappelOrdre, ReferenceJuridique

GRAINE = 2026
PART_ORIENTEE = 0.6
RAPPELS_PAR_COMMUNE = 6
STATUTS_SUIVIS = (StatutSituation.INSCRITE_ORDRE_DU_JOUR, StatutSituation.SUIVIE)


def _decideur() -> Utilisateur | None:
    return (
        Utilisateur.objects.filter(username__in=("coord.quetigny", "delegue.procureur"))
        .order_by("username")
        .first()
    )


def _orientation(hasard: random.Random, situation: Situation, decideur: Utilisateur) -> None:
    mesures = list(Mesure.objects.filter(active=True).exclude(types=["judiciaire"]))
    mesure = hasard.choice(mesures)
    organisations = list(Organisation.objects.filter(active=True).order_by("nom"))
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


def _rappel(hasard: random.Random, commune: str, personne: Personne, auteur: Utilisateur) -> None:
    date = timezone.localdate() - dt.timedelta(days=hasard.randint(1, 330))
    mineur = personne.mineur_au(date)
    RappelOrdre.objects.create(
        id=uuid.uuid4(),
        commune_id=commune,
        date=date,
        qualite_auteur=QualiteAuteur.MAIRE,
        personne=personne,
        faits=sorted(hasard.sample(FaitRappel.values, 1)),
        mineur=mineur,
        accompagnant=Accompagnant.PARENTS if mineur else "",
        reference=ReferenceJuridique.objects.get(code=REFERENCE_RAPPEL_ORDRE),
        cree_par=auteur,
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
    for commune in COMMUNES_QPV:
        personnes = list(
            Personne.objects.filter(situations__commune_id=commune).order_by("id")[:50]
        )
        manquants = RAPPELS_PAR_COMMUNE - RappelOrdre.objects.filter(commune_id=commune).count()
        for _ in range(max(0, manquants) if personnes else 0):
            _rappel(hasard, commune, hasard.choice(personnes), decideur)
    return []
