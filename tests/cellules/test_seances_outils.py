# mypy: disallow-untyped-calls=False
"""Helpers of the meeting tests (no test here): a cell, its coordinator, members, meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from acces.enums import Role, TypeOrganisation
from acces.models import Utilisateur
from cellules.composition.models import Cellule, MembreCellule
from cellules.dossiers.models import Situation
from cellules.seances.models import Seance
from tests.cellules import factories as f


@dataclass
class Monde:
    coord: Utilisateur
    cellule: Cellule
    membre: MembreCellule
    situation: Situation


def membre(cellule: Cellule, type_organisation: str = TypeOrganisation.PJJ) -> MembreCellule:
    user = f.agent(Role.MEMBRE_CELLULE, type_organisation=type_organisation)
    assert user.organisation is not None
    return MembreCellule.objects.create(
        cellule=cellule, utilisateur=user, organisation=user.organisation, fonction="éducateur"
    )


def monde(**situation: Any) -> Monde:
    coord = f.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f.cellule("21231", coordonnateurs=(coord,))
    return Monde(coord, cellule, membre(cellule), f.situation(cellule, **situation))


def dans(jours: float, heure: int = 14) -> dt.datetime:
    jour = timezone.localtime() + dt.timedelta(days=jours)
    return jour.replace(hour=heure, minute=0, second=0, microsecond=0)


def seance_passee(cellule: Cellule, coord: Utilisateur) -> Seance:
    """A meeting that began an hour ago (built directly: scheduling refuses the past)."""
    debut = timezone.now() - dt.timedelta(hours=1)
    return Seance.objects.create(
        cellule=cellule, debut=debut, fin=debut + dt.timedelta(hours=2), creee_par=coord
    )
