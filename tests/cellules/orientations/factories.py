# mypy: disallow-untyped-calls=False
"""Factories of ``cellules.orientations``: the reference lists and the orientations of a case.

The reference lists are the seed of the data migration; ``referentiel()`` loads it again (a
transactional test may have flushed it). Rows are built directly, without the services' checks,
so that tests can place data anywhere.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, SubFactory
from factory.django import DjangoModelFactory

from acces.enums import Role
from acces.models import Organisation, Utilisateur
from cellules.dossiers.models import Situation
from cellules.orientations.enums import TypeOrientation
from cellules.orientations.models import MesureOrientation, Orientation
from tests.acces.factories import OrganisationFactory
from tests.cellules.composition.factories import agent
from tests.cellules.dossiers.factories import SituationFactory
from tests.cellules.dossiers.factories import situation as situation_de


def referentiel() -> None:
    """The seed of the data migration (a transactional test may have flushed it)."""
    from django.apps import apps

    from cellules.orientations import referentiel as seed

    seed.charger(apps)


def mesure(code: str = "prevention_specialisee") -> MesureOrientation:
    referentiel()
    return MesureOrientation.objects.get(code=code)


class OrientationFactory(DjangoModelFactory[Orientation]):
    """An educational orientation to a partner, due in 30 days, decided by a Dijon coordinator."""

    class Meta:
        model = Orientation

    class Params:
        code_mesure = "prevention_specialisee"

    id = LazyFunction(uuid.uuid4)
    situation = SubFactory(SituationFactory)
    decidee_par = LazyFunction(lambda: agent(Role.COORDONNATEUR, communes=("21231",)))
    type = TypeOrientation.EDUCATIVE
    mesure = LazyAttribute(lambda o: mesure(o.code_mesure))
    organisation = SubFactory(
        OrganisationFactory, nom=LazyFunction(lambda: f"Partenaire {uuid.uuid4().hex[:8]}")
    )
    echeance = LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


def orientation(
    situation: Situation | None = None,
    *,
    decideur: Utilisateur | None = None,
    type: str = TypeOrientation.EDUCATIVE,
    code_mesure: str = "prevention_specialisee",
    organisation: Organisation | None = None,
    **champs: Any,
) -> Orientation:
    situation = situation or situation_de()
    decideur = decideur or agent(Role.COORDONNATEUR, communes=("21231",))
    if organisation is not None:
        champs["organisation"] = organisation
    objet = OrientationFactory(
        situation=situation, decidee_par=decideur, type=type, code_mesure=code_mesure, **champs
    )
    assert isinstance(objet, Orientation)
    return objet
