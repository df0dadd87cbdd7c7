"""Issue 11: filters of the case list, inside the scope; unknown or malformed query parameters
are a JSON 400 naming the parameter; a page beyond the last is a 404 that says so."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from acces.enums import Role, TypeOrganisation
from cellules.dossiers.enums import MotifCloture, Profil, StatutSituation
from tests.acces.factories import entete_otp
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}
URL = "/api/v1/situations/"
Monde = dict[str, Any]


@pytest.fixture
def m() -> Monde:
    """A délégué (parquet: every category) of the Dijon ressort, a Dijon and a Chenôve cell."""
    delegue = f_composition.agent(
        Role.DELEGUE_PROCUREUR, type_organisation=TypeOrganisation.PARQUET
    )
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    referent = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    dijon = f_composition.cellule("21231", coordonnateurs=(coord,))
    chenove = f_composition.cellule("21166")
    mineur = f.personne(f.identite(age_min=13, age_max=15))
    majeur = f.personne(f.identite(age_min=20, age_max=24))
    return {
        "delegue": delegue,
        "coord": coord,
        "dijon": dijon,
        "chenove": chenove,
        "a": f.situation(dijon, mineur, profils=[Profil.REITERANT], referent=referent),
        "b": f.situation(dijon, majeur, statut=StatutSituation.SUIVIE),
        "c": f.situation(
            chenove,
            f.personne(f.identite(age_min=30, age_max=40)),
            statut=StatutSituation.CLOTUREE,
            motif_cloture=MotifCloture.AUTRE,
            profils=[Profil.EXPOSE_AUX_RISQUES, Profil.REITERANT],
        ),
        "referent": referent,
    }


def _ids(client: Any, requete: str) -> set[str]:
    response = client.get(f"{URL}?{requete}", **MOTIF)
    assert response.status_code == 200, response.content
    corps = response.json()
    assert corps["count"] == len(corps["results"])
    return {r["id"] for r in corps["results"]}


def _attendus(m: Monde, *noms: str) -> set[str]:
    return {str(m[n].pk) for n in noms}


def test_each_filter_of_the_case_list(m: Monde) -> None:
    client = client_pour(m["delegue"])
    assert _ids(client, "") == _attendus(m, "a", "b", "c")
    assert _ids(client, "commune=21166") == _attendus(m, "c")
    assert _ids(client, f"cellule={m['dijon'].pk}") == _attendus(m, "a", "b")
    assert _ids(client, "statut=suivie") == _attendus(m, "b")
    assert _ids(client, "statut=suivie&statut=cloturee") == _attendus(m, "b", "c")
    assert _ids(client, "profil=reiterant") == _attendus(m, "a", "c")
    assert _ids(client, "profil=expose_aux_risques") == _attendus(m, "c")
    assert _ids(client, f"referent={m['referent'].pk}") == _attendus(m, "a")
    assert _ids(client, "mineur=true") == _attendus(m, "a")
    assert _ids(client, "mineur=false") == _attendus(m, "b", "c")
    assert _ids(client, "mineur=false&commune=21231&taille=1") <= _attendus(m, "b")


def test_B3_filters_apply_inside_the_scope_only(m: Monde) -> None:
    """The Dijon coordinator filtering on the Chenôve cell gets nothing, counted as nothing."""
    client = client_pour(m["coord"])
    assert _ids(client, "") == _attendus(m, "a", "b")
    response = client.get(f"{URL}?cellule={m['chenove'].pk}", **MOTIF)
    assert response.json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert _ids(client, "commune=21166") == set()


def test_profile_filter_offers_only_the_profiles_the_reader_receives(m: Monde) -> None:
    """A commune's coordinator does not receive judicial records: filtering on one would tell
    which cases carry it, so the value is refused like an unknown one."""
    client = client_pour(m["coord"])
    corps = assert_erreur_json(client.get(f"{URL}?profil=reiterant", **MOTIF), 400)
    (message,) = corps["champs"]["profil"]
    assert "expose_aux_risques" in message and "reiterant" not in message
    assert _ids(client, "profil=expose_aux_risques") == set()


@pytest.mark.parametrize(
    ("requete", "parametre", "attendu"),
    [
        ("inconnu=1", "inconnu", "Paramètres acceptés"),
        ("statut=ouverte", "statut", "signalee, inscrite_ordre_du_jour, suivie, cloturee"),
        ("statut=archivee", "statut", "cloturee"),
        ("profil=voleur", "profil", "decrocheur_scolaire"),
        ("mineur=oui", "mineur", "true, false"),
        ("cellule=abc", "cellule", "UUID"),
        ("referent=12", "referent", "UUID"),
        ("commune=99999", "commune", "Commune inconnue"),
        ("taille=abc", "taille", "entier"),
        ("taille=0", "taille", "entier"),
        ("taille=-3", "taille", "entier"),
        ("page=abc", "page", "entier"),
        ("page=0", "page", "entier"),
        ("taille=2&taille=3", "taille", "une seule fois"),
        ("commune=21231&commune=21166", "commune", "une seule fois"),
    ],
)
def test_G5_unknown_or_malformed_query_parameters_are_a_json_400(
    m: Monde, requete: str, parametre: str, attendu: str
) -> None:
    response = client_pour(m["delegue"]).get(f"{URL}?{requete}", **MOTIF)
    corps = assert_erreur_json(response, 400)
    assert corps["code"] in {"parametre_inconnu", "parametre_invalide"}
    assert list(corps["champs"]) == [parametre]
    assert parametre in corps["message"]
    assert attendu in corps["champs"][parametre][0]


def test_G4_page_beyond_the_last_is_a_404_that_says_so(m: Monde) -> None:
    client = client_pour(m["delegue"])
    assert client.get(f"{URL}?page=1&taille=2", **MOTIF).status_code == 200
    assert client.get(f"{URL}?page=2&taille=2", **MOTIF).status_code == 200
    corps = assert_erreur_json(client.get(f"{URL}?page=99&taille=2", **MOTIF), 404)
    assert corps["code"] == "page_introuvable"
    assert "page 99 n'existe pas" in corps["message"] and "2 page" in corps["message"]
    # An empty list still has its first page.
    vide = client.get(f"{URL}?cellule={f_composition.cellule('21231').pk}", **MOTIF)
    assert vide.status_code == 200 and vide.json()["count"] == 0


def test_the_motif_may_still_come_as_a_query_parameter(m: Monde) -> None:
    response = client_pour(m["delegue"]).get(f"{URL}?motif=preparation_seance&statut=suivie")
    assert response.status_code == 200, response.content
    assert {r["id"] for r in response.json()["results"]} == _attendus(m, "b")


def test_every_list_route_of_personal_data_refuses_unknown_parameters(m: Monde) -> None:
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    for utilisateur, url, otp in [
        (m["coord"], "/api/v1/seances/", False),
        (directeur, "/api/v1/rappels-a-l-ordre/", False),
        (directeur, "/api/v1/transactions/", False),
        (m["delegue"], "/api/v1/situations-archivees/", True),
    ]:
        client = client_pour(utilisateur)

        def otp_de(u: Any = utilisateur, avec: bool = otp) -> dict[str, Any]:
            return entete_otp(u) if avec else {}  # a code is accepted once

        assert client.get(f"{url}?taille=5", **MOTIF, **otp_de()).status_code == 200, url
        corps = assert_erreur_json(client.get(f"{url}?statut=x", **MOTIF, **otp_de()), 400)
        assert corps["code"] == "parametre_inconnu" and list(corps["champs"]) == ["statut"], url


def test_schema_documents_the_filters_of_the_case_list() -> None:
    schema = SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-untyped-call]
    operation = schema["paths"]["/api/v1/situations/"]["get"]
    parametres = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
    assert set(parametres) == {"commune", "cellule", "statut", "profil", "referent", "mineur"} | {
        "page",
        "taille",
    }
    statut = parametres["statut"]["schema"]
    assert set(statut["items"]["enum"]) == {
        "signalee",
        "inscrite_ordre_du_jour",
        "suivie",
        "cloturee",
    }
    assert set(parametres["profil"]["schema"]["items"]["enum"]) == set(Profil.values)
    assert set(parametres["mineur"]["schema"]["enum"]) == {"true", "false"}
    assert all(p.get("description") for p in parametres.values())
