"""Issue 9, item 13: the agenda of a meeting lists no case id of a cell whose charter in force
the reader has not accepted, as its cases are hidden."""

from __future__ import annotations

from typing import Any

import pytest

from acces.enums import Role
from cellules.chartes.services import charte_cellule_accepter
from cellules.seances.models import Seance
from tests.cellules.chartes.test_chartes import Monde
from tests.cellules.composition import factories as f_composition
from tests.matrice.personas import client_pour

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}


def _ordres_du_jour(user: Any, seance: Seance) -> list[list[str]]:
    client = client_pour(user)
    detail = client.get(f"/api/v1/seances/{seance.pk}/", **MOTIF)
    assert detail.status_code == 200, detail.content
    liste = client.get("/api/v1/seances/", **MOTIF).json()["results"]
    releve = client.get(f"/api/v1/seances/{seance.pk}/releve/", **MOTIF).json()
    return [
        [p["situation"] for p in corps["ordre_du_jour"]]
        for corps in (detail.json(), *liste, releve["seance"])
    ]


def test_item13_agenda_hides_case_ids_until_the_cell_charter_is_accepted() -> None:
    """Issue 9, item 13 (reproduction): the agenda listed the case ids of such a cell."""
    m = Monde()
    seance = Seance.objects.get(cellule=m.cellule)
    attendu = [str(m.situations[0].pk)]
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    lecteurs = (m.coord, m.delegue, directeur, m.lecteur_membre)
    for lecteur in lecteurs:
        assert set(map(tuple, _ordres_du_jour(lecteur, seance))) == {tuple(attendu)}
    charte = m.publier()
    for lecteur in lecteurs:
        assert set(map(tuple, _ordres_du_jour(lecteur, seance))) == {()}, lecteur
        # The case itself is hidden the same way.
        situation = client_pour(lecteur).get(f"/api/v1/situations/{attendu[0]}/", **MOTIF)
        assert situation.status_code == 404
    for lecteur in lecteurs:
        charte_cellule_accepter(cellule=m.cellule, version=charte.version, acteur=lecteur)
        assert set(map(tuple, _ordres_du_jour(lecteur, seance))) == {tuple(attendu)}
