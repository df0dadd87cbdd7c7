"""The responsible organisation's members follow their own orientations (issue 11).

A member of the cell whose organisation is responsible for an orientation reads it and records
its progress and outcome; the deadline and the responsible partner stay the decision-makers'.
Every refusal says why.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from acces.enums import Role, TypeOrganisation
from audit.enums import ActionAcces, Raison
from audit.models import EvenementAcces
from cellules.composition.models import MembreCellule
from cellules.dossiers import services as services_dossiers
from cellules.orientations.enums import StatutOrientation, TypeOrientation
from cellules.orientations.models import Orientation
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.orientations import factories as f
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json, db_snapshot

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "suivi_orientation"}
TRACES = ["audit_evenementacces", "audit_tetechaine", "acces_jetonapi"]


@pytest.fixture
def coord() -> Any:
    return f_composition.agent(Role.COORDONNATEUR, communes=("21231",))


@pytest.fixture
def cellule(coord: Any) -> Any:
    return f_composition.cellule("21231", coordonnateurs=(coord,))


@pytest.fixture
def pjj(cellule: Any) -> MembreCellule:
    """An educator of the PJJ, active member of the cell."""
    return f_composition.membre(cellule, TypeOrganisation.PJJ)


@pytest.fixture
def orientation(cellule: Any, coord: Any, pjj: MembreCellule) -> Orientation:
    """An educational orientation of a case of the cell, entrusted to the PJJ."""
    situation = f_dossiers.situation(cellule)
    return f.orientation(situation, decideur=coord, organisation=pjj.organisation)


def _url(orientation: Orientation) -> str:
    return f"/api/v1/orientations/{orientation.pk}/"


def _etag(client: Any, orientation: Orientation) -> str:
    response = client.get(_url(orientation), **MOTIF)
    assert response.status_code == 200, response.content
    return str(response["ETag"])


def test_partner_records_progress_then_outcome_of_its_orientation(
    orientation: Orientation, pjj: MembreCellule
) -> None:
    client = client_pour(pjj.utilisateur)
    lecture = client.get(_url(orientation), **MOTIF)
    assert lecture.status_code == 200, lecture.content
    evenement = EvenementAcces.objects.get(request_id=lecture["X-Request-ID"])
    assert (evenement.objet_id, evenement.action) == (str(orientation.pk), ActionAcces.CONSULTATION)

    commencee = client.patch(
        _url(orientation),
        {"statut": "en_cours"},
        format="json",
        HTTP_IF_MATCH=lecture["ETag"],
        **MOTIF,
    )
    assert commencee.status_code == 200, commencee.content
    assert commencee.json()["statut"] == StatutOrientation.EN_COURS
    close = client.patch(
        _url(orientation),
        {"statut": "realisee", "resultat": "objectif_atteint"},
        format="json",
        HTTP_IF_MATCH=commencee["ETag"],
        **MOTIF,
    )
    assert close.status_code == 200, close.content
    orientation.refresh_from_db()
    assert (orientation.statut, orientation.resultat, orientation.version) == (
        StatutOrientation.REALISEE,
        "objectif_atteint",
        3,
    )
    assert orientation.cloturee_le == timezone.localdate()
    # The change log names the partner as the actor, the content masked.
    entree = LogEntry.objects.get_for_object(orientation).order_by("-timestamp").first()
    assert entree is not None and entree.actor_id == pjj.utilisateur_id
    assert entree.changes["statut"] == ["[masqué]", "[masqué]"]
    # He still does not browse the case itself.
    situation = client.get(f"/api/v1/situations/{orientation.situation_id}/", **MOTIF)
    assert situation.status_code == 404


def test_B5_deadline_and_partner_stay_the_decision_makers(
    orientation: Orientation, pjj: MembreCellule
) -> None:
    client = client_pour(pjj.utilisateur)
    etag = _etag(client, orientation)
    avant = db_snapshot(exclure=TRACES)
    for corps, champ in (
        ({"echeance": (timezone.localdate() + dt.timedelta(days=90)).isoformat()}, "echeance"),
        ({"statut": "en_cours", "organisation": str(orientation.mesure_id)}, "organisation"),
    ):
        response = client.patch(
            _url(orientation), corps, format="json", HTTP_IF_MATCH=etag, **MOTIF
        )
        erreur = assert_erreur_json(response, 403, "champ_reserve")
        assert list(erreur["champs"]) == [champ]
        assert "avancement et le résultat" in erreur["message"]
    assert db_snapshot(exclure=TRACES) == avant


def test_a_reader_of_another_organisation_is_told_why(
    orientation: Orientation, cellule: Any, coord: Any
) -> None:
    # A member of the Éducation nationale reads the case by an explicit grant.
    autre = f_composition.membre(cellule, TypeOrganisation.EDUCATION_NATIONALE)
    services_dossiers.acces_accorder(
        situation=orientation.situation,
        utilisateur=autre.utilisateur,
        jusqu_au=timezone.now() + dt.timedelta(days=1),
        acteur=coord,
    )
    client = client_pour(autre.utilisateur)
    etag = _etag(client, orientation)
    avant = db_snapshot(exclure=TRACES)
    response = client.patch(
        _url(orientation), {"statut": "en_cours"}, format="json", HTTP_IF_MATCH=etag, **MOTIF
    )
    erreur = assert_erreur_json(response, 403, "orientation_non_confiee")
    assert "organisation responsable" in erreur["message"]
    assert db_snapshot(exclure=TRACES) == avant
    refus = EvenementAcces.objects.get(request_id=response["X-Request-ID"])
    assert (refus.action, refus.raison) == (ActionAcces.REFUS, Raison.ROLE_INSUFFISANT)


def test_judicial_orientation_stays_the_delegue(
    cellule: Any, coord: Any, pjj: MembreCellule
) -> None:
    judiciaire = f.orientation(
        f_dossiers.situation(cellule),
        decideur=coord,
        organisation=pjj.organisation,
        type=TypeOrientation.JUDICIAIRE,
        code_mesure="stage_citoyennete",
    )
    client = client_pour(pjj.utilisateur)
    etag = _etag(client, judiciaire)
    response = client.patch(
        _url(judiciaire), {"statut": "en_cours"}, format="json", HTTP_IF_MATCH=etag, **MOTIF
    )
    erreur = assert_erreur_json(response, 403, "orientation_judiciaire")
    assert "délégué du procureur" in erreur["message"]
    judiciaire.refresh_from_db()
    assert judiciaire.statut == StatutOrientation.A_FAIRE


def test_only_active_members_of_the_cell_for_that_organisation(
    orientation: Orientation, pjj: MembreCellule
) -> None:
    # A colleague of the same organisation who does not sit in the cell sees nothing.
    collegue = f_composition.agent(Role.MEMBRE_CELLULE, type_organisation=TypeOrganisation.PJJ)
    collegue.organisation = pjj.organisation
    collegue.save(update_fields=["organisation"])
    assert_erreur_json(client_pour(collegue).get(_url(orientation), **MOTIF), 404)
    # Withdrawn from the cell: lost at the next request.
    client = client_pour(pjj.utilisateur)
    etag = _etag(client, orientation)
    pjj.actif = False
    pjj.save(update_fields=["actif"])
    response = client.patch(
        _url(orientation), {"statut": "en_cours"}, format="json", HTTP_IF_MATCH=etag, **MOTIF
    )
    assert_erreur_json(response, 404)
    orientation.refresh_from_db()
    assert orientation.statut == StatutOrientation.A_FAIRE


def test_partner_still_needs_if_match_and_a_current_version(
    orientation: Orientation, pjj: MembreCellule
) -> None:
    client = client_pour(pjj.utilisateur)
    assert_erreur_json(
        client.patch(_url(orientation), {"statut": "en_cours"}, format="json", **MOTIF), 428
    )
    perime = f'"{orientation.pk}.0"'
    assert_erreur_json(
        client.patch(
            _url(orientation),
            {"statut": "en_cours"},
            format="json",
            HTTP_IF_MATCH=perime,
            **MOTIF,
        ),
        412,
    )
    etag = _etag(client, orientation)
    sans_resultat = client.patch(
        _url(orientation), {"statut": "abandonnee"}, format="json", HTTP_IF_MATCH=etag, **MOTIF
    )
    assert "resultat" in assert_erreur_json(sans_resultat, 400)["champs"]
