"""Who may reach orientations (SQL conditions): they follow their case (``politique_situation``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from acces.enums import Action, Role
from cellules.dossiers.politiques import politique_situation

if TYPE_CHECKING:
    from acces.perimetre import Perimetre


def _situations(p: Perimetre, action: Action) -> Any:
    from cellules.dossiers.models import Situation

    condition = politique_situation(p, action)
    if condition is None:
        return None
    return Situation.objects.filter(condition).values("pk")


def politique_orientation(p: Perimetre, action: Action) -> Q | None:
    """Lire: whoever reads the case. Modifier: whoever may write the case (coordonnateur of
    the cell, délégué du procureur of the ressort); judicial ones are checked in the service."""
    if action not in (Action.LIRE, Action.MODIFIER):
        return None
    situations = _situations(p, action)
    return None if situations is None else Q(situation_id__in=situations)


def peut_orienter_judiciaire(p: Perimetre) -> bool:
    """Judicial orientations are recorded by the délégué du procureur only."""
    return p.a_role(Role.DELEGUE_PROCUREUR)
