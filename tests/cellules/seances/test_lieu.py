"""Issue 9, item 10: a meeting's place is a closed list; no free text beside case data."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.apps import apps

from cellules.seances.enums import TypeLieu
from cellules.seances.models import Seance
from socle.serializers import message_hors_liste
from tests.canaris import canari
from tests.cellules.seances.factories import Monde, dans, monde
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}
URL = "/api/v1/seances/"
migration = importlib.import_module("cellules.migrations.0010_lieu_liste_fermee")


@pytest.fixture
def m() -> Monde:
    return monde()


def _creneau(jours: float) -> dict[str, str]:
    return {"debut": dans(jours).isoformat(), "fin": dans(jours, 16).isoformat()}


def _post(client: Any, chemin: str, corps: Any, **extra: Any) -> Any:
    return client.post(chemin, json.dumps(corps), content_type="application/json", **extra)


def test_item10_a_place_naming_a_person_is_refused_and_nothing_is_stored(m: Monde) -> None:
    """Issue 9, item 10 (reproduction): a ``lieu`` naming a person was stored and read back in
    clear, with no access event."""
    c = canari()
    client = client_pour(m.coord)
    corps = {"cellule": str(m.cellule.pk), "lieu": f"Chez {c.prenom} {c.nom}", **_creneau(10)}
    body = assert_erreur_json(_post(client, URL, corps, **MOTIF), 400, "donnees_invalides")
    assert body["champs"]["lieu"] == [message_hors_liste(TypeLieu.values)]
    assert c.nom not in json.dumps(body)
    assert not Seance.objects.exists()
    serie = {
        "cellule": str(m.cellule.pk),
        "debut": dans(10).isoformat(),
        "periodicite": "mensuelle",
        "nombre": 2,
        "lieu": f"Bureau de {c.nom}",
    }
    assert_erreur_json(_post(client, f"{URL}periodiques/", serie, **MOTIF), 400)
    assert not Seance.objects.exists()


def test_item10_a_closed_list_place_is_accepted_changed_and_refused_if_free(m: Monde) -> None:
    client = client_pour(m.coord)
    corps = {"cellule": str(m.cellule.pk), "lieu": TypeLieu.MAIRIE, **_creneau(10)}
    cree = _post(client, URL, corps, **MOTIF)
    assert cree.status_code == 201, cree.content
    assert cree.json()["lieu"] == TypeLieu.MAIRIE
    chemin = f"{URL}{cree.json()['id']}/"
    libre = client.patch(
        chemin, {"lieu": "salle 2"}, format="json", HTTP_IF_MATCH=cree["ETag"], **MOTIF
    )
    assert_erreur_json(libre, 400, "donnees_invalides")
    ok = client.patch(
        chemin,
        {"lieu": TypeLieu.VISIOCONFERENCE},
        format="json",
        HTTP_IF_MATCH=cree["ETag"],
        **MOTIF,
    )
    assert ok.status_code == 200, ok.content
    assert Seance.objects.get().lieu == TypeLieu.VISIOCONFERENCE


def test_item10_migration_turns_free_places_into_codes_and_keeps_no_text(m: Monde) -> None:
    c = canari()
    textes = {
        "Mairie, salle du conseil": TypeLieu.MAIRIE,
        "Commissariat central": TypeLieu.COMMISSARIAT,
        "Salle B": TypeLieu.SALLE_MUNICIPALE,
        f"Chez {c.prenom} {c.nom}": TypeLieu.AUTRE,
        "": "",
    }
    for rang, texte in enumerate(textes):
        Seance.objects.create(
            cellule=m.cellule,
            debut=dans(10 + rang),
            fin=dans(10 + rang, 16),
            creee_par=m.coord,
        )
        # As a row written before 0010 (the column then held free text).
        Seance.objects.filter(debut=dans(10 + rang)).update(lieu=texte[:30])
    migration.convertir(apps, None)
    lieux = list(Seance.objects.order_by("debut").values_list("lieu", flat=True))
    assert lieux == [code[:30] for code in textes.values()]
