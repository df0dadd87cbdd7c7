"""Issue 11: a decision names who does what by when (a partner of the cell and a deadline), or
is the orientation itself; overdue ones come back at the next meeting; the responsible
organisation's members or the coordinator mark them done."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
import time_machine
from auditlog.models import LogEntry
from django.utils import timezone

from acces.enums import Role, TypeOrganisation
from acces.models import Organisation
from cellules.composition.models import MembreCellule
from cellules.seances import droits, services
from cellules.seances.enums import TypeDecision
from cellules.seances.models import Decision, Seance
from tests.cellules.composition import factories as f_composition
from tests.cellules.composition.factories import membre
from tests.cellules.orientations import factories as f_orientations
from tests.cellules.seances.factories import Monde, dans, monde, seance_passee
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}


@pytest.fixture
def m() -> Monde:
    return monde()


def _tenue(m: Monde) -> Seance:
    seance = seance_passee(m.cellule, m.coord)
    seance.points.create(situation=m.situation, rang=1, motif="point_d_etape")
    seance.convocations.create(membre=m.membre)
    droits.synchroniser_seance(seance, m.coord)
    return seance


def _decider(client: Any, seance: Seance, corps: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/seances/{seance.pk}/decisions/",
        json.dumps(corps),
        content_type="application/json",
        **MOTIF,
    )


def _dans_jours(jours: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=jours)).isoformat()


def test_a_decision_names_its_partner_and_its_deadline(m: Monde) -> None:
    seance = _tenue(m)
    client = client_pour(m.coord)
    base = {"situation": str(m.situation.pk), "type": TypeDecision.MAINTIEN_SUIVI}
    sans = assert_erreur_json(_decider(client, seance, base), 400, "donnees_invalides")
    assert sans["champs"] == {
        "organisation": ["L'organisation responsable de la décision est obligatoire."]
    }
    sans_echeance = {**base, "organisation": str(m.membre.organisation_id)}
    corps = assert_erreur_json(_decider(client, seance, sans_echeance), 400)
    assert corps["champs"] == {"echeance": ["L'échéance de la décision est obligatoire."]}
    # An organisation with no member in the cell is no partner of it.
    etrangere = Organisation.objects.create(
        nom="Hors cellule", type=TypeOrganisation.BAILLEUR_SOCIAL
    )
    hors = {**base, "organisation": str(etrangere.pk), "echeance": _dans_jours(30)}
    corps = assert_erreur_json(_decider(client, seance, hors), 400)
    assert corps["champs"] == {
        "organisation": ["Organisation sans membre actif dans cette cellule."]
    }
    passee = {**sans_echeance, "echeance": _dans_jours(-30)}
    assert "echeance" in assert_erreur_json(_decider(client, seance, passee), 400)["champs"]
    assert not Decision.objects.exists()
    bonne = {**sans_echeance, "echeance": _dans_jours(30)}
    reponse = _decider(client, seance, bonne)
    assert reponse.status_code == 201, reponse.content
    assert (reponse.json()["organisation"], reponse.json()["echeance"]) == (
        str(m.membre.organisation_id),
        _dans_jours(30),
    )
    assert reponse.json()["realisee_le"] is None


def test_D8_owner_and_deadline_are_masked_in_the_change_log(m: Monde) -> None:
    seance = _tenue(m)
    decision = services.decision_enregistrer(
        seance=seance,
        situation=m.situation,
        type=TypeDecision.MAINTIEN_SUIVI,
        note=None,
        organisation=m.membre.organisation,
        echeance=timezone.localdate() + dt.timedelta(days=30),
        acteur=m.coord,
    )
    (entree,) = LogEntry.objects.get_for_object(decision)
    changes = entree.changes or {}
    assert {"organisation", "echeance", "type"} <= set(changes)
    texte = json.dumps(changes)
    assert str(m.membre.organisation_id) not in texte
    assert decision.echeance is not None and decision.echeance.isoformat() not in texte


def test_an_orientation_decision_is_the_orientation(m: Monde) -> None:
    seance = _tenue(m)
    partenaire = m.membre.organisation
    orientation = f_orientations.orientation(
        m.situation, decideur=m.coord, organisation=partenaire, seance=seance
    )
    client = client_pour(m.coord)
    base = {"situation": str(m.situation.pk), "type": TypeDecision.ORIENTATION_DECIDEE}
    assert "orientation" in assert_erreur_json(_decider(client, seance, base), 400)["champs"]
    double = {**base, "orientation": str(orientation.pk), "organisation": str(partenaire.pk)}
    assert_erreur_json(_decider(client, seance, double), 400)
    reponse = _decider(client, seance, {**base, "orientation": str(orientation.pk)})
    assert reponse.status_code == 201, reponse.content
    corps = reponse.json()
    assert (corps["orientation"], corps["organisation"], corps["echeance"]) == (
        str(orientation.pk),
        str(partenaire.pk),
        orientation.echeance.isoformat(),
    )
    # It is done when the orientation is closed, not by itself.
    realisation = client.post(f"/api/v1/decisions/{corps['id']}/realisation/", **MOTIF)
    assert_erreur_json(realisation, 409, "decision_orientation")


def _decision(m: Monde, seance: Seance, jours: int = 10) -> Decision:
    return services.decision_enregistrer(
        seance=seance,
        situation=m.situation,
        type=TypeDecision.MAINTIEN_SUIVI,
        note=None,
        organisation=m.membre.organisation,
        echeance=timezone.localdate() + dt.timedelta(days=jours),
        acteur=m.coord,
    )


def _collegue(m: Monde) -> MembreCellule:
    """Another member of the cell, from the same organisation as ``m.membre``."""
    user = f_composition.agent(Role.MEMBRE_CELLULE, type_organisation=TypeOrganisation.PJJ)
    user.organisation = m.membre.organisation
    user.save()
    return MembreCellule.objects.create(
        cellule=m.cellule, utilisateur=user, organisation=m.membre.organisation, fonction="cadre"
    )


def test_the_owner_organisation_marks_it_done_even_after_the_read_window(m: Monde) -> None:
    seance = _tenue(m)
    decision = _decision(m, seance, jours=60)
    collegue = _collegue(m)
    autre = membre(m.cellule, TypeOrganisation.BAILLEUR_SOCIAL)
    seance.convocations.create(membre=autre)
    droits.synchroniser_seance(seance, m.coord)
    chemin = f"/api/v1/decisions/{decision.pk}/realisation/"
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        # A member of another organisation: 404 like a missing decision (window closed).
        assert_erreur_json(client_pour(autre.utilisateur).post(chemin, **MOTIF), 404)
        reponse = client_pour(collegue.utilisateur).post(chemin, **MOTIF)
        assert reponse.status_code == 200, reponse.content
        assert set(reponse.json()) == {"id", "realisee_le"}
        decision.refresh_from_db()
        assert decision.realisee_par_id == collegue.utilisateur_id
        # A second time: unchanged.
        encore = client_pour(m.membre.utilisateur).post(chemin, **MOTIF)
        assert encore.status_code == 200
        assert Decision.objects.get(pk=decision.pk).realisee_par_id == collegue.utilisateur_id
    # Withdrawn from the cell: no longer his to mark.
    collegue.actif = False
    collegue.save()
    second = _decision(m, seance)
    reponse = client_pour(collegue.utilisateur).post(
        f"/api/v1/decisions/{second.pk}/realisation/", **MOTIF
    )
    assert_erreur_json(reponse, 404)


def test_a_reader_who_may_not_mark_it_done_gets_403_and_the_coordinator_may(m: Monde) -> None:
    seance = _tenue(m)
    decision = _decision(m, seance)
    chemin = f"/api/v1/decisions/{decision.pk}/realisation/"
    delegue = f_composition.agent(Role.DELEGUE_PROCUREUR)
    seance_lue = client_pour(delegue).get(f"/api/v1/seances/{seance.pk}/releve/", **MOTIF)
    assert seance_lue.status_code == 200
    assert_erreur_json(client_pour(delegue).post(chemin, **MOTIF), 403)
    assert client_pour(m.coord).post(chemin, **MOTIF).status_code == 200
    assert Decision.objects.get(pk=decision.pk).realisee_par_id == m.coord.pk


def test_overdue_decisions_come_back_at_the_next_meeting(m: Monde) -> None:
    seance = _tenue(m)
    echue = _decision(m, seance, jours=10)
    faite = _decision(m, seance, jours=5)
    services.decision_realiser(decision=faite, acteur=m.coord)
    with time_machine.travel(timezone.now() + dt.timedelta(days=20)):
        suivante = services.seance_planifier(
            cellule=m.cellule, debut=dans(7), fin=dans(7, 16), acteur=m.coord
        )
        client = client_pour(m.coord)
        prevus = client.get(f"/api/v1/seances/{suivante.pk}/reports/", **MOTIF)
        assert prevus.status_code == 200, prevus.content
        assert [
            (r["decision"], r["situation"], r["motif_inscription"])
            for r in prevus.json()["reports"]
        ] == [(str(echue.pk), str(m.situation.pk), "echeance_depassee")]
        reponse = client.post(f"/api/v1/seances/{suivante.pk}/reports/", **MOTIF)
        assert reponse.status_code == 200, reponse.content
        assert [(p["situation"], p["motif"]) for p in reponse.json()["ajoutes"]] == [
            (str(m.situation.pk), "echeance_depassee")
        ]
        # Once done, it no longer comes back.
        services.decision_realiser(decision=echue, acteur=m.coord)
        apres = client.get(f"/api/v1/seances/{suivante.pk}/reports/", **MOTIF).json()
        assert apres["reports"] == []
