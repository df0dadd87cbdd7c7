"""Who may reach cells: one SQL condition per rule, read by ``Cellule.objects.restrict``.

Every condition is a column test or an ``IN (subquery)``: no join that could duplicate rows.
"""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from acces.enums import Action, Role

if TYPE_CHECKING:
    from acces.perimetre import Perimetre


def _ou(conditions: list[Q]) -> Q | None:
    return reduce(or_, conditions) if conditions else None


def cellules_du_coordonnateur(p: Perimetre) -> Any:
    from cellules.composition.models import Cellule

    lien: Any = Cellule.coordonnateurs.through
    return lien.objects.filter(utilisateur_id=p.utilisateur_id).values("cellule_id")


def cellules_cispd() -> Any:
    from cellules.composition.models import Cellule

    return Cellule.objects.filter(cispd=True).values("pk")


def _cellules_membre(p: Perimetre) -> Any:
    from cellules.composition.models import MembreCellule

    uid: Any = p.utilisateur_id
    return MembreCellule.objects.filter(utilisateur_id=uid, actif=True).values("cellule_id")


def politique_cellule(p: Perimetre, action: Action) -> Q | None:
    """Cells a user may see (Lire) or open cases in (Modifier).

    Lire: its coordonnateurs (and CISPD coordonnateurs for CISPD cells), its active members,
    the directeur de la tranquillité publique of its commune, the délégué du procureur of its
    ressort. Modifier: its coordonnateurs and the délégué du procureur of its ressort.
    """
    if p.utilisateur_id is None:
        return None
    coordonnees = [
        Q(pk__in=cellules_du_coordonnateur(p)) if p.a_role(Role.COORDONNATEUR) else None,
        Q(cispd=True) if p.portee(Role.COORDONNATEUR).cispd else None,
        Q(ressort__in=p.portee(Role.DELEGUE_PROCUREUR).ressorts)
        if p.a_role(Role.DELEGUE_PROCUREUR)
        else None,
    ]
    conditions = [c for c in coordonnees if c is not None]
    if action == Action.LIRE:
        if p.a_role(Role.DIRECTEUR_TRANQUILLITE):
            conditions.append(Q(commune_id__in=p.portee(Role.DIRECTEUR_TRANQUILLITE).communes))
        if p.a_role(Role.MEMBRE_CELLULE):
            conditions.append(Q(pk__in=_cellules_membre(p)))
    elif action != Action.MODIFIER:
        return None
    return _ou(conditions)
