"""Demo meetings: a year of quarterly meetings per demo cell, and the next one.

Runs after ``cellules.dossiers.demo.charger``; synthetic data only, fixed seed. Rows are
written directly (no service call) so that no convocation e-mail is enqueued. Only the next
meeting opens the convened members' expiring grants. One meeting per cell and calendar quarter:
running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from acces.crypto.champs import chiffrer
from acces.models import Utilisateur
from cellules.composition.demo import RESSORT
from cellules.composition.models import Cellule, MembreCellule
from cellules.dossiers.enums import StatutSituation
from cellules.dossiers.models import Situation
from cellules.seances import droits
from cellules.seances.enums import (
    EtatEnvoi,
    MotifInscription,
    NatureEnvoi,
    StatutSeance,
    TypeDecision,
    TypeLieu,
)
from cellules.seances.models import Convocation, Decision, PointOrdreDuJour, Presence, Seance

GRAINE = 2027
PASSEES = 4
HEURE_DEBUT = 14
DUREE = dt.timedelta(hours=2)
ACTEUR = "delegue.procureur"
REGLEMENT_DEMO = r"^RI-([0-9]{5}|CISPD)-2025$"
STATUTS_A_L_ORDRE_DU_JOUR = (StatutSituation.INSCRITE_ORDRE_DU_JOUR, StatutSituation.SUIVIE)
# commune of the cell (None: CISPD) -> demo accounts convened besides the délégué du procureur
MEMBRES: dict[str | None, tuple[tuple[str, str], ...]] = {
    "21231": (("membre.pjj", "éducateur PJJ"), ("dtp.dijon", "directeur tranquillité")),
    "21166": (("membre.pjj", "éducateur PJJ"), ("dtp.chenove", "directeur tranquillité")),
    "21515": (("coord.quetigny", "coordonnateur CLSPD"),),
    None: (("coord.cispd", "coordonnateur CISPD"),),
}
MEMBRE_PAR_DEFAUT = (("coord.cispd", "coordonnateur CISPD"),)


def _membres(cellule: Cellule) -> list[MembreCellule]:
    """The demo members of a cell, created only for a cell that has none."""
    if not cellule.membres.exists():
        comptes = (
            (ACTEUR, "délégué du procureur"),
            *MEMBRES.get(cellule.commune_id, MEMBRE_PAR_DEFAUT),
        )
        for username, fonction in comptes:
            user = Utilisateur.objects.filter(username=username).first()
            if user is not None:
                MembreCellule.objects.get_or_create(
                    cellule=cellule,
                    utilisateur=user,
                    defaults={"organisation_id": user.organisation_id, "fonction": fonction},
                )
    return list(cellule.membres.filter(actif=True).order_by("fonction", "id"))


def _debuts(rang: int, maintenant: dt.datetime) -> tuple[list[dt.datetime], dt.datetime]:
    """Meeting starts of one cell: the past ``PASSEES`` (middle month of each quarter), and the
    next one in one to three days, inside the convened members' read window.

    ``rang`` staggers the cells over the days of the month.
    """
    fuseau = timezone.get_current_timezone()
    annee, trimestre = maintenant.year, (maintenant.month - 1) // 3
    debuts: list[dt.datetime] = []
    for decalage in range(-PASSEES - 1, 3):
        index = annee * 4 + trimestre + decalage
        jour = dt.date(index // 4, (index % 4) * 3 + 2, 8 + rang % 20)
        debuts.append(dt.datetime.combine(jour, dt.time(HEURE_DEBUT), tzinfo=fuseau))
    passes = [d for d in debuts if d < maintenant][-PASSEES:]
    jour = timezone.localdate(maintenant) + dt.timedelta(days=1 + rang % 3)
    return passes, dt.datetime.combine(jour, dt.time(HEURE_DEBUT), tzinfo=fuseau)


def _trimestre_occupe(cellule: Cellule, debut: dt.datetime) -> bool:
    premier_mois = (debut.month - 1) // 3 * 3 + 1
    return Seance.objects.filter(
        cellule=cellule,
        debut__year=debut.year,
        debut__month__gte=premier_mois,
        debut__month__lt=premier_mois + 3,
    ).exists()


def _ordre_du_jour(hasard: random.Random, seance: Seance, situations: list[Situation]) -> None:
    choisies = hasard.sample(situations, min(len(situations), hasard.randint(3, 6)))
    for rang, situation in enumerate(choisies, start=1):
        PointOrdreDuJour.objects.create(
            seance=seance,
            situation=situation,
            rang=rang,
            motif=hasard.choice(MotifInscription.values),
            ajoute_le=seance.creee_le,
        )


def _compte_rendu(
    hasard: random.Random, seance: Seance, membres: list[MembreCellule], acteur: Utilisateur
) -> None:
    """Attendance by institution (present, excused or absent) and 1-3 closed-list decisions
    (no note) of a held meeting, each with a partner of the cell and a deadline."""
    partenaires = sorted({m.organisation_id for m in membres}, key=str)
    for organisation_id in partenaires:
        tirage = hasard.random()
        Presence.objects.create(
            seance=seance,
            organisation_id=organisation_id,
            present=tirage < 0.85,
            excusee=0.85 <= tirage < 0.95,
        )
    points = list(seance.points.select_related("situation").order_by("rang"))
    types = [t for t in TypeDecision.values if t != TypeDecision.ORIENTATION_DECIDEE]
    for point in hasard.sample(points, min(len(points), hasard.randint(1, 3))):
        decision = Decision(
            id=uuid.uuid4(),
            seance=seance,
            situation=point.situation,
            cle_id=point.situation.cle_id,
            type=hasard.choice(types),
            organisation_id=hasard.choice(partenaires) if partenaires else None,
            echeance=timezone.localdate(seance.fin) + dt.timedelta(days=hasard.randint(14, 90)),
            prise_par=acteur,
            prise_le=seance.fin,
        )
        if decision.organisation_id is None:
            decision.echeance = None
        chiffrer(decision, "note", None)
        decision.save(force_insert=True)


def _seance(
    hasard: random.Random,
    cellule: Cellule,
    debut: dt.datetime,
    contexte: tuple[list[MembreCellule], list[Situation], Utilisateur],
) -> Seance:
    membres, situations, acteur = contexte
    tenue = debut < timezone.now()
    seance = Seance.objects.create(
        cellule=cellule,
        debut=debut,
        fin=debut + DUREE,
        lieu=TypeLieu.MAIRIE if cellule.commune else TypeLieu.METROPOLE,
        statut=StatutSeance.TENUE if tenue else StatutSeance.PLANIFIEE,
        creee_par=acteur,
        creee_le=min(debut - dt.timedelta(days=30), timezone.now()),
    )
    connues = [s for s in situations if s.signalee_le < debut.date()]
    _ordre_du_jour(hasard, seance, connues if len(connues) >= 3 else situations)
    # Recorded as sent when convened, like convocations that went through the outbox.
    Convocation.objects.bulk_create(
        Convocation(
            seance=seance,
            membre=m,
            creee_le=seance.creee_le,
            nature_envoi=NatureEnvoi.CONVOCATION,
            etat_envoi=EtatEnvoi.ENVOYE,
            etat_envoi_le=seance.creee_le,
        )
        for m in membres
    )
    if tenue:
        _compte_rendu(hasard, seance, membres, acteur)
    else:
        droits.synchroniser_seance(seance, acteur)
    return seance


@transaction.atomic
def charger() -> list[dict[str, Any]]:
    """Load the demo meetings; returns no account (the ``acces`` step makes them)."""
    acteur = Utilisateur.objects.filter(username=ACTEUR).first()
    if acteur is None:
        return []
    maintenant = timezone.now()
    cellules = Cellule.objects.filter(
        ressort=RESSORT, reference_reglement_interieur__regex=REGLEMENT_DEMO
    ).select_related("commune")
    for rang, cellule in enumerate(cellules.order_by("nom")):
        situations = list(
            Situation.objects.filter(
                cellule=cellule, statut__in=STATUTS_A_L_ORDRE_DU_JOUR
            ).order_by("id")
        )
        if len(situations) < 3:
            continue
        hasard = random.Random(f"{GRAINE}:{cellule.nom}")  # noqa: S311 - synthetic demo data
        contexte = (_membres(cellule), situations, acteur)
        passes, prochaine = _debuts(rang, maintenant)
        for debut in passes:
            if not _trimestre_occupe(cellule, debut):
                _seance(hasard, cellule, debut, contexte)
        if not cellule.seances.filter(fin__gte=maintenant).exists():
            _seance(hasard, cellule, prochaine, contexte)
    return []
