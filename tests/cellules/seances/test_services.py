"""Meeting services: scheduling, conflicts, periodicity, agenda, grants from convocation to
expiry, rescheduling, cancellation, reminders and decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from acces.crypto.champs import dechiffrer
from cellules.dossiers import selectors
from cellules.dossiers.enums import StatutSituation
from cellules.dossiers.models import AccesSituation
from cellules.seances import services
from cellules.seances.enums import NatureEnvoi, Periodicite, StatutSeance, TypeDecision
from cellules.seances.models import Convocation, Seance
from socle.errors import ApiError
from socle.models import OutboxMessage
from tests.cellules.composition import factories as f_composition
from tests.cellules.composition.factories import membre
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.seances.factories import Monde, dans, monde, seance_passee

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fenetre_large(settings: Any) -> None:
    """These tests are about grant rows and their origin: the read window opens well before
    their meetings (its lower bound is tested in test_fenetre_lecture, issue 9 item 7)."""
    settings.CELLULES_ACCES_AVANT_SEANCE_JOURS = 400


@pytest.fixture
def m() -> Monde:
    return monde()


def _planifier(m: Monde, jours: float = 10, heures: int = 2) -> Seance:
    debut = dans(jours)
    return services.seance_planifier(
        cellule=m.cellule, debut=debut, fin=debut + dt.timedelta(hours=heures), acteur=m.coord
    )


def _erreur(code: int, fonction: Any, **kwargs: Any) -> ApiError:
    with pytest.raises(ApiError) as erreur:
        fonction(**kwargs)
    assert erreur.value.status_code == code, erreur.value.code
    return erreur.value


def _envois(nature: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(tache=services.TACHE_ENVOI, arguments__nature=nature))


def test_schedule_then_overlap_is_refused_with_409(m: Monde) -> None:
    seance = _planifier(m)
    assert (seance.statut, seance.sequence, seance.version) == (StatutSeance.PLANIFIEE, 0, 1)
    debut = seance.debut + dt.timedelta(hours=1)
    erreur = _erreur(
        409,
        services.seance_planifier,
        cellule=m.cellule,
        debut=debut,
        fin=debut + dt.timedelta(hours=2),
        acteur=m.coord,
    )
    assert erreur.code == "conflit_seance"
    # Back to back is not a conflict; another cell is never one.
    apres = services.seance_planifier(
        cellule=m.cellule, debut=seance.fin, fin=seance.fin + dt.timedelta(hours=1), acteur=m.coord
    )
    assert apres.pk != seance.pk
    autre = monde()
    services.seance_planifier(
        cellule=autre.cellule, debut=seance.debut, fin=seance.fin, acteur=autre.coord
    )


def test_cancelled_meeting_frees_its_slot(m: Monde) -> None:
    seance = _planifier(m)
    services.seance_annuler(seance=seance, acteur=m.coord)
    nouvelle = services.seance_planifier(
        cellule=m.cellule, debut=seance.debut, fin=seance.fin, acteur=m.coord
    )
    assert nouvelle.statut == StatutSeance.PLANIFIEE


def test_only_the_cells_coordinator_schedules(m: Monde) -> None:
    from acces.enums import Role

    debut = dans(5)
    for intrus in (
        f_composition.agent(Role.COORDONNATEUR, communes=("21231",)),
        m.membre.utilisateur,
    ):
        _erreur(
            404,
            services.seance_planifier,
            cellule=m.cellule,
            debut=debut,
            fin=debut + dt.timedelta(hours=1),
            acteur=intrus,
        )
    assert not Seance.objects.exists()


def test_past_or_inverted_times_are_refused(m: Monde) -> None:
    passe = timezone.now() - dt.timedelta(days=1)
    _erreur(
        400,
        services.seance_planifier,
        cellule=m.cellule,
        debut=passe,
        fin=passe + dt.timedelta(hours=1),
        acteur=m.coord,
    )
    debut = dans(3)
    erreur = _erreur(
        400, services.seance_planifier, cellule=m.cellule, debut=debut, fin=debut, acteur=m.coord
    )
    assert "fin" in erreur.champs


def test_quarterly_series_keeps_the_local_hour_and_clamps_month_ends() -> None:
    premiere = timezone.make_aware(dt.datetime(2027, 1, 31, 14, 0))
    dates = services.dates_periodiques(premiere, Periodicite.TRIMESTRIELLE, 4)
    locales = [timezone.localtime(d) for d in dates]
    assert [(d.month, d.day, d.hour) for d in locales] == [
        (1, 31, 14),
        (4, 30, 14),
        (7, 31, 14),
        (10, 31, 14),
    ]


def test_periodic_scheduling_creates_the_series_or_nothing(m: Monde) -> None:
    premiere = dans(7)
    seances = services.seances_planifier_periodiques(
        cellule=m.cellule,
        premiere=premiere,
        periodicite=Periodicite.TRIMESTRIELLE,
        nombre=4,
        acteur=m.coord,
    )
    assert len(seances) == 4 == Seance.objects.filter(cellule=m.cellule).count()
    # A second series colliding with the third meeting is refused as a whole.
    _erreur(
        409,
        services.seances_planifier_periodiques,
        cellule=m.cellule,
        premiere=seances[2].debut - dt.timedelta(weeks=2),
        periodicite=Periodicite.HEBDOMADAIRE,
        nombre=3,
        acteur=m.coord,
    )
    assert Seance.objects.filter(cellule=m.cellule).count() == 4


def test_agenda_item_moves_a_reported_case_to_inscrite(m: Monde) -> None:
    seance = _planifier(m)
    point = services.ordre_du_jour_ajouter(
        seance=seance, situation=m.situation, motif="nouvelle_situation", acteur=m.coord
    )
    assert point.rang == 1
    m.situation.refresh_from_db()
    assert m.situation.statut == StatutSituation.INSCRITE_ORDRE_DU_JOUR
    _erreur(
        409,
        services.ordre_du_jour_ajouter,
        seance=seance,
        situation=m.situation,
        motif="point_d_etape",
        acteur=m.coord,
    )
    ailleurs = f_dossiers.situation(f_composition.cellule("21231"))
    _erreur(
        400,
        services.ordre_du_jour_ajouter,
        seance=seance,
        situation=ailleurs,
        motif="point_d_etape",
        acteur=m.coord,
    )


def _convoquer(m: Monde, seance: Seance) -> Convocation:
    services.ordre_du_jour_ajouter(
        seance=seance, situation=m.situation, motif="nouvelle_situation", acteur=m.coord
    )
    (convocation,) = services.convocations_envoyer(
        seance=seance, membres=[m.membre], acteur=m.coord
    )
    return convocation


def _lisible_par_membre(m: Monde) -> bool:
    return selectors.situations_visibles(m.membre.utilisateur).filter(pk=m.situation.pk).exists()


def test_convocation_grants_read_access_until_days_after_the_meeting(m: Monde) -> None:
    assert not _lisible_par_membre(m)
    seance = _planifier(m)
    convocation = _convoquer(m, seance)
    acces = AccesSituation.objects.get(user=m.membre.utilisateur, content_object=m.situation)
    assert acces.expire_le == seance.fin + dt.timedelta(days=7)
    assert _lisible_par_membre(m)
    (message,) = _envois(NatureEnvoi.CONVOCATION)
    assert message.arguments == {"convocation_id": str(convocation.pk), "nature": "convocation"}
    with time_machine.travel(seance.fin + dt.timedelta(days=6, hours=23), tick=False):
        assert _lisible_par_membre(m)
    with time_machine.travel(seance.fin + dt.timedelta(days=7, seconds=1), tick=False):
        assert not _lisible_par_membre(m)


def test_agenda_item_added_after_convocation_is_granted_too(m: Monde) -> None:
    seance = _planifier(m)
    services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    assert not _lisible_par_membre(m)
    services.ordre_du_jour_ajouter(
        seance=seance, situation=m.situation, motif="point_d_etape", acteur=m.coord
    )
    assert _lisible_par_membre(m)


def test_convening_twice_sends_one_email(m: Monde) -> None:
    seance = _planifier(m)
    for _ in range(2):
        services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    assert Convocation.objects.filter(seance=seance).count() == 1
    assert len(_envois(NatureEnvoi.CONVOCATION)) == 1


def test_member_of_another_cell_cannot_be_convened(m: Monde) -> None:
    seance = _planifier(m)
    etranger = membre(f_composition.cellule("21231"))
    _erreur(400, services.convocations_envoyer, seance=seance, membres=[etranger], acteur=m.coord)
    assert not Convocation.objects.exists()


def test_cancellation_withdraws_grants_and_sends_cancel_notices(m: Monde) -> None:
    seance = _planifier(m)
    _convoquer(m, seance)
    annulee = services.seance_annuler(seance=seance, acteur=m.coord)
    assert (annulee.statut, annulee.sequence) == (StatutSeance.ANNULEE, 1)
    assert not AccesSituation.objects.filter(user=m.membre.utilisateur).exists()
    assert not _lisible_par_membre(m)
    assert len(_envois(NatureEnvoi.ANNULATION)) == 1
    _erreur(409, services.seance_annuler, seance=seance, acteur=m.coord)


def test_cancellation_keeps_the_grant_of_another_meeting(m: Monde) -> None:
    premiere, seconde = _planifier(m, 10), _planifier(m, 40)
    _convoquer(m, premiere)
    services.ordre_du_jour_ajouter(
        seance=seconde, situation=m.situation, motif="point_d_etape", acteur=m.coord
    )
    services.convocations_envoyer(seance=seconde, membres=[m.membre], acteur=m.coord)
    services.seance_annuler(seance=seconde, acteur=m.coord)
    acces = AccesSituation.objects.get(user=m.membre.utilisateur)
    assert acces.expire_le == premiere.fin + dt.timedelta(days=7)


def test_hand_given_permanent_grant_survives_cancellation(m: Monde) -> None:
    from cellules.dossiers.services import acces_accorder

    seance = _planifier(m)
    _convoquer(m, seance)
    acces_accorder(
        situation=m.situation, utilisateur=m.membre.utilisateur, jusqu_au=None, acteur=m.coord
    )
    services.seance_annuler(seance=seance, acteur=m.coord)
    assert _lisible_par_membre(m)


def test_rescheduling_bumps_sequence_moves_grant_and_notifies(m: Monde) -> None:
    seance = _planifier(m)
    _convoquer(m, seance)
    nouveau = seance.debut + dt.timedelta(days=3)
    seance.refresh_from_db()  # convening changed the meeting's version
    apres = services.seance_modifier(
        seance=seance,
        version=seance.version,
        debut=nouveau,
        fin=nouveau + dt.timedelta(hours=2),
        acteur=m.coord,
    )
    assert (apres.sequence, apres.version) == (1, seance.version + 1)
    acces = AccesSituation.objects.get(user=m.membre.utilisateur)
    assert acces.expire_le == apres.fin + dt.timedelta(days=7)
    assert len(_envois(NatureEnvoi.MODIFICATION)) == 1
    erreur = _erreur(
        412,
        services.seance_modifier,
        seance=seance,
        version=1,
        lieu="salle_municipale",
        acteur=m.coord,
    )
    assert erreur.code == "version_perimee"


def test_reminders_are_enqueued_once(m: Monde) -> None:
    proche, lointaine = _planifier(m, 1), _planifier(m, 20)
    for seance in (proche, lointaine):
        services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    assert services.rappels_programmer() == 1
    assert services.rappels_programmer() == 0
    (rappel,) = _envois(NatureEnvoi.RAPPEL)
    assert Convocation.objects.get(pk=rappel.arguments["convocation_id"]).seance_id == proche.pk


def test_decision_needs_a_started_meeting_and_marks_it_held(m: Monde) -> None:
    futur = _planifier(m)
    services.ordre_du_jour_ajouter(
        seance=futur, situation=m.situation, motif="nouvelle_situation", acteur=m.coord
    )
    erreur = _erreur(
        409,
        services.decision_enregistrer,
        seance=futur,
        situation=m.situation,
        type=TypeDecision.MAINTIEN_SUIVI,
        note=None,
        acteur=m.coord,
    )
    assert erreur.code == "seance_a_venir"
    seance = seance_passee(m.cellule, m.coord)
    seance.points.create(situation=m.situation, rang=1, motif="point_d_etape")
    decision = services.decision_enregistrer(
        seance=seance,
        situation=m.situation,
        type=TypeDecision.MAINTIEN_SUIVI,
        note="Orientation vers la mission locale.",
        organisation=m.membre.organisation,
        echeance=timezone.localdate() + dt.timedelta(days=30),
        acteur=m.coord,
    )
    assert dechiffrer(decision, "note") == "Orientation vers la mission locale."
    assert b"mission" not in bytes(decision.note)
    seance.refresh_from_db()
    assert seance.statut == StatutSeance.TENUE
    _erreur(
        400,
        services.decision_enregistrer,
        seance=seance,
        situation=m.situation,
        type=TypeDecision.MAINTIEN_SUIVI,
        note="x" * 301,
        organisation=m.membre.organisation,
        echeance=timezone.localdate() + dt.timedelta(days=30),
        acteur=m.coord,
    )


def test_attendance_is_by_institution_of_the_cell(m: Monde) -> None:
    seance = _planifier(m)
    assert m.membre.organisation is not None
    presence = services.presence_enregistrer(
        seance=seance, organisation=m.membre.organisation, present=True, acteur=m.coord
    )
    assert presence.present
    presence = services.presence_enregistrer(
        seance=seance, organisation=m.membre.organisation, present=False, acteur=m.coord
    )
    assert seance.presences.get().present is False
    autre = membre(f_composition.cellule("21231"))
    assert autre.organisation is not None
    _erreur(
        400,
        services.presence_enregistrer,
        seance=seance,
        organisation=autre.organisation,
        present=True,
        acteur=m.coord,
    )
