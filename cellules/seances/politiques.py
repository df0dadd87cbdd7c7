"""Who may reach meetings: one SQL condition per rule, read by ``Seance.objects.restrict``."""

from __future__ import annotations

from dataclasses import replace
from functools import reduce
from operator import or_
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from acces.enums import Action, Role

if TYPE_CHECKING:
    from acces.perimetre import Perimetre


def _cellules_lisibles(p: Perimetre) -> Any:
    from cellules.composition.models import Cellule
    from cellules.composition.politiques import politique_cellule

    condition = politique_cellule(p, Action.LIRE)
    if condition is None:
        return None
    return Cellule.objects.filter(condition).values("pk")


def _sans_role(p: Perimetre, role: str) -> Perimetre:
    portees = {r: portee for r, portee in p.portees.items() if r != role}
    return replace(p, portees=MappingProxyType(portees))


def _seances_convoquees(p: Perimetre) -> Any:
    """Meetings whose convocation lets the member read now: while he is an active member of
    the meeting's cell, inside the meeting's read window (the same as for its cases)."""
    from cellules.dossiers.politiques import convocations_ouvertes

    return convocations_ouvertes(p.utilisateur_id).values("seance_id")


def cellules_coordonnees(p: Perimetre) -> Any:
    from cellules.composition.models import Cellule

    lien: Any = Cellule.coordonnateurs.through
    coordonnees = Q(pk__in=lien.objects.filter(utilisateur_id=p.utilisateur_id).values("cellule"))
    if p.portee(Role.COORDONNATEUR).cispd:
        coordonnees |= Q(cispd=True)
    return Cellule.objects.filter(coordonnees).values("pk")


def politique_seance(p: Perimetre, action: Action) -> Q | None:
    """Meetings a user may act on.

    Lire: meetings of the cells the user may see (its coordonnateurs, the directeur of its
    commune, the délégué du procureur of its ressort) and, for a membre de cellule, the meetings
    he is convened to (valid convocation), while he is an active member of the meeting's cell
    and inside the meeting's read window, as for the cases on its agenda.
    Modifier (schedule, agenda, convocations, attendance, decisions): the coordonnateurs of the
    cell (and CISPD coordonnateurs for CISPD cells).
    """
    if p.utilisateur_id is None or not p.lit_donnees_personnelles:
        return None
    if action == Action.LIRE:
        conditions = []
        # A membre de cellule reads the meetings he is convened to, not every one of his cells.
        lisibles = _cellules_lisibles(_sans_role(p, Role.MEMBRE_CELLULE))
        if lisibles is not None:
            conditions.append(Q(cellule_id__in=lisibles))
        if p.a_role(Role.MEMBRE_CELLULE):
            conditions.append(Q(pk__in=_seances_convoquees(p)))
        return reduce(or_, conditions) if conditions else None
    if action == Action.MODIFIER and p.a_role(Role.COORDONNATEUR):
        return Q(cellule_id__in=cellules_coordonnees(p))
    return None


def _decisions_de_mon_organisation(p: Perimetre) -> Q | None:
    """Decisions whose responsible organisation is the user's, in a cell of which he is an
    active member for that (active) organisation: he records that they are done."""
    from cellules.composition.models import MembreCellule
    from cellules.dossiers.politiques import STATUTS_HORS_LECTURE, cellules_charte_respectee

    if p.organisation_id is None or not p.a_role(Role.MEMBRE_CELLULE):
        return None
    uid: Any = p.utilisateur_id
    cellules = MembreCellule.objects.filter(
        utilisateur_id=uid,
        organisation_id=p.organisation_id,
        actif=True,
        organisation__active=True,
        cellule_id__in=cellules_charte_respectee(p),
    ).values("cellule_id")
    return Q(organisation_id=p.organisation_id, seance__cellule_id__in=cellules) & ~Q(
        situation__statut__in=STATUTS_HORS_LECTURE
    )


def politique_decision(p: Perimetre, action: Action) -> Q | None:
    """Decisions a user may act on: those of a meeting he may act on, about a case he may read
    now (the relevé shows no decision on a case hidden from its reader).

    Modifier (mark done) also: the members of the cell from the decision's responsible
    organisation, even once the meeting's read window has closed (a deadline is often later);
    marking a decision done discloses nothing of the case.
    """
    from cellules.models import Situation
    from cellules.seances.models import Seance

    if p.utilisateur_id is None or not p.lit_donnees_personnelles:
        return None
    conditions: list[Q] = []
    seances = politique_seance(p, action)
    situations = Situation.politique(p, Action.LIRE)
    if seances is not None and situations is not None:
        conditions.append(
            Q(
                seance_id__in=Seance.objects.filter(seances).values("pk"),
                situation_id__in=Situation.objects.filter(situations).values("pk"),
            )
        )
    if action == Action.MODIFIER:
        miennes = _decisions_de_mon_organisation(p)
        if miennes is not None:
            conditions.append(miennes)
    return reduce(or_, conditions) if conditions else None
