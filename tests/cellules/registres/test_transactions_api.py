"""API of the mayor's transactions: proposal rules, acceptance, homologation, outbox hand-off."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.utils import timezone

from acces.enums import Role
from audit.models import EvenementAcces
from cellules.registres.enums import StatutTransaction
from cellules.registres.models import TransactionMunicipale
from socle.models import OutboxMessage
from tests.canaris import canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.orientations import factories as f_orientations
from tests.cellules.registres import factories as f
from tests.matrice.personas import client_pour

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "execution_mesure"}
URL = "/api/v1/transactions/"


@pytest.fixture(autouse=True)
def _referentiel() -> None:
    f_orientations.referentiel()


@pytest.fixture
def directeur() -> Any:
    return f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))


@pytest.fixture
def delegue() -> Any:
    f_composition.cellule("21231", ressort="tj-dijon")
    return f_composition.agent(Role.DELEGUE_PROCUREUR)


def _corps(**champs: Any) -> dict[str, Any]:
    aujourd_hui = timezone.localdate()
    return {
        "commune": "21231",
        "identite": {"nom": "Roux-Fictif", "prenom": "Aya", "date_naissance": "1999-09-09"},
        "contravention": "inscriptions",
        "date_constat": (aujourd_hui - dt.timedelta(days=7)).isoformat(),
        "date_proposition": aujourd_hui.isoformat(),
        "nature": "travail_non_remunere",
        "heures": 12,
        **champs,
    }


def _sans_id(response: Any) -> dict[str, Any]:
    corps: dict[str, Any] = json.loads(response.content)
    corps.pop("request_id")
    return corps


def test_proposal_acceptance_homologation_and_tig_hand_off(directeur: Any, delegue: Any) -> None:
    maire = client_pour(directeur)
    creee = maire.post(URL, _corps(), format="json", **MOTIF)
    assert creee.status_code == 201, creee.content
    pk = creee.json()["id"]
    assert creee.json()["reference"]["article"].endswith("code de procédure pénale")
    acceptation = maire.post(
        f"{URL}{pk}/acceptation/",
        {"acceptee": True},
        format="json",
        HTTP_IF_MATCH=creee["ETag"],
        **MOTIF,
    )
    assert acceptation.status_code == 200 and acceptation.json()["statut"] == "acceptee"
    parquet = client_pour(delegue)
    decision = {"homologuee": True, "autorite": "juge_tribunal_police"}
    decision["decision_le"] = timezone.localdate().isoformat()
    perimee = parquet.post(
        f"{URL}{pk}/homologation/",
        decision,
        format="json",
        HTTP_IF_MATCH=creee["ETag"],
        **MOTIF,
    )
    assert perimee.status_code == 412
    homologation = parquet.post(
        f"{URL}{pk}/homologation/",
        decision,
        format="json",
        HTTP_IF_MATCH=acceptation["ETag"],
        **MOTIF,
    )
    assert homologation.status_code == 200, homologation.content
    assert homologation.json()["statut"] == StatutTransaction.HOMOLOGUEE
    message = OutboxMessage.objects.get(tache="tig.mesure_depuis_transaction")
    assert message.arguments == {"transaction_id": pk}


def test_window_and_hours_refusals_are_clear_400(directeur: Any) -> None:
    client = client_pour(directeur)
    vieux = (timezone.localdate() - dt.timedelta(days=40)).isoformat()
    refus = client.post(URL, _corps(date_constat=vieux), format="json", **MOTIF)
    assert refus.status_code == 400 and refus.json()["code"] == "delai_depasse"
    refus = client.post(URL, _corps(heures=31), format="json", **MOTIF)
    assert refus.status_code == 400 and refus.json()["code"] == "heures_depassees"
    for montant in ("NaN", "Infinity", "-3", "0"):
        corps = _corps(nature="reparation", heures=None, montant=montant)
        assert client.post(URL, corps, format="json", **MOTIF).status_code == 400
    assert not TransactionMunicipale.objects.exists()


def test_list_scope_events_and_no_leak_of_other_communes(directeur: Any) -> None:
    c = canari()
    mienne = f.transaction("21231")
    f.transaction("21166", personne=f_dossiers.personne(c))
    response = client_pour(directeur).get(URL, **MOTIF)
    assert [r["id"] for r in response.json()["results"]] == [str(mienne.pk)]
    assert response.json()["count"] == 1
    assert scanner(response.content, [c]) == []
    evenements = EvenementAcces.objects.filter(request_id=response["X-Request-ID"])
    assert [e.objet_id for e in evenements] == [str(mienne.pk)]


def test_B2_decisions_on_another_commune_answer_like_missing(directeur: Any) -> None:
    ailleurs = f.transaction("21166")
    client = client_pour(directeur)
    cachee = client.post(
        f"{URL}{ailleurs.pk}/acceptation/", {"acceptee": True}, format="json", **MOTIF
    )
    absente = client.post(
        f"{URL}{uuid.uuid4()}/acceptation/", {"acceptee": True}, format="json", **MOTIF
    )
    assert cachee.status_code == absente.status_code == 404
    assert _sans_id(cachee) == _sans_id(absente)
    assert TransactionMunicipale.objects.get(pk=ailleurs.pk).statut == StatutTransaction.PROPOSEE


def test_directeur_cannot_homologate_and_delegue_cannot_answer(
    directeur: Any, delegue: Any
) -> None:
    objet = f.transaction("21231")
    etag = f'"{objet.pk}.1"'
    decision = {
        "homologuee": True,
        "autorite": "procureur",
        "decision_le": timezone.localdate().isoformat(),
    }
    par_directeur = client_pour(directeur).post(
        f"{URL}{objet.pk}/homologation/", decision, format="json", HTTP_IF_MATCH=etag, **MOTIF
    )
    assert par_directeur.status_code == 403
    par_delegue = client_pour(delegue).post(
        f"{URL}{objet.pk}/acceptation/",
        {"acceptee": True},
        format="json",
        HTTP_IF_MATCH=etag,
        **MOTIF,
    )
    assert par_delegue.status_code == 403
    assert TransactionMunicipale.objects.get(pk=objet.pk).statut == StatutTransaction.PROPOSEE
