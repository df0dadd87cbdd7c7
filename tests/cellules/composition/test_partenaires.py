"""The partner organisations of a cell, among which an orientation's responsible one is picked."""

from __future__ import annotations

from typing import Any

import pytest

from acces.enums import Role, TypeOrganisation
from cellules.composition.models import Cellule
from tests.cellules.composition import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def coord() -> Any:
    return f.agent(Role.COORDONNATEUR, communes=("21231",))


@pytest.fixture
def cell(coord: Any) -> Cellule:
    return f.cellule("21231", coordonnateurs=(coord,))


def _url(cell: Cellule) -> str:
    return f"/api/v1/cellules/{cell.pk}/partenaires/"


def test_delegue_lists_the_organisations_of_the_members_and_coordinators(
    coord: Any, cell: Cellule
) -> None:
    pjj = f.membre(cell, TypeOrganisation.PJJ)
    bailleur = f.membre(cell, TypeOrganisation.BAILLEUR_SOCIAL)
    retire = f.membre(cell, TypeOrganisation.MISSION_LOCALE)
    retire.actif = False
    retire.save(update_fields=["actif"])
    dissoute = f.membre(cell, TypeOrganisation.CCAS)
    dissoute.organisation.active = False
    dissoute.organisation.save(update_fields=["active"])
    ailleurs = f.membre(f.cellule("21231"), TypeOrganisation.SPIP)
    delegue = f.agent(Role.DELEGUE_PROCUREUR)

    # Before: the délégué lists his own organisation only.
    propres = client_pour(delegue).get("/api/v1/organisations/").json()
    assert [o["id"] for o in propres] == [str(delegue.organisation_id)]

    for user in (delegue, coord):
        response = client_pour(user).get(_url(cell))
        assert response.status_code == 200, response.content
        corps = response.json()
        ids = {o["id"] for o in corps["results"]}
        assert ids == {
            str(pjj.organisation_id),
            str(bailleur.organisation_id),
            str(coord.organisation_id),
        }
        assert corps["count"] == 3
        assert str(retire.organisation_id) not in ids
        assert str(dissoute.organisation_id) not in ids
        assert str(ailleurs.organisation_id) not in ids
        ligne = next(o for o in corps["results"] if o["id"] == str(pjj.organisation_id))
        assert ligne == {"id": str(pjj.organisation_id), "nom": pjj.organisation.nom, "type": "pjj"}


def test_who_only_sees_the_cell_gets_a_reason_and_others_a_404(cell: Cellule) -> None:
    directeur = f.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    membre = f.membre(cell).utilisateur
    for user in (directeur, membre):
        corps = assert_erreur_json(client_pour(user).get(_url(cell)), 403, "acces_refuse")
        assert "décident de ses orientations" in corps["message"]
    autre_coord = f.agent(Role.COORDONNATEUR, communes=("21231",))
    hors_ressort = f.agent(Role.DELEGUE_PROCUREUR, ressort="tj-autre")
    for user in (autre_coord, hors_ressort):
        assert_erreur_json(client_pour(user).get(_url(cell)), 404, "introuvable")
