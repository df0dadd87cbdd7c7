"""Issue 9, item 12: the 409 ``doublon`` of ``POST /personnes/`` is traced like a search."""

from __future__ import annotations

from typing import Any

import pytest

from acces.enums import Role
from audit.enums import ActionAcces, Resultat
from audit.models import EvenementAcces
from cellules.dossiers.models import Personne
from tests.canaris import canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json, db_snapshot

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}
URL = "/api/v1/personnes/"
TRACES = ["audit_evenementacces", "audit_tetechaine", "acces_jetonapi"]


def test_item12_duplicate_identity_leaves_a_search_event_and_changes_nothing_else() -> None:
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    client = client_pour(coord)
    c = canari()
    corps = {"nom": c.nom, "prenom": c.prenom, "date_naissance": str(c.date_naissance)}
    cree = client.post(URL, corps, format="json", **MOTIF)
    assert cree.status_code == 201, cree.content
    avant = db_snapshot(exclure=TRACES)
    doublon = client.post(URL, corps, format="json", **MOTIF)
    assert_erreur_json(doublon, 409, "doublon")
    assert scanner(doublon.content, [c]) == []
    assert cree.json()["id"] not in doublon.content.decode()
    assert db_snapshot(exclure=TRACES) == avant
    assert Personne.objects.count() == 1
    (evenement,) = EvenementAcces.objects.filter(request_id=doublon["X-Request-ID"])
    assert (evenement.action, evenement.resultat, evenement.motif) == (
        ActionAcces.RECHERCHE,
        Resultat.AUTORISE,
        "preparation_seance",
    )
    assert (evenement.type_objet, evenement.objet_id) == ("cellules.personne", cree.json()["id"])
    assert str(evenement.personne_id) == cree.json()["id"]
    assert evenement.utilisateur_id == coord.pk


def test_item12_duplicate_out_of_scope_is_no_duplicate_and_no_event() -> None:
    c = canari()
    f.personne(c)  # registered by nobody the coordinator can see
    client = client_pour(f_composition.agent(Role.COORDONNATEUR, communes=("21231",)))
    corps = {"nom": c.nom, "prenom": c.prenom, "date_naissance": str(c.date_naissance)}
    response = client.post(URL, corps, format="json", **MOTIF)
    assert response.status_code == 201, response.content
    assert not EvenementAcces.objects.filter(
        request_id=response["X-Request-ID"], action=ActionAcces.RECHERCHE
    ).exists()
