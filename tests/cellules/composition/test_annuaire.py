"""The staff directory coordinators pick members from, and the accounts a cell may not take.

Staff are not case subjects: no motif, no access event; but only the roles that run cells reach
the directory, and it shows what adding a member needs (name, organisation, roles), nothing more.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from acces.enums import Role, TypeOrganisation
from audit.models import EvenementAcces
from cellules.composition.models import Cellule, MembreCellule
from tests.acces.factories import organisation, utilisateur
from tests.cellules.composition import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/annuaire/"


@pytest.fixture
def coord() -> Any:
    return f.agent(Role.COORDONNATEUR, communes=("21166",))


@pytest.fixture
def cell(coord: Any) -> Cellule:
    return f.cellule("21166", coordonnateurs=(coord,))


def _agent(role: str, nom: str, prenom: str, org: str, **kwargs: Any) -> Any:
    user = f.agent(role, **kwargs)
    user.last_name, user.first_name = nom, prenom
    user.save(update_fields=["last_name", "first_name"])
    assert user.organisation is not None
    user.organisation.nom = org
    user.organisation.save(update_fields=["nom"])
    return user


def _ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.content
    return {r["id"] for r in response.json()["results"]}


def test_directory_lists_active_accounts_that_may_sit_in_a_cell(coord: Any) -> None:
    pjj = _agent(Role.MEMBRE_CELLULE, "Fictif-Lambert", "Inès", "PJJ fictive de Côte-d'Or")
    directeur = _agent(
        Role.DIRECTEUR_TRANQUILLITE, "Fictif-Moreau", "Paul", "Ville fictive", communes=("21166",)
    )
    auditeur = _agent(Role.AUDITEUR, "Fictif-Audit", "Jeanne", "Métropole fictive")
    referent = _agent(Role.REFERENT_ACCUEIL, "Fictif-Accueil", "Rémi", "Structure fictive")
    inactif = _agent(Role.MEMBRE_CELLULE, "Fictif-Parti", "Luc", "PJJ fictive bis")
    inactif.is_active = False
    inactif.save(update_fields=["is_active"])
    revoque = _agent(Role.MEMBRE_CELLULE, "Fictif-Revoque", "Ana", "PJJ fictive ter")
    revoque.habilitations.update(revoquee_le=timezone.now())
    org_fermee = _agent(Role.MEMBRE_CELLULE, "Fictif-Ferme", "Eva", "Association dissoute")
    assert org_fermee.organisation is not None
    org_fermee.organisation.active = False
    org_fermee.organisation.save(update_fields=["active"])
    sans_role = utilisateur(organisation=organisation(nom="Sans rôle fictif"))

    response = client_pour(coord).get(URL, {"taille": "200"})
    ids = _ids(response)
    assert {str(pjj.pk), str(directeur.pk), str(coord.pk)} <= ids
    for absent in (auditeur, referent, inactif, revoque, org_fermee, sans_role):
        assert str(absent.pk) not in ids
    ligne = next(r for r in response.json()["results"] if r["id"] == str(pjj.pk))
    assert ligne == {
        "id": str(pjj.pk),
        "nom_complet": "Inès Fictif-Lambert",
        "organisation": str(pjj.organisation_id),
        "organisation_nom": "PJJ fictive de Côte-d'Or",
        "organisation_type": TypeOrganisation.COMMUNE,
        "roles": [Role.MEMBRE_CELLULE],
        "fonctions": [],
    }
    # Staff data only: no e-mail, no username, and no access event.
    assert pjj.email not in response.content.decode()
    assert not EvenementAcces.objects.filter(request_id=response["X-Request-ID"]).exists()


def test_directory_search_by_name_or_organisation_and_functions(coord: Any, cell: Cellule) -> None:
    ines = _agent(Role.MEMBRE_CELLULE, "Fictif-Lambert", "Inès", "PJJ fictive de Côte-d'Or")
    paul = _agent(Role.MEMBRE_CELLULE, "Fictif-Moreau", "Paul", "Bailleur fictif Grand Dijon")
    assert ines.organisation is not None
    MembreCellule.objects.create(
        cellule=cell, utilisateur=ines, organisation=ines.organisation, fonction="éducatrice"
    )
    client = client_pour(coord)
    assert _ids(client.get(URL, {"recherche": "lambert"})) == {str(ines.pk)}
    assert _ids(client.get(URL, {"recherche": "inès fictif"})) == {str(ines.pk)}
    assert _ids(client.get(URL, {"recherche": "bailleur grand"})) == {str(paul.pk)}
    assert _ids(client.get(URL, {"organisation": str(paul.organisation_id)})) == {str(paul.pk)}
    assert _ids(client.get(URL, {"recherche": "personne-inconnue"})) == set()
    ligne = client.get(URL, {"recherche": "lambert"}).json()["results"][0]
    assert ligne["fonctions"] == ["éducatrice"]


def test_directory_is_paginated_without_n_plus_one(coord: Any, cell: Cellule) -> None:
    for n in range(3):
        user = _agent(Role.MEMBRE_CELLULE, f"Fictif-Page{n}", "Zoé", f"PJJ fictive {n}")
        MembreCellule.objects.create(
            cellule=cell, utilisateur=user, organisation=user.organisation, fonction="éducateur"
        )
    client = client_pour(coord)
    page = client.get(URL, {"recherche": "fictif-page", "taille": "2"})
    assert page.status_code == 200
    assert page.json()["count"] == 3 and len(page.json()["results"]) == 2
    assert page.json()["next"] is not None

    def requetes(taille: int) -> int:
        with CaptureQueriesContext(connection) as capture:
            assert (
                client.get(URL, {"recherche": "fictif-page", "taille": str(taille)}).status_code
                == 200
            )
        return len(capture)

    assert requetes(1) == requetes(3)


def test_directory_is_for_who_runs_cells_only() -> None:
    for role in (Role.MEMBRE_CELLULE, Role.DELEGUE_PROCUREUR, Role.AUDITEUR, Role.ADMIN_TECHNIQUE):
        response = client_pour(f.agent(role)).get(URL)
        assert_erreur_json(response, 403, "acces_refuse")


def test_directory_refuses_unknown_or_malformed_parameters(coord: Any) -> None:
    client = client_pour(coord)
    for parametres, champ in (
        ({"nom": "x"}, "nom"),
        ({"organisation": "pas-un-uuid"}, "organisation"),
        ({"recherche": "x" * 101}, "recherche"),
    ):
        corps = assert_erreur_json(client.get(URL, parametres), 400)
        assert champ in corps["champs"], corps


@pytest.mark.parametrize("role", [Role.AUDITEUR, Role.REFERENT_ACCUEIL, Role.ADMIN_TECHNIQUE])
def test_B5_a_role_that_never_reads_a_case_cannot_be_a_member(
    coord: Any, cell: Cellule, role: str
) -> None:
    cible = f.agent(role)
    response = client_pour(coord).post(
        f"/api/v1/cellules/{cell.pk}/membres/",
        {"utilisateur": str(cible.pk), "fonction": "observateur"},
        format="json",
    )
    corps = assert_erreur_json(response, 400, "role_sans_acces_aux_situations")
    assert list(corps["champs"]) == ["utilisateur"]
    assert "ne peut pas être membre" in corps["message"]
    assert not MembreCellule.objects.filter(cellule=cell).exists()
    cell.refresh_from_db()
    assert cell.version == 1


def test_a_member_role_next_to_another_role_is_accepted(coord: Any, cell: Cellule) -> None:
    # A directeur de la tranquillité publique sits in cells: his role reads cases.
    directeur = f.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21166",))
    response = client_pour(coord).post(
        f"/api/v1/cellules/{cell.pk}/membres/",
        {"utilisateur": str(directeur.pk), "fonction": "directeur"},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_unknown_account_in_the_directory_filter_is_just_empty(coord: Any) -> None:
    assert _ids(client_pour(coord).get(URL, {"organisation": str(uuid.uuid4())})) == set()
