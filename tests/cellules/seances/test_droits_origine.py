"""Meeting grants (``lire_situation_seance``, with their meeting) versus hand grants
(``view_situation``): meeting changes touch only the former, and a member withdrawn, deactivated
or excluded loses meeting access at once while other users' hand grants stay."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from auditlog.models import LogEntry
from django.utils import timezone

from acces import services as services_acces
from acces.enums import MotifExclusion, Role
from acces.models import Utilisateur
from cellules.composition.models import MembreCellule
from cellules.composition.services import membre_ajouter, membre_retirer
from cellules.dossiers import selectors
from cellules.dossiers.models import AccesSituation
from cellules.dossiers.politiques import CODENAME_LECTURE, CODENAME_SEANCE
from cellules.dossiers.services import acces_accorder
from cellules.seances import droits, services
from cellules.seances.models import Seance
from tests.cellules.composition import factories as f_composition
from tests.cellules.composition.factories import membre
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.seances.factories import Monde, dans, monde
from tests.matrice.personas import client_pour

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fenetre_large(settings: Any) -> None:
    """These tests are about grant rows and their origin: the read window opens well before
    their meetings (its lower bound is tested in test_fenetre_lecture, issue 9 item 7)."""
    settings.CELLULES_ACCES_AVANT_SEANCE_JOURS = 400


MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}
SEPT_JOURS = dt.timedelta(days=7)


@pytest.fixture
def m() -> Monde:
    return monde()


def _planifier(m: Monde, jours: float = 10) -> Seance:
    debut = dans(jours)
    return services.seance_planifier(
        cellule=m.cellule, debut=debut, fin=debut + dt.timedelta(hours=2), acteur=m.coord
    )


def _inscrire_et_convoquer(m: Monde, seance: Seance, *membres: MembreCellule) -> None:
    if not seance.points.filter(situation=m.situation).exists():
        services.ordre_du_jour_ajouter(
            seance=seance, situation=m.situation, motif="point_d_etape", acteur=m.coord
        )
    services.convocations_envoyer(
        seance=seance, membres=list(membres or [m.membre]), acteur=m.coord
    )


def _grants(user: Utilisateur, codename: str) -> list[AccesSituation]:
    return list(AccesSituation.objects.filter(user=user, permission__codename=codename))


def _lit(user: Utilisateur, m: Monde) -> bool:
    return selectors.situations_visibles(user).filter(pk=m.situation.pk).exists()


def _detail(user: Utilisateur, m: Monde) -> int:
    response = client_pour(user).get(f"/api/v1/situations/{m.situation.pk}/", **MOTIF)
    return int(response.status_code)


def _main(m: Monde, user: Utilisateur, jusqu_au: dt.datetime | None) -> AccesSituation:
    return acces_accorder(
        situation=m.situation, utilisateur=user, jusqu_au=jusqu_au, acteur=m.coord
    )


# --- origin, permission, change log -------------------------------------------------------------


def test_convocation_writes_a_meeting_grant_with_its_meeting_and_a_change_log_entry(
    m: Monde,
) -> None:
    seance = _planifier(m)
    _inscrire_et_convoquer(m, seance)
    (acces,) = _grants(m.membre.utilisateur, CODENAME_SEANCE)
    assert (acces.seance_id, acces.expire_le, acces.accorde_par_id) == (
        seance.pk,
        seance.fin + SEPT_JOURS,
        m.coord.pk,
    )
    assert _grants(m.membre.utilisateur, CODENAME_LECTURE) == []
    assert LogEntry.objects.get_for_object(acces).filter(action=LogEntry.Action.CREATE).exists()
    assert _lit(m.membre.utilisateur, m)


def test_grant_follows_the_meeting_ending_last_and_each_change_is_logged(m: Monde) -> None:
    premiere, seconde = _planifier(m, 10), _planifier(m, 40)
    _inscrire_et_convoquer(m, premiere)
    _inscrire_et_convoquer(m, seconde)
    (acces,) = _grants(m.membre.utilisateur, CODENAME_SEANCE)
    assert (acces.seance_id, acces.expire_le) == (seconde.pk, seconde.fin + SEPT_JOURS)
    services.seance_annuler(seance=seconde, acteur=m.coord)
    acces.refresh_from_db()
    assert (acces.seance_id, acces.expire_le) == (premiere.pk, premiere.fin + SEPT_JOURS)
    services.seance_annuler(seance=premiere, acteur=m.coord)
    assert _grants(m.membre.utilisateur, CODENAME_SEANCE) == []
    # Created for the first, moved to the second, back to the first, then deleted.
    actions = list(
        LogEntry.objects.filter(object_pk=str(acces.pk))
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        LogEntry.Action.CREATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.UPDATE,
        LogEntry.Action.DELETE,
    ]
    assert not _lit(m.membre.utilisateur, m)


def test_meeting_grant_is_written_even_when_the_actor_could_not_grant_by_hand(m: Monde) -> None:
    """The meeting machinery writes its rows itself (the demo loader has no MODIFIER scope)."""
    seance = Seance.objects.create(
        cellule=m.cellule, debut=dans(5), fin=dans(5) + dt.timedelta(hours=2)
    )
    seance.points.create(situation=m.situation, rang=1, motif="point_d_etape")
    seance.convocations.create(membre=m.membre)
    etranger = f_composition.agent(Role.COORDONNATEUR, communes=("21166",))
    droits.synchroniser_seance(seance, etranger)
    (acces,) = _grants(m.membre.utilisateur, CODENAME_SEANCE)
    assert acces.seance_id == seance.pk


# --- hand grants are never touched by meeting changes ------------------------------------------


@pytest.mark.parametrize("jours_main", [None, 3, 200])
def test_cancellation_withdraws_the_meeting_grant_and_keeps_the_hand_grant(
    m: Monde, jours_main: int | None
) -> None:
    user = m.membre.utilisateur
    seance = _planifier(m)
    echeance_main = None if jours_main is None else timezone.now() + dt.timedelta(days=jours_main)
    main = _main(m, user, echeance_main)
    _inscrire_et_convoquer(m, seance)
    assert len(_grants(user, CODENAME_SEANCE)) == 1
    # Both rows exist; the case is listed once.
    assert selectors.situations_visibles(user).filter(pk=m.situation.pk).count() == 1
    client = client_pour(m.coord)
    response = client.post(f"/api/v1/seances/{seance.pk}/annulation/", **MOTIF)
    assert response.status_code == 200, response.content
    assert _grants(user, CODENAME_SEANCE) == []
    (reste,) = _grants(user, CODENAME_LECTURE)
    assert (reste.pk, reste.expire_le, reste.seance_id) == (main.pk, echeance_main, None)
    assert _detail(user, m) == 200


def test_rescheduling_moves_the_meeting_grant_only(m: Monde) -> None:
    user = m.membre.utilisateur
    seance = _planifier(m)
    courte = timezone.now() + dt.timedelta(days=2)
    _main(m, user, courte)
    _inscrire_et_convoquer(m, seance)
    nouveau = seance.debut + dt.timedelta(days=5)
    seance.refresh_from_db()  # convening changed the meeting's version
    apres = services.seance_modifier(
        seance=seance,
        version=seance.version,
        debut=nouveau,
        fin=nouveau + dt.timedelta(hours=2),
        acteur=m.coord,
    )
    (par_seance,) = _grants(user, CODENAME_SEANCE)
    assert par_seance.expire_le == apres.fin + SEPT_JOURS
    (main,) = _grants(user, CODENAME_LECTURE)
    assert main.expire_le == courte
    # Past the hand grant's expiry the meeting grant still opens the case, and the reverse.
    with time_machine.travel(courte + dt.timedelta(hours=1), tick=False):
        assert _lit(user, m)


def test_agenda_change_and_new_convocation_leave_a_hand_grant_alone(m: Monde) -> None:
    user = m.membre.utilisateur
    main = _main(m, user, None)
    seance = _planifier(m)
    _inscrire_et_convoquer(m, seance)
    autre = f_dossiers.situation(m.cellule)
    services.ordre_du_jour_ajouter(
        seance=seance, situation=autre, motif="fait_nouveau", acteur=m.coord
    )
    main.refresh_from_db()
    assert (main.expire_le, main.seance_id) == (None, None)
    assert {a.content_object_id for a in _grants(user, CODENAME_SEANCE)} == {
        m.situation.pk,
        autre.pk,
    }


def test_hand_grant_withdrawal_does_not_depend_on_meetings(m: Monde) -> None:
    """A hand grant given after the meeting ended still holds, and the meeting never extends
    or shortens it."""
    user = m.membre.utilisateur
    seance = _planifier(m, 1)
    _inscrire_et_convoquer(m, seance)
    main = _main(m, user, timezone.now() + dt.timedelta(days=60))
    with time_machine.travel(seance.fin + SEPT_JOURS + dt.timedelta(days=1), tick=False):
        droits.synchroniser(situation=m.situation, utilisateur=user, acteur=m.coord)
        assert _grants(user, CODENAME_SEANCE) == []
        assert [a.pk for a in _grants(user, CODENAME_LECTURE)] == [main.pk]
        assert _lit(user, m)


# --- every way of leaving a cell or the system stops meeting access at once -------------------


def _convoque_et_temoin(m: Monde) -> Utilisateur:
    """The member convened to a meeting about the case; a witness with a hand grant on it."""
    seance = _planifier(m)
    _inscrire_et_convoquer(m, seance)
    temoin = membre(m.cellule).utilisateur
    _main(m, temoin, None)
    assert _detail(m.membre.utilisateur, m) == 200
    assert _detail(temoin, m) == 200
    return temoin


def test_member_withdrawn_from_the_cell_gets_404_at_once(m: Monde) -> None:
    temoin = _convoque_et_temoin(m)
    membre_retirer(membre=m.membre, acteur=m.coord)
    assert _detail(m.membre.utilisateur, m) == 404
    assert _detail(temoin, m) == 200
    assert len(_grants(temoin, CODENAME_LECTURE)) == 1


def test_member_brought_back_reads_the_cases_of_the_meetings_still_convening_him(
    m: Monde,
) -> None:
    _convoque_et_temoin(m)
    membre_retirer(membre=m.membre, acteur=m.coord)
    assert _grants(m.membre.utilisateur, CODENAME_SEANCE) == []
    membre_ajouter(
        cellule=m.cellule, utilisateur=m.membre.utilisateur, fonction="éducateur", acteur=m.coord
    )
    assert len(_grants(m.membre.utilisateur, CODENAME_SEANCE)) == 1
    assert _detail(m.membre.utilisateur, m) == 200


def test_member_brought_back_after_the_meeting_window_reads_nothing(m: Monde) -> None:
    _convoque_et_temoin(m)
    membre_retirer(membre=m.membre, acteur=m.coord)
    with time_machine.travel(timezone.now() + dt.timedelta(days=30), tick=False):
        membre_ajouter(
            cellule=m.cellule,
            utilisateur=m.membre.utilisateur,
            fonction="éducateur",
            acteur=m.coord,
        )
        assert _grants(m.membre.utilisateur, CODENAME_SEANCE) == []
        assert not _lit(m.membre.utilisateur, m)


def test_membership_turned_inactive_without_deleting_grants_gets_404(m: Monde) -> None:
    """The rule is in the query: a meeting grant left in place no longer opens the case."""
    temoin = _convoque_et_temoin(m)
    MembreCellule.objects.filter(pk=m.membre.pk).update(actif=False)
    assert len(_grants(m.membre.utilisateur, CODENAME_SEANCE)) == 1
    assert _detail(m.membre.utilisateur, m) == 404
    assert not _lit(m.membre.utilisateur, m)
    assert _detail(temoin, m) == 200
    # Back in the cell, the grant (still unexpired) opens the case again.
    MembreCellule.objects.filter(pk=m.membre.pk).update(actif=True)
    assert _detail(m.membre.utilisateur, m) == 200


def test_member_of_another_cell_only_does_not_keep_the_meeting_grant(m: Monde) -> None:
    """Active membership must be of the meeting's own cell."""
    _convoque_et_temoin(m)
    user = m.membre.utilisateur
    assert user.organisation is not None
    MembreCellule.objects.create(
        cellule=f_composition.cellule("21231"),
        utilisateur=user,
        organisation=user.organisation,
        fonction="x",
    )
    MembreCellule.objects.filter(pk=m.membre.pk).update(actif=False)
    assert _detail(user, m) == 404


