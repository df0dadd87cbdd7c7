"""API of the rappel à l'ordre register: who reads, scope per commune, access events, refusals,
aggregate statistics without personal data."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import pytest
from django.utils import timezone

from acces.enums import Role
from audit.enums import ActionAcces
from audit.models import EvenementAcces
from cellules.registres.models import RappelOrdre
from tests.canaris import canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.orientations import factories as f_orientations
from tests.cellules.registres import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import db_snapshot

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "controle"}
URL = "/api/v1/rappels-a-l-ordre/"
TRACES = ["audit_evenementacces", "audit_tetechaine", "acces_jetonapi", "auditlog_logentry"]


@pytest.fixture
def directeur() -> Any:
    return f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))


def _corps(**champs: Any) -> dict[str, Any]:
    return {
        "commune": "21231",
        "date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "qualite_auteur": "maire",
        "identite": {"nom": "Bernard-Fictif", "prenom": "Noé", "date_naissance": "1996-02-03"},
        "faits": ["conflit_voisinage"],
        "crime_ou_delit": False,
        "plainte_en_cours": False,
        "enquete_en_cours": False,
        **champs,
    }


def _sans_id(response: Any) -> dict[str, Any]:
    corps: dict[str, Any] = json.loads(response.content)
    corps.pop("request_id")
    return corps


def test_directeur_records_and_reads_back_the_entry(directeur: Any) -> None:
    f_orientations.referentiel()
    response = client_pour(directeur).post(URL, _corps(), format="json", **MOTIF)
    assert response.status_code == 201, response.content
    corps = response.json()
    assert (corps["nom"], corps["mineur"], corps["reference"]["code"]) == (
        "Bernard-Fictif",
        False,
        "rappel_ordre",
    )
    evenement = EvenementAcces.objects.get(request_id=response["X-Request-ID"])
    assert (evenement.type_objet, evenement.objet_id) == ("cellules.rappel_ordre", corps["id"])


def test_refusal_for_a_delit_is_a_clear_400_and_changes_nothing(directeur: Any) -> None:
    f_orientations.referentiel()
    client = client_pour(directeur)
    client.get(URL, **MOTIF)
    avant = db_snapshot(exclure=TRACES)
    response = client.post(URL, _corps(crime_ou_delit=True), format="json", **MOTIF)
    assert response.status_code == 400
    assert response.json()["code"] == "faits_penaux"
    assert "délit" in response.json()["message"]
    assert db_snapshot(exclure=TRACES) == avant
    response = client.post(URL, _corps(enquete_en_cours=True), format="json", **MOTIF)
    assert response.json()["code"] == "enquete_en_cours"


def test_facts_outside_the_closed_list_are_refused(directeur: Any) -> None:
    response = client_pour(directeur).post(URL, _corps(faits=["vol"]), format="json", **MOTIF)
    assert response.status_code == 400 and "faits.0" in response.json()["champs"]


def test_B3_list_shows_the_commune_only_with_one_event_per_entry(directeur: Any) -> None:
    visibles = [f.rappel("21231") for _ in range(3)]
    for _ in range(4):
        f.rappel("21166")
    response = client_pour(directeur).get(URL, **MOTIF)
    corps = response.json()
    assert corps["count"] == 3
    ids = sorted(r["id"] for r in corps["results"])
    assert ids == sorted(str(r.pk) for r in visibles)
    evenements = EvenementAcces.objects.filter(request_id=response["X-Request-ID"])
    assert sorted(e.objet_id for e in evenements) == ids
    assert {e.action for e in evenements} == {ActionAcces.LISTE}


def test_B2_entry_of_another_commune_answers_like_a_missing_one(directeur: Any) -> None:
    ailleurs = f.rappel("21166")
    client = client_pour(directeur)
    cachee = client.get(f"{URL}{ailleurs.pk}/", **MOTIF)
    absente = client.get(f"{URL}{uuid.uuid4()}/", **MOTIF)
    assert cachee.status_code == absente.status_code == 404
    assert _sans_id(cachee) == _sans_id(absente)


def test_delegue_reads_the_communes_of_his_ressort_only() -> None:
    f_composition.cellule("21231", ressort="tj-dijon")
    f_composition.cellule("21166", ressort="TJ Beaune")
    dijon, ailleurs = f.rappel("21231"), f.rappel("21166")
    client = client_pour(f_composition.agent(Role.DELEGUE_PROCUREUR))
    ids = [r["id"] for r in client.get(URL, **MOTIF).json()["results"]]
    assert ids == [str(dijon.pk)]
    assert client.get(f"{URL}{ailleurs.pk}/", **MOTIF).status_code == 404
    assert client.post(URL, _corps(), format="json", **MOTIF).status_code == 403


@pytest.mark.parametrize("role", [Role.COORDONNATEUR, Role.MEMBRE_CELLULE, Role.AUDITEUR])
def test_nobody_else_reads_the_register(role: str) -> None:
    rappel = f.rappel("21231")
    client = client_pour(f_composition.agent(role, communes=("21231",)))
    assert client.get(URL, **MOTIF).status_code == 403
    assert client.get(f"{URL}{rappel.pk}/", **MOTIF).status_code == 403
    assert client.get(f"{URL}statistiques/", **MOTIF).status_code == 403


def test_statistics_per_commune_and_year_without_personal_data(directeur: Any) -> None:
    c = canari()
    annee = timezone.localdate().year
    jour = dt.date(annee, 1, 1)
    f.rappel("21231", personne=f_dossiers.personne(c), date=jour, mineur=True)
    f.rappel(
        "21231", date=jour, mineur=False, transmis_au_parquet_le=jour, reference_convention="C-1"
    )
    f.rappel("21231", date=dt.date(annee - 1, 6, 1))
    f.rappel("21166", date=jour)
    response = client_pour(directeur).get(f"{URL}statistiques/?annee={annee}", **MOTIF)
    assert response.status_code == 200
    assert response.json() == {
        "annee": annee,
        "communes": [
            {
                "commune": "21231",
                "annee": annee,
                "total": 2,
                "mineurs": 1,
                "transmis_au_parquet": 1,
            }
        ],
    }
    assert scanner(response.content, [c]) == []
    assert not EvenementAcces.objects.filter(
        request_id=response["X-Request-ID"], type_objet="cellules.rappel_ordre", resultat="autorise"
    ).exists()


@pytest.mark.parametrize("annee", ["deux", "1800", "٢٠٢٥", "2025\x00"])
def test_statistics_year_is_validated(directeur: Any, annee: str) -> None:
    response = client_pour(directeur).get(f"{URL}statistiques/", {"annee": annee}, **MOTIF)
    assert response.status_code == 400


def test_minor_without_accompanying_person_is_refused_through_the_api(directeur: Any) -> None:
    naissance = timezone.localdate().replace(year=timezone.localdate().year - 15, day=1)
    identite = {"nom": "Jeune-Fictif", "prenom": "Léa", "date_naissance": naissance.isoformat()}
    client = client_pour(directeur)
    refus = client.post(URL, _corps(identite=identite), format="json", **MOTIF)
    assert refus.status_code == 400 and "accompagnant" in refus.json()["champs"]
    f_orientations.referentiel()
    ok = client.post(URL, _corps(identite=identite, accompagnant="parents"), format="json", **MOTIF)
    assert ok.status_code == 201 and ok.json()["mineur"] is True
    assert RappelOrdre.objects.count() == 1
