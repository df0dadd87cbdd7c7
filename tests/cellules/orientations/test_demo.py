"""The demo step adds orientations and rappels à l'ordre, and nothing more when run again."""

from __future__ import annotations

import pytest
from django.conf import settings

from acces import demo as demo_acces
from cellules.dossiers import demo as demo_cellules
from cellules.orientations import demo
from cellules.orientations.models import Orientation
from cellules.registres import demo as demo_registres
from cellules.registres.models import RappelOrdre
from tests.cellules.composition.factories import commune_de

pytestmark = pytest.mark.django_db


def test_demo_step_runs_after_the_cases() -> None:
    etapes = list(settings.DEMO_ETAPES)
    assert etapes.index("cellules.orientations.demo.charger") > etapes.index(
        "cellules.dossiers.demo.charger"
    )


def test_demo_orientations_and_rappels_are_idempotent() -> None:
    for code in demo_cellules.COMMUNES_QPV:
        commune_de(code)
    demo_acces.charger()
    demo_cellules.charger()
    assert demo.charger() == []
    orientations, rappels = Orientation.objects.count(), RappelOrdre.objects.count()
    assert orientations > 0
    assert rappels == demo_registres.RAPPELS_PAR_COMMUNE * len(demo_cellules.COMMUNES_QPV)
    assert all(not r.mineur or r.accompagnant for r in RappelOrdre.objects.all())
    demo.charger()
    assert (Orientation.objects.count(), RappelOrdre.objects.count()) == (orientations, rappels)
