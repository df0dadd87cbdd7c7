"""Issue 9, items 7 and 9: a member reads the cases of a meeting's agenda, the meeting and its
relevé only inside the meeting's read window, and only while an active member of its cell."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from cellules.composition import services as services_cellules
from cellules.seances import droits, services
from cellules.seances.models import Seance
from tests.cellules.seances.factories import Monde, dans, monde
from tests.matrice.personas import client_pour
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}


@pytest.fixture
def m() -> Monde:
    return monde()


def _convoquer(m: Monde, jours: float) -> Seance:
    """A meeting of the cell ``jours`` from now, the case on its agenda, the member convened."""
    seance = services.seance_planifier(
        cellule=m.cellule, debut=dans(jours), fin=dans(jours, 16), acteur=m.coord
    )
    services.ordre_du_jour_ajouter(
        seance=seance, situation=m.situation, motif="nouvelle_situation", acteur=m.coord
    )
    services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    return seance


def _tenue_il_y_a(m: Monde, jours: float) -> Seance:
    """A held meeting that ended ``jours`` ago (built directly: scheduling refuses the past)."""
    fin = timezone.now() - dt.timedelta(days=jours)
    seance = Seance.objects.create(
        cellule=m.cellule, debut=fin - dt.timedelta(hours=2), fin=fin, creee_par=m.coord
    )
    seance.points.create(situation=m.situation, rang=1, motif="point_d_etape")
    seance.convocations.create(membre=m.membre)
    droits.synchroniser_seance(seance, m.coord)
    return seance


def _lit_la_situation(m: Monde) -> int:
    client = client_pour(m.membre.utilisateur)
    code: int = client.get(f"/api/v1/situations/{m.situation.pk}/", **MOTIF).status_code
    liste = client.get("/api/v1/situations/", **MOTIF).json()
    assert liste["count"] == (1 if code == 200 else 0)
    return code


def test_item7_meeting_planned_far_ahead_opens_nothing_yet(m: Monde) -> None:
    """Issue 9, item 7 (reproduction): the grant opened at the convocation, two years ahead."""
    seance = _convoquer(m, 60)
    assert seance.acces.filter(user=m.membre.utilisateur).exists()  # the grant row is ready
    assert _lit_la_situation(m) == 404
    # Same for the meeting itself and its agenda (item 9: the same window).
    client = client_pour(m.membre.utilisateur)
    assert_erreur_json(client.get(f"/api/v1/seances/{seance.pk}/", **MOTIF), 404)


def test_item7_window_opens_a_few_days_before_the_meeting(m: Monde) -> None:
    seance = _convoquer(m, 4)  # default: from midnight, 3 days before the meeting's day
    assert _lit_la_situation(m) == 404
    seance.debut, seance.fin = dans(3), dans(3, 16)
    seance.save(update_fields=["debut", "fin"])
    assert _lit_la_situation(m) == 200


def test_item7_window_is_a_setting(m: Monde) -> None:
    _convoquer(m, 10)
    assert _lit_la_situation(m) == 404
    with override_settings(CELLULES_ACCES_AVANT_SEANCE_JOURS=15):
        assert _lit_la_situation(m) == 200
    with override_settings(CELLULES_ACCES_AVANT_SEANCE_JOURS=0):
        assert _lit_la_situation(m) == 404


def test_item7_a_nearer_meeting_opens_it_even_if_a_later_one_convenes_too(m: Monde) -> None:
    _convoquer(m, 60)
    assert _lit_la_situation(m) == 404
    _convoquer(m, 1)
    assert _lit_la_situation(m) == 200


def test_item7_window_closes_after_the_meeting(m: Monde) -> None:
    _tenue_il_y_a(m, 2)
    assert _lit_la_situation(m) == 200
    with override_settings(CELLULES_ACCES_APRES_SEANCE_JOURS=1):
        assert _lit_la_situation(m) == 404


def test_item9_withdrawn_member_no_longer_reads_the_meeting_or_its_releve(m: Monde) -> None:
    """Issue 9, item 9 (reproduction): a withdrawn member still read the meeting and relevé."""
    seance = _tenue_il_y_a(m, 1)
    client = client_pour(m.membre.utilisateur)
    assert client.get(f"/api/v1/seances/{seance.pk}/", **MOTIF).status_code == 200
    assert client.get(f"/api/v1/seances/{seance.pk}/releve/", **MOTIF).status_code == 200
    services_cellules.membre_retirer(membre=m.membre, acteur=m.coord)
    assert seance.convocations.filter(membre=m.membre, valide=True).exists()
    for chemin in ("", "releve/"):
        assert_erreur_json(client.get(f"/api/v1/seances/{seance.pk}/{chemin}", **MOTIF), 404)
    assert client.get("/api/v1/seances/", **MOTIF).json()["count"] == 0


def test_item9_meeting_and_releve_follow_the_window_of_the_cases(m: Monde) -> None:
    ancienne = _tenue_il_y_a(m, 10)  # closed 3 days ago (7 days after its end)
    lointaine = _convoquer(m, 60)
    proche = _convoquer(m, 2)
    client = client_pour(m.membre.utilisateur)
    for seance, code in ((ancienne, 404), (lointaine, 404), (proche, 200)):
        for chemin in ("", "releve/"):
            response = client.get(f"/api/v1/seances/{seance.pk}/{chemin}", **MOTIF)
            assert response.status_code == code, (seance, chemin)
    liste = client.get("/api/v1/seances/", **MOTIF).json()
    assert [s["id"] for s in liste["results"]] == [str(proche.pk)]
