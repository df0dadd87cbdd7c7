"""API of cells and of their members: scope of creation, roles, 404 out of scope, withdrawal."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from acces.enums import Role
from audit.models import EvenementAcces
from cellules.composition.models import Cellule, MembreCellule
from cellules.dossiers import services
from cellules.dossiers.models import AccesSituation
from tests.cellules.composition import factories as f
from tests.cellules.dossiers import factories as f_dossiers
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/cellules/"


def _creation(**champs: Any) -> dict[str, Any]:
    return {
        "nom": "Cellule Chenôve",
        "type": "suivi_personnalise",
        "commune": "21166",
        "reference_reglement_interieur": "RI 2026-02",
        **champs,
    }


@pytest.fixture
def coord() -> Any:
    return f.agent(Role.COORDONNATEUR, communes=("21166",))


@pytest.fixture
def cell(coord: Any) -> Cellule:
    return f.cellule("21166", coordonnateurs=(coord,))


def _membre(cell: Cellule, role: str = Role.MEMBRE_CELLULE) -> MembreCellule:
    user = f.agent(role, communes=("21166",))
    assert user.organisation is not None
    return MembreCellule.objects.create(
        cellule=cell, utilisateur=user, organisation=user.organisation, fonction="éducateur"
    )


def test_create_in_scope_makes_caller_coordinator(coord: Any) -> None:
    response = client_pour(coord).post(URL, _creation(), format="json")
    assert response.status_code == 201, response.content
    corps = response.json()
    cellule = Cellule.objects.get(pk=corps["id"])
    assert (cellule.commune_id, cellule.cispd, corps["commune"]) == ("21166", False, "21166")
    assert list(cellule.coordonnateurs.all()) == [coord]
    assert corps["coordonnateurs"] == [str(coord.pk)]
    # Staff data only: no access event is written.
    assert not EvenementAcces.objects.filter(request_id=response["X-Request-ID"]).exists()


def test_create_outside_scope_is_refused(coord: Any) -> None:
    avant = Cellule.objects.count()
    for code in ("21231", "99999"):
        response = client_pour(coord).post(URL, _creation(commune=code), format="json")
        corps = assert_erreur_json(response, 400, "donnees_invalides")
        assert corps["champs"] == {"commune": ["Commune hors de votre périmètre."]}
    assert Cellule.objects.count() == avant


def test_create_cispd_cell_needs_cispd_scope(coord: Any) -> None:
    cispd = f.agent(Role.COORDONNATEUR, perimetre_cispd=True)
    corps = _creation(commune=None, cispd=True)
    response = client_pour(cispd).post(URL, corps, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["cispd"] is True and response.json()["commune"] is None
    refus = client_pour(coord).post(URL, corps, format="json")
    assert assert_erreur_json(refus, 400)["champs"] == {
        "cispd": ["Votre habilitation ne couvre pas le CISPD."]
    }
    avec_commune = client_pour(cispd).post(URL, _creation(cispd=True), format="json")
    assert "commune" in assert_erreur_json(avec_commune, 400)["champs"]


@pytest.mark.parametrize(
    "role",
    [Role.DELEGUE_PROCUREUR, Role.DIRECTEUR_TRANQUILLITE, Role.MEMBRE_CELLULE, Role.AUDITEUR],
)
def test_create_by_other_roles_is_403(role: str) -> None:
    user = f.agent(role, communes=("21166",))
    response = client_pour(user).post(URL, _creation(), format="json")
    assert_erreur_json(response, 403, "acces_refuse")
    assert not Cellule.objects.filter(nom="Cellule Chenôve").exists()


def test_list_and_detail_follow_scope(coord: Any, cell: Cellule) -> None:
    autre = f.cellule("21231")
    membre = _membre(autre)
    client = client_pour(coord)
    ids = [c["id"] for c in client.get(URL).json()["results"]]
    assert ids == [str(cell.pk)]
    assert client.get(f"{URL}{cell.pk}/").json()["reference_reglement_interieur"] == "RI 2025-01"
    absente = client.get(f"{URL}{uuid.uuid4()}/")
    hors = client.get(f"{URL}{autre.pk}/")
    assert_erreur_json(hors, 404, "introuvable")
    assert hors.json()["message"] == absente.json()["message"]
    # A member reads the cells he belongs to (active membership only).
    assert [c["id"] for c in client_pour(membre.utilisateur).get(URL).json()["results"]] == [
        str(autre.pk)
    ]


def test_bad_ids_are_404(coord: Any, cell: Cellule) -> None:
    client = client_pour(coord)
    for chemin in (f"{URL}pas-un-uuid/", f"{URL}{cell.pk}/membres/123/retrait/"):
        assert_erreur_json(client.get(chemin), 404)
    inconnu = client.post(f"{URL}{cell.pk}/membres/{uuid.uuid4()}/retrait/")
    assert_erreur_json(inconnu, 404, "introuvable")
    # A member of another cell is not reachable through this cell.
    etranger = _membre(f.cellule("21166", coordonnateurs=(coord,)))
    response = client.post(f"{URL}{cell.pk}/membres/{etranger.pk}/retrait/")
    assert_erreur_json(response, 404, "introuvable")
    etranger.refresh_from_db()
    assert etranger.actif is True


def test_patch_by_coordinator_changes_allowed_fields_only(coord: Any, cell: Cellule) -> None:
    client = client_pour(coord)
    response = client.patch(
        f"{URL}{cell.pk}/",
        {"nom": "Cellule renommée", "type": "autre"},
        format="json",
        HTTP_IF_MATCH=f'"{cell.pk}.1"',
    )
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{cell.pk}.2"' and response.json()["version"] == 2
    cell.refresh_from_db()
    assert (cell.nom, cell.type, cell.version) == ("Cellule renommée", "autre", 2)


def test_B7_unknown_or_read_only_fields_are_refused(coord: Any, cell: Cellule) -> None:
    client = client_pour(coord)
    tag = f'"{cell.pk}.1"'
    for champ, valeur in (("commune", "21231"), ("cispd", True), ("coordonnateurs", [])):
        response = client.patch(
            f"{URL}{cell.pk}/", {champ: valeur}, format="json", HTTP_IF_MATCH=tag
        )
        assert assert_erreur_json(response, 400)["champs"] == {
            champ: ["Champ inconnu ou non modifiable."]
        }
    creation = client.post(URL, _creation(active=False), format="json")
    assert "active" in assert_erreur_json(creation, 400)["champs"]
    ajout = client.post(
        f"{URL}{cell.pk}/membres/",
        {"utilisateur": str(coord.pk), "fonction": "x", "organisation": str(uuid.uuid4())},
        format="json",
    )
    assert "organisation" in assert_erreur_json(ajout, 400)["champs"]
    cell.refresh_from_db()
    assert cell.commune_id == "21166" and not cell.cispd and cell.version == 1


def test_write_routes_by_role(coord: Any, cell: Cellule) -> None:
    delegue = f.agent(Role.DELEGUE_PROCUREUR)
    directeur = f.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21166",))
    autre_coord = f.agent(Role.COORDONNATEUR, communes=("21166",))
    for user in (delegue, directeur):
        # They see the cell but may not run it.
        assert client_pour(user).get(f"{URL}{cell.pk}/").status_code == 200
        response = client_pour(user).patch(f"{URL}{cell.pk}/", {"nom": "x"}, format="json")
        assert_erreur_json(response, 403, "acces_refuse")
        assert_erreur_json(client_pour(user).get(f"{URL}{cell.pk}/membres/"), 403)
    # A coordonnateur of the same commune who does not run the cell does not see it.
    assert_erreur_json(client_pour(autre_coord).get(f"{URL}{cell.pk}/membres/"), 404)
    assert_erreur_json(
        client_pour(autre_coord).patch(f"{URL}{cell.pk}/", {"nom": "x"}, format="json"), 404
    )
    cell.refresh_from_db()
    assert cell.nom != "x"


def test_add_member_takes_organisation_and_shows_charter(coord: Any, cell: Cellule) -> None:
    sans_charte = f.agent(Role.MEMBRE_CELLULE, communes=("21166",), charte=False)
    avec_charte = f.agent(Role.MEMBRE_CELLULE, communes=("21166",))
    client = client_pour(coord)
    for user, fonction in ((sans_charte, "assistante sociale"), (avec_charte, "éducateur")):
        response = client.post(
            f"{URL}{cell.pk}/membres/",
            {"utilisateur": str(user.pk), "fonction": fonction},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert response.json()["organisation"] == str(user.organisation_id)
    liste = client.get(f"{URL}{cell.pk}/membres/").json()
    assert liste["count"] == 2
    charte = {r["utilisateur"]: r["charte_acceptee"] for r in liste["results"]}
    assert charte == {str(sans_charte.pk): False, str(avec_charte.pk): True}
    doublon = client.post(
        f"{URL}{cell.pk}/membres/",
        {"utilisateur": str(avec_charte.pk), "fonction": "éducateur"},
        format="json",
    )
    assert_erreur_json(doublon, 409, "deja_membre")


def test_add_member_refuses_users_without_active_habilitation(coord: Any, cell: Cellule) -> None:
    revoque = f.agent(Role.MEMBRE_CELLULE)
    revoque.habilitations.update(revoquee_le=timezone.now())
    client = client_pour(coord)
    for pk in (revoque.pk, uuid.uuid4()):
        response = client.post(
            f"{URL}{cell.pk}/membres/", {"utilisateur": str(pk), "fonction": "x"}, format="json"
        )
        assert "utilisateur" in assert_erreur_json(response, 400, "donnees_invalides")["champs"]
    assert not MembreCellule.objects.filter(cellule=cell).exists()


def test_withdraw_member_removes_unexpired_grants_of_the_cell(coord: Any, cell: Cellule) -> None:
    membre = _membre(cell)
    user = membre.utilisateur
    demain = timezone.now() + dt.timedelta(days=1)
    ici, ici_sans_echeance, ici_expire = (f_dossiers.situation(cell) for _ in range(3))
    services.acces_accorder(situation=ici, utilisateur=user, jusqu_au=demain, acteur=coord)
    services.acces_accorder(
        situation=ici_sans_echeance, utilisateur=user, jusqu_au=None, acteur=coord
    )
    expire = services.acces_accorder(
        situation=ici_expire, utilisateur=user, jusqu_au=demain, acteur=coord
    )
    AccesSituation.objects.filter(pk=expire.pk).update(expire_le=timezone.now() - dt.timedelta(1))
    ailleurs = f_dossiers.situation(f.cellule("21166", coordonnateurs=(coord,)))
    garde = services.acces_accorder(
        situation=ailleurs, utilisateur=user, jusqu_au=demain, acteur=coord
    )

    response = client_pour(coord).post(f"{URL}{cell.pk}/membres/{membre.pk}/retrait/")
    assert response.status_code == 200, response.content
    assert response.json()["acces_retires"] == 2
    assert response.json()["membre"]["actif"] is False
    membre.refresh_from_db()
    assert membre.actif is False
    restants = set(AccesSituation.objects.filter(user=user).values_list("pk", flat=True))
    assert restants == {expire.pk, garde.pk}
    # The former member no longer sees the cell; a second withdrawal changes nothing.
    assert_erreur_json(client_pour(user).get(f"{URL}{cell.pk}/"), 404)
    encore = client_pour(coord).post(f"{URL}{cell.pk}/membres/{membre.pk}/retrait/")
    assert encore.status_code == 200 and encore.json()["acces_retires"] == 0


def test_withdrawn_member_can_be_added_again(coord: Any, cell: Cellule) -> None:
    membre = _membre(cell)
    client = client_pour(coord)
    client.post(f"{URL}{cell.pk}/membres/{membre.pk}/retrait/")
    response = client.post(
        f"{URL}{cell.pk}/membres/",
        {"utilisateur": str(membre.utilisateur_id), "fonction": "cheffe de service"},
        format="json",
    )
    assert response.status_code == 201, response.content
    membre.refresh_from_db()
    assert (membre.actif, membre.fonction) == (True, "cheffe de service")
