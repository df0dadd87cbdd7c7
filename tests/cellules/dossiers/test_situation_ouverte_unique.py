"""Issue 11: one person has at most one open case per cell (database constraint and a 409)."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction

from acces.enums import Role
from cellules.dossiers import services
from cellules.dossiers.enums import MotifCloture, SourceSignalement, StatutSituation
from cellules.dossiers.models import Situation
from socle.errors import ApiError
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}
URL = "/api/v1/situations/"
migration = importlib.import_module("cellules.migrations.0014_unicite_situation_version_personne")


@pytest.fixture
def coord() -> Any:
    return f_composition.agent(Role.COORDONNATEUR, communes=("21231",))


@pytest.fixture
def cell(coord: Any) -> Any:
    return f_composition.cellule("21231", coordonnateurs=(coord,))


def _ouvrir(client: Any, personne: Any, cellule: Any) -> Any:
    corps = {
        "personne": str(personne.pk),
        "cellule": str(cellule.pk),
        "source_signalement": SourceSignalement.PARQUET,
    }
    return client.post(URL, corps, format="json", **MOTIF)


def test_second_open_case_in_the_same_cell_is_a_409_naming_the_first(coord: Any, cell: Any) -> None:
    personne = f.personne(cree_par=coord)
    client = client_pour(coord)
    premiere = _ouvrir(client, personne, cell)
    assert premiere.status_code == 201, premiere.content
    seconde = _ouvrir(client, personne, cell)
    corps = assert_erreur_json(seconde, 409, "situation_ouverte_existante")
    assert corps["champs"] == {"situation": [premiere.json()["id"]]}
    assert premiere.json()["id"] in corps["message"]
    assert Situation.objects.filter(personne=personne).count() == 1


def test_a_new_case_may_be_opened_once_the_first_is_closed(coord: Any, cell: Any) -> None:
    personne = f.personne()
    f.situation(cell, personne, statut=StatutSituation.CLOTUREE, motif_cloture=MotifCloture.AUTRE)
    reponse = _ouvrir(client_pour(coord), personne, cell)
    assert reponse.status_code == 201, reponse.content


def test_the_same_person_may_have_an_open_case_in_another_cell(coord: Any, cell: Any) -> None:
    autre = f_composition.cellule("21231", coordonnateurs=(coord,))
    personne = f.personne()
    f.situation(autre, personne)
    reponse = _ouvrir(client_pour(coord), personne, cell)
    assert reponse.status_code == 201, reponse.content


def test_the_database_refuses_a_second_open_case() -> None:
    premiere = f.situation()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.situation(premiere.cellule, premiere.personne, statut=StatutSituation.SUIVIE)


def test_race_past_the_check_gets_the_same_409(coord: Any, cell: Any, monkeypatch: Any) -> None:
    """Two creations at once both pass the check: the constraint decides, same answer."""
    personne = f.personne()
    premiere = f.situation(cell, personne)
    reelle = services._situation_ouverte
    appels: list[int] = []

    def apres_la_course(personne: Any, cellule: Any) -> Any:
        appels.append(1)
        return None if len(appels) == 1 else reelle(personne, cellule)

    monkeypatch.setattr(services, "_situation_ouverte", apres_la_course)
    with pytest.raises(ApiError) as refus:
        services.situation_creer(
            personne=personne,
            cellule=cell,
            source=SourceSignalement.PARQUET,
            profils=[],
            observation=None,
            acteur=coord,
        )
    assert refus.value.status_code == 409
    assert refus.value.code == "situation_ouverte_existante"
    assert refus.value.champs == {"situation": [str(premiere.pk)]}
    assert Situation.objects.filter(personne=personne).count() == 1


def test_an_existing_case_the_actor_may_not_read_is_not_named(cell: Any) -> None:
    existante = f.situation(cell)
    etranger = f_composition.agent(Role.COORDONNATEUR, communes=("21166",))
    refus = services.refus_situation_ouverte(existante.pk, etranger)
    assert refus.status_code == 409 and refus.code == "situation_ouverte_existante"
    assert refus.champs == {}
    assert str(existante.pk) not in refus.message


def test_migration_stops_clearly_on_existing_duplicates() -> None:
    from django.apps import apps

    premiere = f.situation()
    contrainte = next(
        c for c in Situation._meta.constraints if c.name == "situation_ouverte_unique"
    )
    with connection.schema_editor() as editeur:
        editeur.remove_constraint(Situation, contrainte)
    f.situation(premiere.cellule, premiere.personne)
    with pytest.raises(RuntimeError, match="situations ouvertes en double") as erreur:
        migration.verifier_doublons(apps, None)
    assert str(premiere.personne_id) not in str(erreur.value)
    assert str(premiere.cellule_id) in str(erreur.value)
