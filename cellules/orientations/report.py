"""Carry-over of unfinished orientations, and of overdue decisions, to the agenda of a meeting
(``cellules.seances``)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from acces.enums import Action
from acces.models import Utilisateur
from cellules.dossiers.enums import STATUTS_OUVERTS
from cellules.dossiers.models import Situation
from cellules.orientations.enums import MotifReport
from cellules.orientations.models import Orientation
from cellules.orientations.services import AReporter, orientations_a_reporter
from cellules.seances import droits
from cellules.seances.enums import MotifInscription
from cellules.seances.models import PointOrdreDuJour, Seance
from cellules.seances.services import (
    decisions_echues,
    exiger_planifiee,
    ordre_du_jour_ajouter,
    seance_a_ecrire,
)


@dataclass(frozen=True)
class ReportPrevu:
    """One unfinished orientation, or one overdue decision of an earlier meeting, and what
    carrying it over does to the meeting's agenda."""

    orientation_id: uuid.UUID | None
    situation_id: uuid.UUID
    echeance: dt.date
    motif: str
    motif_inscription: str
    deja_inscrite: bool
    decision_id: uuid.UUID | None = None


def _motif_inscription(reports: list[AReporter]) -> dict[uuid.UUID, str]:
    """One agenda reason per case: an overdue orientation outweighs an unfinished one."""
    motifs: dict[uuid.UUID, str] = {}
    for report in reports:
        if report.motif == MotifReport.ECHEANCE_DEPASSEE:
            motifs[report.situation_id] = MotifInscription.ECHEANCE_DEPASSEE
        else:
            motifs.setdefault(report.situation_id, MotifInscription.ORIENTATION_NON_TERMINEE)
    return motifs


def _decisions_echues(seance: Seance) -> list[tuple[uuid.UUID, uuid.UUID, dt.date]]:
    """Overdue decisions not done (id, case, deadline), as of today, like orientations."""
    return [
        (pk, situation_id, echeance)
        for pk, situation_id, echeance in decisions_echues(seance.cellule_id, timezone.localdate())
        .exclude(seance_id=seance.pk)
        .values_list("pk", "situation_id", "echeance")
        if echeance is not None
    ]


def _motifs(seance: Seance) -> dict[uuid.UUID, str]:
    motifs = _motif_inscription(orientations_a_reporter(seance.cellule))
    for _, situation_id, _ in _decisions_echues(seance):
        motifs[situation_id] = MotifInscription.ECHEANCE_DEPASSEE
    return motifs


def reports_prevus(seance: Seance, utilisateur: Utilisateur) -> list[ReportPrevu]:
    """What ``orientations_reporter`` would carry to ``seance`` (ids, dates, closed lists),
    limited to the cases ``utilisateur`` may write (cell charter included)."""
    ecrivables = set(
        Situation.objects.restrict(utilisateur, Action.MODIFIER)
        .filter(cellule_id=seance.cellule_id, statut__in=STATUTS_OUVERTS)
        .values_list("pk", flat=True)
    )
    reports = [r for r in orientations_a_reporter(seance.cellule) if r.situation_id in ecrivables]
    echues = [d for d in _decisions_echues(seance) if d[1] in ecrivables]
    motifs = _motif_inscription(reports)
    for _, situation_id, _ in echues:
        motifs[situation_id] = MotifInscription.ECHEANCE_DEPASSEE
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
    ] + [
        ReportPrevu(
            orientation_id=None,
            decision_id=pk,
            situation_id=situation_id,
            echeance=echeance,
            motif=MotifReport.ECHEANCE_DEPASSEE,
            motif_inscription=MotifInscription.ECHEANCE_DEPASSEE,
            deja_inscrite=situation_id in deja,
        )
        for pk, situation_id, echeance in echues
    ]


@transaction.atomic
def orientations_reporter(*, seance: Seance, acteur: Utilisateur) -> list[PointOrdreDuJour]:
    """Put on ``seance``'s agenda each case with an unfinished orientation or an overdue
    decision of an earlier meeting, with its reason.

    The actor must run the cell and the meeting must still be planned, even when there is
    nothing to add. The meeting row is locked first, so two concurrent carry-overs add each
    case once; cases already on the agenda are left as they are (a second run adds nothing).
    """
    courante = seance_a_ecrire(seance, acteur)
    exiger_planifiee(courante)
    deja = set(courante.points.values_list("situation_id", flat=True))
    motifs = _motifs(courante)
    # Only the cases the actor may write (a cell charter he has not accepted hides them).
    ecrivables = {
        situation.pk: situation
        for situation in Situation.objects.restrict(acteur, Action.MODIFIER).filter(
            pk__in=[pk for pk in motifs if pk not in deja], statut__in=STATUTS_OUVERTS
        )
    }
    points = [
        ordre_du_jour_ajouter(
            seance=courante,
            situation=ecrivables[situation_id],
            motif=motifs[situation_id],
            acteur=acteur,
            synchroniser=False,
        )
        for situation_id in sorted(ecrivables, key=str)
    ]
    if points:
        droits.synchroniser_seance(courante, acteur)
    return points