def _desactiver(m: Monde, user: Utilisateur) -> None:
    admin = f_composition.agent(Role.ADMIN_TECHNIQUE)
    services_acces.utilisateur_desactiver(utilisateur=user, acteur=admin)


def _exclure(m: Monde, user: Utilisateur) -> None:
    services_acces.utilisateur_exclure(
        utilisateur=user, motif=MotifExclusion.MANQUEMENT_CHARTE, acteur=m.coord
    )


@pytest.mark.parametrize("sortie", [_desactiver, _exclure], ids=["desactivation", "exclusion"])
def test_deactivated_or_excluded_member_is_refused_at_once(
    m: Monde, sortie: Callable[[Monde, Utilisateur], None]
) -> None:
    temoin = _convoque_et_temoin(m)
    client = client_pour(m.membre.utilisateur)  # token issued before leaving
    sortie(m, m.membre.utilisateur)
    # The token no longer authenticates (401), and the scope is empty anyway.
    response = client.get(f"/api/v1/situations/{m.situation.pk}/", **MOTIF)
    assert response.status_code == 401
    user = Utilisateur.objects.get(pk=m.membre.utilisateur.pk)
    assert not selectors.situations_visibles(user).exists()
    assert _detail(temoin, m) == 200


def test_member_whose_organisation_is_deactivated_loses_everything(m: Monde) -> None:
    temoin = _convoque_et_temoin(m)
    organisation = m.membre.utilisateur.organisation
    assert organisation is not None
    services_acces.organisation_modifier(
        organisation=organisation, active=False, acteur=f_composition.agent(Role.ADMIN_TECHNIQUE)
    )
    # Its people no longer authenticate, and their scope is empty anyway.
    assert _detail(m.membre.utilisateur, m) == 401
    user = Utilisateur.objects.get(pk=m.membre.utilisateur.pk)
    assert not selectors.situations_visibles(user).exists()
    assert _detail(temoin, m) == 200
