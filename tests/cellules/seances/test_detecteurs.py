"""D11: a cell member reading a case that is on none of his agendas raises an alert."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from acces.enums import Role
from audit import anomalies
from audit.enums import ActionAcces, Raison
from audit.models import EvenementAcces
from cellules.dossiers import services
from cellules.seances.detecteurs import lectures_hors_ordre_du_jour
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.seances.factories import monde, seance_passee
from tests.matrice.personas import client_pour

pytestmark = pytest.mark.django_db

MOTIF: Any = {"HTTP_X_MOTIF": "preparation_seance"}


def test_D11_read_off_the_agenda_is_counted_and_alerted() -> None:
    m = monde()
    seance = seance_passee(m.cellule, m.coord)
    seance.points.create(situation=m.situation, rang=1, motif="point_d_etape")
    seance.convocations.create(membre=m.membre)
    hors_ordre = f_dossiers.situation(m.cellule)
    lecteur = m.membre.utilisateur
    for situation in (m.situation, hors_ordre):
        services.acces_accorder(
            situation=situation,
            utilisateur=lecteur,
            jusqu_au=timezone.now() + dt.timedelta(days=1),
            acteur=m.coord,
        )
    client = client_pour(lecteur)
    for situation in (m.situation, hors_ordre):
        assert client.get(f"/api/v1/situations/{situation.pk}/", **MOTIF).status_code == 200
    debut = timezone.now() - dt.timedelta(minutes=5)
    fin = timezone.now() + dt.timedelta(minutes=5)
    assert lectures_hors_ordre_du_jour(debut, fin) == [(lecteur.pk, 1)]
    # The coordinator reads by his cell, with no agenda needed: never counted.
    assert (
        client_pour(m.coord).get(f"/api/v1/situations/{hors_ordre.pk}/", **MOTIF).status_code == 200
    )
    assert lectures_hors_ordre_du_jour(debut, fin) == [(lecteur.pk, 1)]
    heure = timezone.now().astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    anomalies.detecter(heure + dt.timedelta(hours=1))
    alerte = EvenementAcces.objects.get(action=ActionAcces.ALERTE, raison=Raison.HORS_ORDRE_DU_JOUR)
    assert alerte.utilisateur_id == lecteur.pk


def test_D11_no_alert_when_every_read_is_on_an_agenda() -> None:
    m = monde()
    seance = seance_passee(m.cellule, m.coord)
    seance.points.create(situation=m.situation, rang=1, motif="point_d_etape")
    seance.convocations.create(membre=m.membre)
    services.acces_accorder(
        situation=m.situation,
        utilisateur=m.membre.utilisateur,
        jusqu_au=timezone.now() + dt.timedelta(days=1),
        acteur=m.coord,
    )
    reponse = client_pour(m.membre.utilisateur).get(
        f"/api/v1/situations/{m.situation.pk}/", **MOTIF
    )
    assert reponse.status_code == 200
    maintenant = timezone.now()
    periode = (maintenant - dt.timedelta(minutes=5), maintenant + dt.timedelta(minutes=5))
    assert lectures_hors_ordre_du_jour(*periode) == []
    assert (
        Role.MEMBRE_CELLULE in EvenementAcces.objects.get(request_id=reponse["X-Request-ID"]).roles
    )
