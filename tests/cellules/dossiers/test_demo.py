"""The demo step loads cells and ~200 synthetic cases, and adds nothing when run again."""

from __future__ import annotations

import pytest
from django.conf import settings

from acces import demo as demo_acces
from cellules.composition.models import Cellule
from cellules.dossiers import demo
from cellules.dossiers.models import Situation
from tests.cellules.composition.factories import commune_de

pytestmark = pytest.mark.django_db


def test_demo_step_is_registered() -> None:
    assert "cellules.dossiers.demo.charger" in settings.DEMO_ETAPES


def test_demo_cells_and_cases_are_idempotent() -> None:
    for code in demo.COMMUNES_QPV:
        commune_de(code)
    demo_acces.charger()
    assert demo.charger() == []
    cellules = Cellule.objects.all()
    assert {c.commune_id for c in cellules} == {*demo.COMMUNES_QPV, None}
    assert cellules.get(cispd=True).coordonnateurs.filter(username="coord.cispd").exists()
    assert Situation.objects.count() == demo.NOMBRE
    assert Situation.objects.values("commune").distinct().count() == len(demo.COMMUNES_QPV)
    demo.charger()
    assert (Cellule.objects.count(), Situation.objects.count()) == (6, demo.NOMBRE)
