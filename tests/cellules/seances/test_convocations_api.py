"""Convocations through the API: delivery state shown to the coordinator, resend of a failed
one (idempotent), an account without an address failing visibly instead of a silent 201."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from acces.enums import Role
from cellules.seances import services
from cellules.seances.models import Seance
from socle.models import OutboxMessage
from tests.cellules.composition import factories as f_composition
from tests.cellules.composition.factories import membre
from tests.cellules.seances.factories import Monde, dans, monde
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}


@pytest.fixture
def m() -> Monde:
    return monde()


def _post(client: Any, chemin: str, corps: Any = None) -> Any:
    return client.post(chemin, json.dumps(corps or {}), content_type="application/json", **MOTIF)


def _seance(m: Monde) -> Seance:
    return services.seance_planifier(
        cellule=m.cellule, debut=dans(5), fin=dans(5, 16), lieu="mairie", acteur=m.coord
    )


def _sans_adresse(m: Monde) -> Any:
    sans = membre(m.cellule)
    sans.utilisateur.email = ""
    sans.utilisateur.save()
    return sans


def _envois() -> int:
    return OutboxMessage.objects.filter(tache=services.TACHE_ENVOI).count()


def test_convening_an_account_without_address_answers_its_failure(m: Monde) -> None:
    seance = _seance(m)
    sans = _sans_adresse(m)
    response = _post(
        client_pour(m.coord),
        f"/api/v1/seances/{seance.pk}/convocations/",
        {"membres": [str(m.membre.pk), str(sans.pk)]},
    )
    assert response.status_code == 201, response.content
    etats = {
        c["membre"]: (c["etat_envoi"], c["motif_echec"], c["motif_echec_libelle"])
        for c in response.json()["convocations"]
    }
    assert etats == {
        str(m.membre.pk): ("en_attente", None, None),
        str(sans.pk): ("echec", "aucune_adresse", "aucune adresse"),
    }
    assert _envois() == 1


def test_coordinator_lists_convocations_with_their_delivery_state(m: Monde) -> None:
    seance = _seance(m)
    sans = _sans_adresse(m)
    services.convocations_envoyer(seance=seance, membres=[m.membre, sans], acteur=m.coord)
    response = client_pour(m.coord).get(f"/api/v1/seances/{seance.pk}/convocations/", **MOTIF)
    assert response.status_code == 200, response.content
    lignes = {c["membre"]: c for c in response.json()["convocations"]}
    assert set(lignes) == {str(m.membre.pk), str(sans.pk)}
    echec = lignes[str(sans.pk)]
    assert sans.organisation is not None
    assert (echec["nature_envoi"], echec["etat_envoi"], echec["motif_echec"]) == (
        "convocation",
        "echec",
        "aucune_adresse",
    )
    assert echec["organisation_nom"] == sans.organisation.nom
    assert echec["nom_complet"] == (
        sans.utilisateur.get_full_name() or sans.utilisateur.get_username()
    )
    assert echec["valide"] is True and echec["etat_envoi_le"]
    assert lignes[str(m.membre.pk)]["etat_envoi"] == "en_attente"


def test_readers_of_the_meeting_and_other_coordinators_do_not_list_convocations(
    m: Monde,
) -> None:
    seance = _seance(m)
    services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    chemin = f"/api/v1/seances/{seance.pk}/convocations/"
    renvoi = f"{chemin}{seance.convocations.get().pk}/renvoi/"
    # The délégué du procureur of the ressort reads the meeting but does not manage it.
    delegue = f_composition.agent(Role.DELEGUE_PROCUREUR)
    assert_erreur_json(client_pour(delegue).get(chemin, **MOTIF), 403)
    assert_erreur_json(_post(client_pour(delegue), renvoi), 403)
    autre = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    assert_erreur_json(client_pour(autre).get(chemin, **MOTIF), 404)
    assert_erreur_json(_post(client_pour(autre), renvoi), 404)


def test_coordinator_resends_a_failed_convocation_idempotently(m: Monde) -> None:
    seance = _seance(m)
    sans = _sans_adresse(m)
    (convocation,) = services.convocations_envoyer(seance=seance, membres=[sans], acteur=m.coord)
    chemin = f"/api/v1/seances/{seance.pk}/convocations/{convocation.pk}/renvoi/"
    client = client_pour(m.coord)
    refus = assert_erreur_json(_post(client, chemin), 409, "aucune_adresse")
    assert "adresse" in refus["message"]
    assert _envois() == 0
    sans.utilisateur.email = "educatrice.fictive@exemple.invalid"
    sans.utilisateur.save()
    premier = _post(client, chemin)
    assert premier.status_code == 200, premier.content
    assert (premier.json()["etat_envoi"], premier.json()["motif_echec"]) == ("en_attente", None)
    second = _post(client, chemin)
    assert (second.status_code, second.json()["etat_envoi"]) == (200, "en_attente")
    assert _envois() == 1


def test_resend_of_an_unknown_or_foreign_convocation_is_404(m: Monde) -> None:
    seance = _seance(m)
    autre_seance = services.seance_planifier(
        cellule=m.cellule, debut=dans(9), fin=dans(9, 16), acteur=m.coord
    )
    (ailleurs,) = services.convocations_envoyer(
        seance=autre_seance, membres=[m.membre], acteur=m.coord
    )
    client = client_pour(m.coord)
    for cible in (uuid.uuid4(), ailleurs.pk):
        chemin = f"/api/v1/seances/{seance.pk}/convocations/{cible}/renvoi/"
        assert_erreur_json(_post(client, chemin), 404)
