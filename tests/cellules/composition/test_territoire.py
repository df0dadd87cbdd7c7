"""A case's commune and a cell's ressort come from reference data (issue 9, items 3 and 4).

Found from outside: a coordinator tagged a case with any commune, which disclosed it to that
commune's director; a cell's ressort was free text, so a coordinator could move his cases out of
the délégué's sight ("tribunal judiciaire de Besançon").
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps

from acces.enums import Role
from acces.models import Commune, Ressort
from cellules.composition.models import Cellule
from cellules.dossiers.enums import Profil, SourceSignalement
from cellules.dossiers.models import Situation
from tests.acces import factories as f_acces
from tests.acces.factories import entete_otp
from tests.cellules.composition import factories as f
from tests.cellules.dossiers import factories as f_dossiers
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

CELLULES = "/api/v1/cellules/"
SITUATIONS = "/api/v1/situations/"
MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}


@pytest.fixture
def coord() -> Any:
    return f.agent(Role.COORDONNATEUR, communes=("21166",))


def _ouvrir(coord: Any, cellule: Cellule, **corps: Any) -> Any:
    personne = f_dossiers.personne(cree_par=coord)
    donnees = {
        "personne": str(personne.pk),
        "cellule": str(cellule.pk),
        "source_signalement": SourceSignalement.EDUCATION_NATIONALE,
        "profils": [Profil.DECROCHEUR_SCOLAIRE],
        **corps,
    }
    return client_pour(coord).post(SITUATIONS, donnees, format="json", **MOTIF)


def _directeur_de(commune: str) -> Any:
    return f.agent(Role.DIRECTEUR_TRANQUILLITE, communes=(commune,))


def test_item3_a_communal_cell_case_carries_the_cell_commune(coord: Any) -> None:
    cellule = f.cellule("21166", coordonnateurs=(coord,))
    dijon = _directeur_de("21231")
    avant = Situation.objects.count()
    reponse = _ouvrir(coord, cellule, commune="21231")
    body = assert_erreur_json(reponse, 400)
    assert list(body["champs"]) == ["commune"]
    assert Situation.objects.count() == avant
    assert client_pour(dijon).get(SITUATIONS, **MOTIF).json()["count"] == 0
    # Without a commune, or with the cell's own, the case is the cell's commune's.
    for corps in ({}, {"commune": "21166"}):
        cree = _ouvrir(coord, cellule, **corps)
        assert cree.status_code == 201, cree.content
        assert Situation.objects.get(pk=cree.json()["id"]).commune_id == "21166"


def test_item3_a_cispd_cell_case_carries_one_of_its_member_communes() -> None:
    coord = f.agent(Role.COORDONNATEUR, perimetre_cispd=True)
    cree = client_pour(coord).post(
        CELLULES,
        {
            "nom": "Groupe du CISPD",
            "type": "groupe_operationnel",
            "cispd": True,
            "communes": ["21231", "21166"],
        },
        format="json",
    )
    assert cree.status_code == 201, cree.content
    assert cree.json()["communes_membres"] == ["21166", "21231"]
    cellule = Cellule.objects.get(pk=cree.json()["id"])
    assert_erreur_json(_ouvrir(coord, cellule, commune="21355"), 400)
    assert "commune" in assert_erreur_json(_ouvrir(coord, cellule), 400)["champs"]
    ok = _ouvrir(coord, cellule, commune="21231")
    assert ok.status_code == 201, ok.content
    assert client_pour(_directeur_de("21231")).get(SITUATIONS, **MOTIF).json()["count"] == 1
    assert client_pour(_directeur_de("21355")).get(SITUATIONS, **MOTIF).json()["count"] == 0


def test_item4_a_typed_ressort_is_refused_and_the_commune_gives_it(coord: Any) -> None:
    corps = {"nom": "Cellule", "type": "suivi_personnalise", "commune": "21166"}
    deplace = client_pour(coord).post(
        CELLULES, {**corps, "ressort": "tribunal judiciaire de Besançon"}, format="json"
    )
    assert "ressort" in assert_erreur_json(deplace, 400)["champs"]
    cree = client_pour(coord).post(CELLULES, corps, format="json")
    assert cree.status_code == 201, cree.content
    assert cree.json()["ressort"] == "tj-dijon"
    cellule = Cellule.objects.get(pk=cree.json()["id"])
    assert _ouvrir(coord, cellule).status_code == 201
    # The délégué of that ressort sees the case; one of another ressort does not.
    delegue = f.agent(Role.DELEGUE_PROCUREUR, ressort="tj-dijon")
    assert client_pour(delegue).get(SITUATIONS, **MOTIF).json()["count"] == 1
    # The ressort cannot be patched either.
    patch = client_pour(coord).patch(
        f"{CELLULES}{cellule.pk}/",
        {"ressort": "tj-besancon"},
        format="json",
        HTTP_IF_MATCH=cree["ETag"],
    )
    assert_erreur_json(patch, 400)
    cellule.refresh_from_db()
    assert cellule.ressort_id == "tj-dijon"


def test_item4_ressorts_are_reference_data_listed_with_their_communes(coord: Any) -> None:
    reponse = client_pour(coord).get("/api/v1/ressorts/")
    assert reponse.status_code == 200
    (dijon,) = [r for r in reponse.json() if r["code"] == "tj-dijon"]
    assert dijon["nom"] == "tribunal judiciaire de Dijon"
    assert len(dijon["communes"]) == 23 and "21231" in dijon["communes"]
    communes = client_pour(coord).get("/api/v1/communes/").json()
    assert {c["ressort"] for c in communes if c["code_insee"] == "21166"} == {"tj-dijon"}


def test_item4_a_delegue_habilitation_names_a_known_ressort() -> None:
    admin = f.agent(Role.ADMIN_TECHNIQUE)
    cible = f_acces.utilisateur()
    for ressort in ("tribunal judiciaire de Besançon", ""):
        reponse = client_pour(admin).post(
            "/api/v1/habilitations/",
            {"utilisateur": str(cible.pk), "role": Role.DELEGUE_PROCUREUR, "ressort": ressort},
            format="json",
            **entete_otp(admin),
        )
        assert "ressort" in assert_erreur_json(reponse, 400)["champs"]
    assert not cible.habilitations.exists()
    ok = client_pour(admin).post(
        "/api/v1/habilitations/",
        {"utilisateur": str(cible.pk), "role": Role.DELEGUE_PROCUREUR, "ressort": "tj-dijon"},
        format="json",
        **entete_otp(admin),
    )
    assert ok.status_code == 201, ok.content


def test_item4_migration_brings_typed_ressorts_back_to_the_commune() -> None:
    """Existing rows: the cell's ressort from its commune, its cases' with it."""
    migration = importlib.import_module("cellules.migrations.0011_ressort_reference_communes_cispd")
    Ressort.objects.get_or_create(code="tj-besancon", defaults={"nom": "TJ Besançon"})
    Ressort.objects.get_or_create(code="tj-dijon", defaults={"nom": "tribunal judiciaire de Dijon"})
    deplacee = f.cellule("21166", ressort="tj-besancon")
    cas = f_dossiers.situation(deplacee, commune="21231")
    cispd = f.cellule(None, cispd=True, ressort="tj-besancon")
    Commune.objects.filter(pk="21166").update(ressort="tj-dijon")

    migration.reprendre(django_apps, None)

    deplacee.refresh_from_db()
    cas.refresh_from_db()
    cispd.refresh_from_db()
    assert deplacee.ressort_id == "tj-dijon"
    assert (cas.ressort, cas.commune_id) == ("tj-dijon", "21166")
    assert cispd.communes_membres.count() == Commune.objects.count()
    assert cispd.ressort_id == "tj-dijon"
