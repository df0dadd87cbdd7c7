"""The demo step adds a year of meetings per demo cell and the next one, and nothing more."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from acces import demo as demo_acces
from acces.crypto.champs import dechiffrer
from acces.models import Utilisateur
from cellules.composition.models import Cellule
from cellules.dossiers import demo as demo_cellules
from cellules.dossiers.models import AccesSituation
from cellules.seances import demo, envois
from cellules.seances.enums import NatureEnvoi, StatutSeance
from cellules.seances.models import Convocation, Decision, PointOrdreDuJour, Presence, Seance
from socle.models import OutboxMessage
from tests.cellules.composition.factories import charte_acceptee, commune_de
from tests.matrice.personas import client_pour

pytestmark = pytest.mark.django_db

MOTIF = {"X-Motif": "preparation_seance"}


@pytest.fixture
def demo_chargee(settings: Any) -> None:
    settings.DEBUG = True
    for code in demo_cellules.COMMUNES_QPV:
        commune_de(code)
    demo_acces.charger()
    demo_cellules.charger()
    mail.outbox.clear()
    OutboxMessage.objects.all().delete()
    assert demo.charger() == []


def _comptes() -> tuple[int, ...]:
    modeles = (Seance, PointOrdreDuJour, Convocation, Presence, Decision, AccesSituation)
    return tuple(m.objects.count() for m in modeles)


def test_demo_step_runs_right_after_the_cases() -> None:
    etapes = list(settings.DEMO_ETAPES)
    assert (
        etapes.index("cellules.seances.demo.charger")
        == etapes.index("cellules.dossiers.demo.charger") + 1
    )


@pytest.mark.usefixtures("demo_chargee")
def test_each_demo_cell_has_four_held_meetings_and_the_next_planned() -> None:
    maintenant = timezone.now()
    for cellule in Cellule.objects.all():
        seances = list(cellule.seances.all())
        tenues = [s for s in seances if s.statut == StatutSeance.TENUE]
        planifiees = [s for s in seances if s.statut == StatutSeance.PLANIFIEE]
        assert len(tenues) == demo.PASSEES and len(planifiees) == 1
        assert all(s.debut < maintenant for s in tenues)
        assert planifiees[0].debut > maintenant
        assert min(s.debut for s in tenues) > maintenant - dt.timedelta(days=366)
        for seance in seances:
            assert 3 <= seance.points.count() <= 6
            assert seance.convocations.count() >= 2
        for seance in tenues:
            assert 1 <= seance.decisions.count() <= 3
            assert seance.presences.exists()
            assert all(dechiffrer(d, "note") is None for d in seance.decisions.all())
        assert not planifiees[0].decisions.exists() and not planifiees[0].presences.exists()


@pytest.mark.usefixtures("demo_chargee")
def test_demo_meetings_send_nothing_and_run_twice_adds_nothing() -> None:
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()
    avant = _comptes()
    assert demo.charger() == []
    assert _comptes() == avant


@pytest.mark.usefixtures("demo_chargee")
def test_grants_are_given_for_the_next_meeting_only() -> None:
    prochaines = Seance.objects.filter(statut=StatutSeance.PLANIFIEE)
    sur_l_ordre_du_jour = set(
        PointOrdreDuJour.objects.filter(seance__in=prochaines).values_list("situation", flat=True)
    )
    acces = AccesSituation.objects.all()
    assert acces.exists()
    assert {a.content_object_id for a in acces} <= sur_l_ordre_du_jour
    assert all(a.expire_le is not None and a.expire_le > timezone.now() for a in acces)


@pytest.mark.usefixtures("demo_chargee")
def test_membre_pjj_reads_the_cases_of_the_next_meeting() -> None:
    membre = Utilisateur.objects.get(username="membre.pjj")
    charte_acceptee(membre)
    attendues = {str(a.content_object_id) for a in AccesSituation.objects.filter(user=membre)}
    response = client_pour(membre).get("/api/v1/situations/", headers=MOTIF)
    assert response.status_code == 200
    corps = response.json()
    lignes = corps["results"] if isinstance(corps, dict) else corps
    assert lignes
    assert {ligne["id"] for ligne in lignes} <= attendues


@pytest.mark.usefixtures("demo_chargee")
def test_demo_accounts_have_synthetic_addresses_and_convocations_reach_them() -> None:
    noms = [compte.username for compte in demo_acces.COMPTES]
    comptes = Utilisateur.objects.filter(username__in=noms)
    assert comptes.count() == len(noms)
    assert all(u.email == f"{u.username}@demo.invalid" for u in comptes)
    assert {c["email"] for c in demo_acces.charger()} == {f"{n}@demo.invalid" for n in noms}
    convocation = Convocation.objects.get(
        seance__statut=StatutSeance.PLANIFIEE,
        seance__cellule__commune_id="21231",
        membre__utilisateur__username="membre.pjj",
    )
    assert (convocation.nature_envoi, convocation.etat_envoi) == ("convocation", "envoye")
    assert envois.programmer(convocation, NatureEnvoi.RAPPEL) is True
    assert envois.envoyer(str(convocation.pk), NatureEnvoi.RAPPEL) == 1
    (message,) = mail.outbox
    assert message.to == ["membre.pjj@demo.invalid"]
    convocation.refresh_from_db()
    assert (convocation.nature_envoi, convocation.etat_envoi) == ("rappel", "envoye")
