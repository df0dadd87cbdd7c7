"""Carry-over of unfinished orientations to the agenda of a meeting (``cellules.seances``)."""

from __future__ import annotations

import uuid

from django.db import transaction

from acces.models import Utilisateur
from cellules.models import PointOrdreDuJour, Seance, Situation
from cellules.orientations.enums import MotifReport
from cellules.orientations.services import orientations_a_reporter
from cellules.seances.enums import MotifInscription
from cellules.seances.services import ordre_du_jour_ajouter


def _motifs(seance: Seance) -> dict[uuid.UUID, str]:
    """One agenda reason per case: an overdue orientation outweighs an unfinished one."""
    motifs: dict[uuid.UUID, str] = {}
    for report in orientations_a_reporter(seance.cellule):
        if report.motif == MotifReport.ECHEANCE_DEPASSEE:
            motifs[report.situation_id] = MotifInscription.ECHEANCE_DEPASSEE
        else:
            motifs.setdefault(report.situation_id, MotifInscription.ORIENTATION_NON_TERMINEE)
    return motifs


@transaction.atomic
def orientations_reporter(*, seance: Seance, acteur: Utilisateur) -> list[PointOrdreDuJour]:
    """Put on ``seance``'s agenda each case with an unfinished orientation, with its reason.

    Cases already on the agenda are left as they are; the agenda service checks that the actor
    runs the cell and that the meeting is still planned.
    """
    deja = set(seance.points.values_list("situation_id", flat=True))
    points: list[PointOrdreDuJour] = []
    for situation_id, motif in sorted(_motifs(seance).items(), key=lambda item: str(item[0])):
        if situation_id in deja:
            continue
        situation = Situation.objects.get(pk=situation_id)
        points.append(
            ordre_du_jour_ajouter(seance=seance, situation=situation, motif=motif, acteur=acteur)
        )
    return points
