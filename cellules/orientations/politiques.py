"""Who may reach orientations, rappel à l'ordre entries and transactions (SQL conditions).

Orientations follow their case (``politique_situation``). The register and the transactions
belong to a commune: its directeur de la tranquillité publique keeps them; the délégué du
procureur reads those of the communes whose cells sit in his ressort; nobody else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from acces.enums import Action, Role
from cellules.politiques import politique_situation

if TYPE_CHECKING:
    from acces.perimetre import Perimetre


def _situations(p: Perimetre, action: Action) -> Any:
    from cellules.models import Situation

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


def _communes_du_ressort(p: Perimetre) -> Any:
    from cellules.models import Cellule

    ressorts = p.portee(Role.DELEGUE_PROCUREUR).ressorts
    return Cellule.objects.filter(ressort__in=ressorts, commune__isnull=False).values("commune_id")


def politique_registre(p: Perimetre, action: Action) -> Q | None:
    """Rappels à l'ordre and transactions of a commune.

    Lire: the directeur de la tranquillité publique of the commune; the délégué du procureur
    of the ressort. Modifier: the directeur de la tranquillité publique of the commune only
    (the homologation of a transaction is checked by ``peut_homologuer``).
    """
    if p.utilisateur_id is None:
        return None
    conditions: list[Q] = []
    if p.a_role(Role.DIRECTEUR_TRANQUILLITE) and action in (Action.LIRE, Action.MODIFIER):
        conditions.append(Q(commune_id__in=p.portee(Role.DIRECTEUR_TRANQUILLITE).communes))
    if p.a_role(Role.DELEGUE_PROCUREUR) and action == Action.LIRE:
        conditions.append(Q(commune_id__in=_communes_du_ressort(p)))
    if not conditions:
        return None
    resultat = conditions[0]
    for condition in conditions[1:]:
        resultat |= condition
    return resultat


def peut_lire_registre(p: Perimetre) -> bool:
    """Directeur de la tranquillité publique and délégué du procureur."""
    return p.a_role(Role.DIRECTEUR_TRANQUILLITE, Role.DELEGUE_PROCUREUR)


def peut_tenir_registre(p: Perimetre) -> bool:
    """Directeur de la tranquillité publique only (for the mayor)."""
    return p.a_role(Role.DIRECTEUR_TRANQUILLITE)


def peut_homologuer(p: Perimetre) -> bool:
    """Délégué du procureur, who records the decision of the procureur or of the judge."""
    return p.a_role(Role.DELEGUE_PROCUREUR)


def peut_orienter_judiciaire(p: Perimetre) -> bool:
    """Judicial orientations are recorded by the délégué du procureur only."""
    return p.a_role(Role.DELEGUE_PROCUREUR)


def communes_homologation(p: Perimetre) -> Q | None:
    """Transactions the délégué du procureur may homologate (communes of his ressort)."""
    if not p.a_role(Role.DELEGUE_PROCUREUR):
        return None
    return Q(commune_id__in=_communes_du_ressort(p))
