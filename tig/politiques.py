"""Who may reach measures (SQL condition for ``Mesure.objects.restrict``).

The délégué du procureur reads and ends the measures of the communes whose cells sit in his
ressort (he validates TNR measures: actors of docs/modele-de-securite.md); nobody else yet.
Reception-site tutors and the SPIP / PJJ will get their own rules with the assignment to posts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from acces.enums import Action, Role

if TYPE_CHECKING:
    from acces.perimetre import Perimetre


def politique_mesure(p: Perimetre, action: Action) -> Q | None:
    from cellules.composition.selectors import communes_des_ressorts

    if p.utilisateur_id is None or not p.a_role(Role.DELEGUE_PROCUREUR):
        return None
    if action not in (Action.LIRE, Action.MODIFIER):
        return None
    ressorts = p.portee(Role.DELEGUE_PROCUREUR).ressorts
    return Q(commune_id__in=communes_des_ressorts(ressorts))
