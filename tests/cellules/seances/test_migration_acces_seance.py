"""Data migration 0007: meeting grants made before 0005 become meeting grants again."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from cellules.dossiers.models import AccesSituation
from cellules.dossiers.politiques import CODENAME_LECTURE, CODENAME_SEANCE
from cellules.dossiers.services import acces_accorder
from cellules.seances import services
from tests.cellules.composition.factories import membre
from tests.cellules.seances.factories import dans, monde

pytestmark = pytest.mark.django_db

migration = importlib.import_module("cellules.migrations.0007_acces_seance_anterieurs")


def test_old_meeting_grant_is_converted_and_a_hand_grant_is_left() -> None:
    m = monde()
    debut = dans(10)
    seance = services.seance_planifier(
        cellule=m.cellule, debut=debut, fin=debut + dt.timedelta(hours=2), acteur=m.coord
    )
    services.ordre_du_jour_ajouter(
        seance=seance, situation=m.situation, motif="point_d_etape", acteur=m.coord
    )
    services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    # As the code before 0005 wrote it: a view_situation row with the meeting's expiry.
    AccesSituation.objects.filter(user=m.membre.utilisateur).delete()
    ancien = acces_accorder(
        situation=m.situation,
        utilisateur=m.membre.utilisateur,
        jusqu_au=seance.fin + dt.timedelta(days=7),
        acteur=m.coord,
    )
    autre = membre(m.cellule).utilisateur
    a_la_main = acces_accorder(
        situation=m.situation, utilisateur=autre, jusqu_au=dans(3), acteur=m.coord
    )
    migration.convertir(apps, None)
    ancien.refresh_from_db()
    a_la_main.refresh_from_db()
    assert (ancien.permission.codename, ancien.seance_id) == (CODENAME_SEANCE, seance.pk)
    assert (a_la_main.permission.codename, a_la_main.seance_id) == (CODENAME_LECTURE, None)
    # Cancelling the meeting now withdraws the converted grant only.
    services.seance_annuler(seance=seance, acteur=m.coord)
    assert not AccesSituation.objects.filter(pk=ancien.pk).exists()
    assert AccesSituation.objects.filter(pk=a_la_main.pk).exists()
    assert Permission.objects.filter(codename=CODENAME_SEANCE).count() == 1
