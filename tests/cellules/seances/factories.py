# mypy: disallow-untyped-calls=False
"""Factories of ``cellules.seances``: meetings, and the small world the meeting tests start from.

``monde()`` gives a Dijon cell with its coordinator, one member and one case; ``dans(jours)`` a
time of day ``jours`` days from now; ``seance_passee`` a meeting that has begun (scheduling
refuses the past, so it is built directly).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, SubFactory
from factory.django import DjangoModelFactory

from acces.enums import Role
from acces.models import Utilisateur
from cellules.composition.models import Cellule, MembreCellule
from cellules.dossiers.models import Situation
from cellules.seances.models import Seance
from tests.cellules.composition.factories import CelluleFactory, agent, cellule, membre
from tests.cellules.dossiers.factories import situation as situation_de


def dans(jours: float, heure: int = 14) -> dt.datetime:
    jour = timezone.localtime() + dt.timedelta(days=jours)
    return jour.replace(hour=heure, minute=0, second=0, microsecond=0)


class SeanceFactory(DjangoModelFactory[Seance]):
    """A two-hour meeting a week from now, at 14:00."""

    class Meta:
        model = Seance

    cellule = SubFactory(CelluleFactory)
    debut = LazyFunction(lambda: dans(7))
    fin = LazyAttribute(lambda o: o.debut + dt.timedelta(hours=2))
    creee_par = None


@dataclass
class Monde:
    coord: Utilisateur
    cellule: Cellule
    membre: MembreCellule
    situation: Situation


def monde(**situation: Any) -> Monde:
    coord = agent(Role.COORDONNATEUR, communes=("21231",))
    cell = cellule("21231", coordonnateurs=(coord,))
    return Monde(coord, cell, membre(cell), situation_de(cell, **situation))


def seance_passee(cellule: Cellule, coord: Utilisateur) -> Seance:
    """A meeting that began an hour ago (built directly: scheduling refuses the past)."""
    objet = SeanceFactory(
        cellule=cellule, debut=timezone.now() - dt.timedelta(hours=1), creee_par=coord
    )
    assert isinstance(objet, Seance)
    return objet
