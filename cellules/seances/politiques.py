"""Who may reach meetings: one SQL condition per rule, read by ``Seance.objects.restrict``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from acces.enums import Action, Role

if TYPE_CHECKING:
    from acces.perimetre import Perimetre


def _cellules_lisibles(p: Perimetre) -> Any:
    from cellules.models import Cellule
    from cellules.politiques import politique_cellule

    condition = politique_cellule(p, Action.LIRE)
    if condition is None:
        return None
    return Cellule.objects.filter(condition).values("pk")


def cellules_coordonnees(p: Perimetre) -> Any:
    from cellules.models import Cellule

    lien: Any = Cellule.coordonnateurs.through
    coordonnees = Q(pk__in=lien.objects.filter(utilisateur_id=p.utilisateur_id).values("cellule"))
    if p.portee(Role.COORDONNATEUR).cispd:
        coordonnees |= Q(cispd=True)
    return Cellule.objects.filter(coordonnees).values("pk")


def politique_seance(p: Perimetre, action: Action) -> Q | None:
    """Meetings a user may act on.

    Lire: meetings of the cells the user may see (its coordonnateurs, its active members, the
    directeur of its commune, the délégué du procureur of its ressort); the meeting itself holds
    no case data. Modifier (schedule, agenda, convocations, attendance, decisions): the
    coordonnateurs of the cell (and CISPD coordonnateurs for CISPD cells).
    """
    if p.utilisateur_id is None or not p.lit_donnees_personnelles:
        return None
    if action == Action.LIRE:
        lisibles = _cellules_lisibles(p)
        return None if lisibles is None else Q(cellule_id__in=lisibles)
    if action == Action.MODIFIER and p.a_role(Role.COORDONNATEUR):
        return Q(cellule_id__in=cellules_coordonnees(p))
    return None
