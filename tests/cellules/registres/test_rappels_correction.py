"""Correcting an entry of the rappel à l'ordre register (issue 11).

The keeper of the commune's register corrects an entry with ``If-Match``; the legal rules are
checked again on the corrected entry (a minor at the date is accompanied or the reason recorded;
no penal facts, complaint or investigation), the person and the commune stay, and the change log
records the correction with its content masked.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from acces.enums import Role
from cellules.registres.enums import Accompagnant, FaitRappel, MotifSansAccompagnant
from cellules.registres.models import RappelOrdre
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.registres import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json, db_snapshot

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "controle"}
TRACES = ["audit_evenementacces", "audit_tetechaine", "acces_jetonapi"]
QUALIFICATION = {"crime_ou_delit": False, "plainte_en_cours": False, "enquete_en_cours": False}


@pytest.fixture
def directeur() -> Any:
    return f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))


@pytest.fixture
def rappel(directeur: Any) -> RappelOrdre:
    return f.rappel("21231", auteur=directeur)


def _url(rappel: RappelOrdre) -> str:
    return f"/api/v1/rappels-a-l-ordre/{rappel.pk}/"


def _mineur_rappel(directeur: Any) -> RappelOrdre:
    """An entry of a minor of 15, seen with his parents."""
    personne = f_dossiers.personne(f_dossiers.identite(age_min=15, age_max=15))
    return f.rappel("21231", personne=personne, auteur=directeur, accompagnant=Accompagnant.PARENTS)


def _corriger(client: Any, rappel: RappelOrdre, corps: dict[str, Any], etag: str) -> Any:
    return client.patch(_url(rappel), corps, format="json", HTTP_IF_MATCH=etag, **MOTIF)


def _etag(client: Any, rappel: RappelOrdre) -> str:
    response = client.get(_url(rappel), **MOTIF)
    assert response.status_code == 200, response.content
    return str(response["ETag"])


def test_keeper_corrects_facts_and_date_and_the_log_is_masked(
    directeur: Any, rappel: RappelOrdre
) -> None:
    client = client_pour(directeur)
    etag = _etag(client, rappel)
    assert etag == f'"{rappel.pk}.1"'
    nouvelle_date = timezone.localdate() - dt.timedelta(days=4)
    response = _corriger(
        client,
        rappel,
        {
            "faits": [FaitRappel.NUISANCES_SONORES, FaitRappel.DEPOT_DECHETS],
            "date": nouvelle_date.isoformat(),
            **QUALIFICATION,
        },
        etag,
    )
    assert response.status_code == 200, response.content
    corps = response.json()
    assert corps["faits"] == [FaitRappel.NUISANCES_SONORES, FaitRappel.DEPOT_DECHETS]
    assert corps["date"] == nouvelle_date.isoformat() and corps["version"] == 2
    assert response["ETag"] == f'"{rappel.pk}.2"'
    rappel.refresh_from_db()
    assert (rappel.version, rappel.date, rappel.commune_id) == (2, nouvelle_date, "21231")

    entree = LogEntry.objects.get_for_object(rappel).filter(action=LogEntry.Action.UPDATE).get()
    assert entree.actor_id == directeur.pk
    assert entree.changes["faits"] == ["[masqué]", "[masqué]"]
    assert entree.changes["version"] == ["1", "2"]
    texte = json.dumps(entree.changes) + (entree.changes_text or "")
    for valeur in (FaitRappel.NUISANCES_SONORES, FaitRappel.DEPOT_DECHETS, FaitRappel.INCIVILITES):
        assert valeur not in texte


def test_F1_correction_needs_if_match_and_the_current_version(
    directeur: Any, rappel: RappelOrdre
) -> None:
    client = client_pour(directeur)
    client.get(_url(rappel), **MOTIF)
    avant = db_snapshot(exclure=TRACES)
    corps = {"qualite_auteur": "adjoint", "reference_delegation": "Arrêté 2026-12"}
    sans = client.patch(_url(rappel), corps, format="json", **MOTIF)
    assert_erreur_json(sans, 428)
    perime = _corriger(client, rappel, corps, f'"{rappel.pk}.0"')
    assert_erreur_json(perime, 412)
    assert db_snapshot(exclure=TRACES) == avant
    ok = _corriger(client, rappel, corps, _etag(client, rappel))
    assert ok.status_code == 200, ok.content
    assert (ok.json()["qualite_auteur"], ok.json()["reference_delegation"]) == (
        "adjoint",
        "Arrêté 2026-12",
    )
    # The ETag read before the correction is stale now.
    assert_erreur_json(_corriger(client, rappel, corps, f'"{rappel.pk}.1"'), 412)


def test_corrected_facts_are_declared_again_and_penal_facts_refused(
    directeur: Any, rappel: RappelOrdre
) -> None:
    client = client_pour(directeur)
    etag = _etag(client, rappel)
    avant = db_snapshot(exclure=TRACES)
    sans_declaration = _corriger(client, rappel, {"faits": ["conflit_voisinage"]}, etag)
    assert "crime_ou_delit" in assert_erreur_json(sans_declaration, 400)["champs"]
    for champ, code in (
        ("crime_ou_delit", "faits_penaux"),
        ("plainte_en_cours", "plainte_en_cours"),
        ("enquete_en_cours", "enquete_en_cours"),
    ):
        corps = {"faits": ["conflit_voisinage"], **QUALIFICATION, champ: True}
        assert_erreur_json(_corriger(client, rappel, corps, etag), 400, code)
    assert db_snapshot(exclure=TRACES) == avant


def test_minor_stays_accompanied_or_the_reason_recorded(directeur: Any) -> None:
    rappel = _mineur_rappel(directeur)
    assert rappel.mineur
    client = client_pour(directeur)
    etag = _etag(client, rappel)
    # Removing the accompanying person without a reason is refused.
    erreur = assert_erreur_json(_corriger(client, rappel, {"accompagnant": ""}, etag), 400)
    assert "accompagnant" in erreur["champs"]
    assert "impossibilité" in erreur["champs"]["accompagnant"][0]
    # Both at once: refused too.
    deux = {"motif_sans_accompagnant": MotifSansAccompagnant.URGENCE}
    assert_erreur_json(_corriger(client, rappel, deux, etag), 400)
    ok = _corriger(
        client,
        rappel,
        {"accompagnant": "", "motif_sans_accompagnant": MotifSansAccompagnant.URGENCE},
        etag,
    )
    assert ok.status_code == 200, ok.content
    rappel.refresh_from_db()
    assert (rappel.accompagnant, rappel.motif_sans_accompagnant) == (
        "",
        MotifSansAccompagnant.URGENCE,
    )
    entree = LogEntry.objects.get_for_object(rappel).filter(action=LogEntry.Action.UPDATE).get()
    assert entree.changes["accompagnant"] == ["[masqué]", "[masqué]"]
    assert entree.changes["motif_sans_accompagnant"] == ["[masqué]", "[masqué]"]
    assert MotifSansAccompagnant.URGENCE not in json.dumps(entree.changes)


def test_date_in_the_future_or_before_birth_is_refused(directeur: Any, rappel: RappelOrdre) -> None:
    client = client_pour(directeur)
    etag = _etag(client, rappel)
    demain = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert (
        "date"
        in assert_erreur_json(_corriger(client, rappel, {"date": demain}, etag), 400)["champs"]
    )
    assert (
        "date"
        in assert_erreur_json(_corriger(client, rappel, {"date": "1901-01-01"}, etag), 400)[
            "champs"
        ]
    )


def test_B7_person_commune_and_unknown_fields_are_not_corrected(
    directeur: Any, rappel: RappelOrdre
) -> None:
    client = client_pour(directeur)
    etag = _etag(client, rappel)
    avant = db_snapshot(exclure=TRACES)
    for champ, valeur in (
        ("personne", str(rappel.personne_id)),
        ("commune", "21166"),
        ("mineur", True),
        ("version", 5),
        ("inconnu", "x"),
    ):
        erreur = assert_erreur_json(_corriger(client, rappel, {champ: valeur}, etag), 400)
        assert champ in erreur["champs"], erreur
    vide = assert_erreur_json(_corriger(client, rappel, {}, etag), 400)
    assert vide["code"] == "donnees_invalides"
    assert db_snapshot(exclure=TRACES) == avant


def test_only_the_keeper_of_the_commune_corrects(directeur: Any, rappel: RappelOrdre) -> None:
    f_composition.cellule("21231")  # the commune's cell puts it in the délégué's ressort
    delegue = f_composition.agent(Role.DELEGUE_PROCUREUR)
    etag = _etag(client_pour(delegue), rappel)
    corps = {"qualite_auteur": "maire"}
    assert_erreur_json(_corriger(client_pour(delegue), rappel, corps, etag), 403)
    autre = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21166",))
    assert_erreur_json(_corriger(client_pour(autre), rappel, corps, etag), 404)
    rappel.refresh_from_db()
    assert rappel.version == 1
