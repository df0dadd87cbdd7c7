"""API of orientations and measures: scope, motif, one access event per orientation, ETags."""

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
from cellules.orientations import services
from cellules.orientations.enums import StatutOrientation
from cellules.orientations.models import Orientation
from cellules.seances.models import Seance
from tests.canaris import canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.orientations import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import db_snapshot

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "suivi_orientation"}
TRACES = ["audit_evenementacces", "audit_tetechaine", "acces_jetonapi"]


@pytest.fixture
def coord() -> Any:
    return f_composition.agent(Role.COORDONNATEUR, communes=("21231",))


@pytest.fixture
def situation(coord: Any) -> Any:
    return f_dossiers.situation(f_composition.cellule("21231", coordonnateurs=(coord,)))


def _url(situation: Any) -> str:
    return f"/api/v1/situations/{situation.pk}/orientations/"


def _corps(situation: Any, **champs: Any) -> dict[str, Any]:
    return {
        "type": "educative",
        "mesure": str(f.mesure("programme_reussite_educative").pk),
        "organisation": str(f_composition.partenaire(situation.cellule).pk),
        "echeance": (timezone.localdate() + dt.timedelta(days=45)).isoformat(),
        **champs,
    }


def _sans_id(response: Any) -> dict[str, Any]:
    corps: dict[str, Any] = json.loads(response.content)
    corps.pop("request_id")
    return corps


def test_measures_reference_list() -> None:
    f.referentiel()
    response = client_pour(f_composition.agent(Role.MEMBRE_CELLULE)).get("/api/v1/mesures/")
    assert response.status_code == 200
    tig = next(m for m in response.json() if m["code"] == "tig")
    assert tig["types"] == ["judiciaire"] and tig["reference"]["code"] == "tig"


def test_decide_then_list_with_one_event_per_orientation(coord: Any, situation: Any) -> None:
    client = client_pour(coord)
    creee = client.post(_url(situation), _corps(situation), format="json", **MOTIF)
    assert creee.status_code == 201, creee.content
    assert creee["ETag"] == f'"{creee.json()["id"]}.1"'
    f.orientation(situation)
    f.orientation(f_dossiers.situation())  # another case
    liste = client.get(_url(situation), **MOTIF)
    ids = sorted(r["id"] for r in liste.json())
    assert len(ids) == 2
    evenements = EvenementAcces.objects.filter(request_id=liste["X-Request-ID"])
    assert sorted(e.objet_id for e in evenements) == ids
    assert {(e.type_objet, e.action) for e in evenements} == {
        ("cellules.orientation", ActionAcces.LISTE)
    }


def test_motif_is_required(coord: Any, situation: Any) -> None:
    response = client_pour(coord).get(_url(situation))
    assert response.status_code == 400 and response.json()["code"] == "motif_requis"


def test_judicial_orientation_refused_to_the_coordinator(coord: Any, situation: Any) -> None:
    corps = _corps(situation, type="judiciaire", mesure=str(f.mesure("stage_citoyennete").pk))
    client = client_pour(coord)
    client.get(_url(situation), **MOTIF)  # first use of the token (its own change-log row)
    avant = db_snapshot(exclure=TRACES)
    response = client.post(_url(situation), corps, format="json", **MOTIF)
    assert response.status_code == 403
    assert db_snapshot(exclure=TRACES) == avant
    delegue = f_composition.agent(Role.DELEGUE_PROCUREUR)
    response = client_pour(delegue).post(_url(situation), corps, format="json", **MOTIF)
    assert response.status_code == 201 and response.json()["type"] == "judiciaire"


def test_B2_out_of_scope_case_and_orientation_answer_like_missing(situation: Any) -> None:
    autre = f_composition.agent(Role.COORDONNATEUR, communes=("21166",))
    client = client_pour(autre)
    orientation = f.orientation(situation)
    absente = client.get(f"/api/v1/situations/{uuid.uuid4()}/orientations/", **MOTIF)
    cachee = client.get(_url(situation), **MOTIF)
    assert cachee.status_code == absente.status_code == 404
    assert _sans_id(cachee) == _sans_id(absente)
    cachee = client.get(f"/api/v1/orientations/{orientation.pk}/", **MOTIF)
    absente = client.get(f"/api/v1/orientations/{uuid.uuid4()}/", **MOTIF)
    assert cachee.status_code == absente.status_code == 404
    assert _sans_id(cachee) == _sans_id(absente)
    avant = db_snapshot(exclure=TRACES)
    patch = client.patch(
        f"/api/v1/orientations/{orientation.pk}/",
        {"statut": "en_cours"},
        format="json",
        HTTP_IF_MATCH=f'"{orientation.pk}.1"',
        **MOTIF,
    )
    assert patch.status_code == 404 and db_snapshot(exclure=TRACES) == avant


