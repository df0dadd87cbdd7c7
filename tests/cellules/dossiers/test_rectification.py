"""Issue 11: rectification of a person's identity (GDPR art. 16): who may, If-Match, blind index
recomputed, masked entry in the change log."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from auditlog.models import LogEntry

from acces.crypto.champs import dechiffrer
from acces.enums import Role
from audit.changements import MASQUE
from audit.enums import ActionAcces
from audit.models import EvenementAcces
from cellules.dossiers import selectors
from cellules.dossiers.models import Personne
from tests.canaris import canari
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json, db_snapshot

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {
    "HTTP_X_MOTIF": "demande_droits",
    "HTTP_X_MOTIF_DETAIL": "demande_personne",
}
Monde = dict[str, Any]
# Tables a refused request writes to on purpose: the access log and the token's last use.
TRACES = ["audit_evenementacces", "audit_tetechaine", "acces_jetonapi"]


@pytest.fixture
def m() -> Monde:
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    personne = f.personne()
    f.situation(cellule, personne)
    return {"coord": coord, "cellule": cellule, "personne": personne}


def _url(personne: Personne) -> str:
    return f"/api/v1/personnes/{personne.pk}/"


def _etag(personne: Personne, version: int = 1) -> dict[str, Any]:
    return {"HTTP_IF_MATCH": f'"{personne.pk}.{version}"'}


def test_read_a_person_with_its_etag(m: Monde) -> None:
    response = client_pour(m["coord"]).get(_url(m["personne"]), **MOTIF)
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{m["personne"].pk}.1"'
    corps = response.json()
    assert corps["nom"] == dechiffrer(m["personne"], "nom") and corps["version"] == 1
    evenements = EvenementAcces.objects.filter(request_id=response["X-Request-ID"])
    assert [(e.objet_id, e.action) for e in evenements] == [
        (str(m["personne"].pk), ActionAcces.CONSULTATION)
    ]


def test_D8_rectification_recomputes_the_index_and_is_masked_in_the_change_log(m: Monde) -> None:
    personne, coord = m["personne"], m["coord"]
    ancien_nom = str(dechiffrer(personne, "nom"))
    ancien_prenom = str(dechiffrer(personne, "prenom"))
    ancienne_naissance = personne.naissance()
    nouveau = canari()
    response = client_pour(coord).patch(
        _url(personne),
        {"nom": nouveau.nom, "date_naissance": str(nouveau.date_naissance)},
        format="json",
        **MOTIF,
        **_etag(personne),
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{personne.pk}.2"'
    assert response.json()["nom"] == nouveau.nom
    apres = Personne.objects.get(pk=personne.pk)
    assert dechiffrer(apres, "nom") == nouveau.nom
    assert dechiffrer(apres, "prenom") == ancien_prenom
    # Found under the new identity, no longer under the old one.
    trouvees = selectors.personnes_recherche(
        coord, nouveau.nom, ancien_prenom, nouveau.date_naissance
    )
    assert list(trouvees) == [apres]
    assert not selectors.personnes_recherche(
        coord, ancien_nom, ancien_prenom, ancienne_naissance
    ).exists()
    entree = LogEntry.objects.get_for_object(apres).filter(action=LogEntry.Action.UPDATE).get()
    assert entree.actor_id == coord.pk
    assert entree.changes_dict == {"version": ["1", "2"]}
    assert entree.additional_data == {
        "rectification": {"nom": [MASQUE, MASQUE], "date_naissance": [MASQUE, MASQUE]}
    }
    texte = json.dumps(list(LogEntry.objects.values()), default=str, ensure_ascii=False)
    assert not any(valeur in texte for valeur in nouveau.valeurs())


def test_F1_if_match_is_required_and_a_stale_one_refused(m: Monde) -> None:
    client, personne = client_pour(m["coord"]), m["personne"]
    corps = {"prenom": "Camille"}
    client.get(_url(personne), **MOTIF)  # the token's first use is behind us
    avant = db_snapshot(exclure=TRACES)
    assert_erreur_json(client.patch(_url(personne), corps, format="json", **MOTIF), 428)
    assert_erreur_json(
        client.patch(_url(personne), corps, format="json", **MOTIF, **_etag(personne, 7)), 412
    )
    assert db_snapshot(exclure=TRACES) == avant


def test_B5_who_may_only_read_gets_403_and_others_404(m: Monde) -> None:
    personne = m["personne"]
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    etranger = f_composition.agent(Role.COORDONNATEUR, communes=("21166",))
    corps = {"prenom": "Camille"}
    refus = client_pour(directeur).patch(
        _url(personne), corps, format="json", **MOTIF, **_etag(personne)
    )
    assert_erreur_json(refus, 403)
    absent = client_pour(etranger).patch(
        _url(personne), corps, format="json", **MOTIF, **_etag(personne)
    )
    assert_erreur_json(absent, 404)
    assert_erreur_json(client_pour(etranger).get(_url(personne), **MOTIF), 404)
    assert Personne.objects.get(pk=personne.pk).version == 1


@pytest.mark.parametrize(
    ("corps", "champ"),
    [
        ({}, "identite"),
        ({"version": 5}, "version"),
        ({"index_identite": "x"}, "index_identite"),
        ({"date_naissance": "1850-01-01"}, "date_naissance"),
        ({"nom": "  "}, "nom"),
    ],
)
def test_B7_invalid_rectifications_are_400_and_change_nothing(
    m: Monde, corps: dict[str, Any], champ: str
) -> None:
    personne = m["personne"]
    response = client_pour(m["coord"]).patch(
        _url(personne), corps, format="json", **MOTIF, **_etag(personne)
    )
    assert champ in assert_erreur_json(response, 400)["champs"]
    assert Personne.objects.get(pk=personne.pk).version == 1


def test_B4_rectifying_into_another_registered_identity_is_a_409(m: Monde) -> None:
    autre = f.personne()
    f.situation(m["cellule"], autre)
    personne = m["personne"]
    response = client_pour(m["coord"]).patch(
        _url(personne),
        {
            "nom": dechiffrer(autre, "nom"),
            "prenom": dechiffrer(autre, "prenom"),
            "date_naissance": str(dechiffrer(autre, "date_naissance")),
        },
        format="json",
        **MOTIF,
        **_etag(personne),
    )
    assert_erreur_json(response, 409, "doublon")
    assert Personne.objects.get(pk=personne.pk).version == 1


def test_a_rectification_that_changes_nothing_keeps_the_version(m: Monde) -> None:
    personne = m["personne"]
    response = client_pour(m["coord"]).patch(
        _url(personne),
        {"nom": dechiffrer(personne, "nom"), "date_naissance": dt.date(2010, 1, 1).isoformat()},
        format="json",
        **MOTIF,
        **_etag(personne),
    )
    assert response.status_code == 200, response.content
    entree = LogEntry.objects.get_for_object(personne).filter(action=LogEntry.Action.UPDATE).get()
    assert entree.additional_data == {"rectification": {"date_naissance": [MASQUE, MASQUE]}}
