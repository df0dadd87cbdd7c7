"""Issue 9, item 16: HEAD reads nothing, the charter acceptance is strict, OPTIONS on the docs."""

from __future__ import annotations

from typing import Any

import pytest

from acces.enums import Role
from acces.models import AcceptationCharte
from audit.models import EvenementAcces
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}


def test_item16_head_on_a_detail_route_is_refused_and_records_no_consultation() -> None:
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    situation = f_dossiers.situation(f_composition.cellule("21231", coordonnateurs=(coord,)))
    client = client_pour(coord)
    for chemin in (f"/api/v1/situations/{situation.pk}/", "/api/v1/situations/"):
        response = client.head(chemin, **MOTIF)
        assert response.status_code == 405, chemin
        assert "HEAD" not in response["Allow"]
    assert not EvenementAcces.objects.filter(action__in=["consultation", "liste"]).exists()
    assert client.get(f"/api/v1/situations/{situation.pk}/", **MOTIF).status_code == 200


@pytest.mark.parametrize("corps", [{"acceptee": True}, {"charte": 1, "version": 2}, [1]])
def test_item16_charter_acceptance_refuses_unknown_fields_and_accepts_nothing(corps: Any) -> None:
    user = f_composition.agent(Role.COORDONNATEUR, communes=("21231",), charte=False)
    f_composition.charte_acceptee(f_composition.agent(Role.AUDITEUR))  # a charter in force
    client = client_pour(user)
    response = client.post("/api/v1/chartes/courante/acceptation/", corps, format="json")
    assert_erreur_json(response, 400)
    assert not AcceptationCharte.objects.filter(utilisateur=user).exists()
    vide = client.post("/api/v1/chartes/courante/acceptation/", {}, format="json")
    assert vide.status_code == 201, vide.content
    assert AcceptationCharte.objects.filter(utilisateur=user).count() == 1


@pytest.mark.urls("tests.socle.urls_docs")
def test_item16_options_on_the_docs_page_is_no_server_error() -> None:
    from rest_framework.test import APIClient

    client = APIClient(raise_request_exception=False)
    response = client.options("/api/docs/")
    assert response.status_code < 500, response.content[:300]
    assert client.get("/api/docs/").status_code == 200