def test_patch_needs_if_match_then_starts_and_closes(coord: Any, situation: Any) -> None:
    client = client_pour(coord)
    orientation = f.orientation(situation)
    url = f"/api/v1/orientations/{orientation.pk}/"
    assert client.patch(url, {"statut": "en_cours"}, format="json", **MOTIF).status_code == 428
    etag = client.get(url, **MOTIF)["ETag"]
    debut = client.patch(url, {"statut": "en_cours"}, format="json", HTTP_IF_MATCH=etag, **MOTIF)
    assert debut.status_code == 200 and debut.json()["statut"] == "en_cours"
    cloture = {"statut": "abandonnee", "resultat": "refus_personne"}
    perime = client.patch(url, cloture, format="json", HTTP_IF_MATCH=etag, **MOTIF)
    assert perime.status_code == 412
    etag = debut["ETag"]
    sans_resultat = client.patch(
        url, {"statut": "realisee"}, format="json", HTTP_IF_MATCH=etag, **MOTIF
    )
    assert sans_resultat.status_code == 400
    fin = client.patch(
        url,
        {"statut": "realisee", "resultat": "objectif_atteint"},
        format="json",
        HTTP_IF_MATCH=etag,
        **MOTIF,
    )
    assert fin.status_code == 200, fin.content
    assert Orientation.objects.get(pk=orientation.pk).statut == StatutOrientation.REALISEE


def test_B7_unknown_or_read_only_fields_refused(coord: Any, situation: Any) -> None:
    client = client_pour(coord)
    for champ, valeur in (("statut", "realisee"), ("decidee_par", str(coord.pk))):
        response = client.post(
            _url(situation), _corps(situation, **{champ: valeur}), format="json", **MOTIF
        )
        assert response.status_code == 400 and champ in response.json()["champs"]
    assert not Orientation.objects.exists()


def test_measure_of_the_wrong_kind_and_past_deadline(coord: Any, situation: Any) -> None:
    client = client_pour(coord)
    hier = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(
        _url(situation), _corps(situation, echeance=hier), format="json", **MOTIF
    )
    assert response.status_code == 400 and "echeance" in response.json()["champs"]
    mauvaise = _corps(situation, type="sanitaire")
    response = client.post(_url(situation), mauvaise, format="json", **MOTIF)
    assert response.status_code == 400 and "mesure" in response.json()["champs"]


def test_orientation_links_to_a_meeting_of_the_same_cell(coord: Any, situation: Any) -> None:
    debut = timezone.now() + dt.timedelta(days=3)
    fin = debut + dt.timedelta(hours=2)
    seance = Seance.objects.create(cellule=situation.cellule, debut=debut, fin=fin)
    autre = Seance.objects.create(cellule=f_composition.cellule("21231"), debut=debut, fin=fin)
    client = client_pour(coord)
    liee = client.post(
        _url(situation), _corps(situation, seance=str(seance.pk)), format="json", **MOTIF
    )
    assert liee.status_code == 201 and liee.json()["seance"] == str(seance.pk)
    refus = client.post(
        _url(situation), _corps(situation, seance=str(autre.pk)), format="json", **MOTIF
    )
    assert refus.status_code == 400 and "seance" in refus.json()["champs"]


def test_own_overdue_notices_only_without_personal_data(coord: Any, situation: Any) -> None:
    c = canari()
    cas = f_dossiers.situation(situation.cellule, f_dossiers.personne(c))
    orientation = f.orientation(cas, echeance=timezone.localdate() - dt.timedelta(days=1))
    services.orientations_en_retard_notifier()
    response = client_pour(coord).get("/api/v1/notifications/orientations/")
    assert response.status_code == 200
    assert [n["orientation"] for n in response.json()["results"]] == [str(orientation.pk)]
    assert response.json()["results"][0]["lien"] == f"/api/v1/orientations/{orientation.pk}/"
    assert scanner(response.content, [c]) == []
    autre = client_pour(f_composition.agent(Role.COORDONNATEUR, communes=("21166",)))
    assert autre.get("/api/v1/notifications/orientations/").json()["count"] == 0


def test_F8_same_key_and_body_on_another_case_is_another_request(
    coord: Any, situation: Any
) -> None:
    autre = f_dossiers.situation(situation.cellule)
    client = client_pour(coord)
    corps = _corps(situation)
    entete = {"HTTP_IDEMPOTENCY_KEY": "orientation-0001", **MOTIF}
    premiere = client.post(_url(situation), corps, format="json", **entete)
    assert premiere.status_code == 201, premiere.content
    rejeu = client.post(_url(situation), corps, format="json", **entete)
    assert rejeu.status_code == 201 and rejeu.json()["id"] == premiere.json()["id"]
    avant = Orientation.objects.count()
    ailleurs = client.post(_url(autre), corps, format="json", **entete)
    assert ailleurs.status_code == 422
    assert ailleurs.json()["code"] == "cle_idempotence_reutilisee"
    assert Orientation.objects.count() == avant
    assert not Orientation.objects.filter(situation=autre).exists()
