"""Carry-over of unfinished orientations to the agenda of a meeting (``cellules.seances``)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction

from acces.models import Utilisateur
from cellules.models import PointOrdreDuJour, Seance, Situation
from cellules.orientations.enums import MotifReport
from cellules.orientations.models import Orientation
from cellules.orientations.services import AReporter, orientations_a_reporter
from cellules.seances.enums import MotifInscription
from cellules.seances.services import exiger_planifiee, ordre_du_jour_ajouter, seance_a_ecrire


@dataclass(frozen=True)
class ReportPrevu:
    """One unfinished orientation and what carrying it over does to the meeting's agenda."""

    orientation_id: uuid.UUID
    situation_id: uuid.UUID
    echeance: dt.date
    motif: str
    motif_inscription: str
    deja_inscrite: bool


def _motif_inscription(reports: list[AReporter]) -> dict[uuid.UUID, str]:
    """One agenda reason per case: an overdue orientation outweighs an unfinished one."""
    motifs: dict[uuid.UUID, str] = {}
    for report in reports:
        if report.motif == MotifReport.ECHEANCE_DEPASSEE:
            motifs[report.situation_id] = MotifInscription.ECHEANCE_DEPASSEE
        else:
            motifs.setdefault(report.situation_id, MotifInscription.ORIENTATION_NON_TERMINEE)
    return motifs


def _motifs(seance: Seance) -> dict[uuid.UUID, str]:
    return _motif_inscription(orientations_a_reporter(seance.cellule))


def reports_prevus(seance: Seance) -> list[ReportPrevu]:
    """What ``orientations_reporter`` would carry to ``seance`` (ids, dates, closed lists).

    No scope check here: the caller has checked that its user runs the meeting's cell.
    """
    reports = orientations_a_reporter(seance.cellule)
    motifs = _motif_inscription(reports)
    echeances = dict(
        Orientation.objects.filter(pk__in=[r.orientation_id for r in reports]).values_list(
            "pk", "echeance"
        )
    )
    deja = set(seance.points.values_list("situation_id", flat=True))
    return [
        ReportPrevu(
            orientation_id=r.orientation_id,
            situation_id=r.situation_id,
            echeance=echeances[r.orientation_id],
            motif=r.motif,
            motif_inscription=motifs[r.situation_id],
            deja_inscrite=r.situation_id in deja,
        )
        for r in reports
    ]


@transaction.atomic
def orientations_reporter(*, seance: Seance, acteur: Utilisateur) -> list[PointOrdreDuJour]:
    """Put on ``seance``'s agenda each case with an unfinished orientation, with its reason.

    The actor must run the cell and the meeting must still be planned, even when there is
    nothing to add. The meeting row is locked first, so two concurrent carry-overs add each
    case once; cases already on the agenda are left as they are (a second run adds nothing).
    """
    courante = seance_a_ecrire(seance, acteur)
    exiger_planifiee(courante)
    deja = set(courante.points.values_list("situation_id", flat=True))
    points: list[PointOrdreDuJour] = []
    for situation_id, motif in sorted(_motifs(courante).items(), key=lambda item: str(item[0])):
        if situation_id in deja:
            continue
        situation = Situation.objects.get(pk=situation_id)
        points.append(
            ordre_du_jour_ajouter(seance=courante, situation=situation, motif=motif, acteur=acteur)
        )
    return points
