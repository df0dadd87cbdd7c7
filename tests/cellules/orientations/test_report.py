"""Unfinished orientations carried to the next meeting's agenda, with their reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from cellules.dossiers.enums import StatutSituation
from cellules.orientations.enums import StatutOrientation
from cellules.orientations.report import orientations_reporter
from cellules.seances.enums import MotifInscription
from cellules.seances.models import Seance
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.orientations import factories as f
from tests.cellules.seances import factories as f_seances

pytestmark = pytest.mark.django_db


def _seance(monde: Any) -> Seance:
    debut = f_seances.dans(10)
    return Seance.objects.create(
        cellule=monde.cellule, debut=debut, fin=debut + dt.timedelta(hours=2), creee_par=monde.coord
    )


def test_cases_with_unfinished_orientations_go_on_the_agenda_once() -> None:
    monde = f_seances.monde(statut=StatutSituation.SUIVIE)
    en_retard = f_dossiers.situation(monde.cellule, statut=StatutSituation.SUIVIE)
    close = f_dossiers.situation(monde.cellule, statut=StatutSituation.SUIVIE)
    cloturee = f_dossiers.situation(monde.cellule, statut=StatutSituation.CLOTUREE)
    f.orientation(monde.situation, statut=StatutOrientation.EN_COURS)
    f.orientation(en_retard, echeance=timezone.localdate() - dt.timedelta(days=2))
    f.orientation(en_retard)
    f.orientation(close, statut=StatutOrientation.REALISEE)
    f.orientation(cloturee)
    seance = _seance(monde)
    points = orientations_reporter(seance=seance, acteur=monde.coord)
    assert {(p.situation_id, p.motif) for p in points} == {
        (monde.situation.pk, MotifInscription.ORIENTATION_NON_TERMINEE),
        (en_retard.pk, MotifInscription.ECHEANCE_DEPASSEE),
    }
    assert orientations_reporter(seance=seance, acteur=monde.coord) == []
    assert seance.points.count() == 2
